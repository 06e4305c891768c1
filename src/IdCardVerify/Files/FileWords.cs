using System.Globalization;

namespace IdCardVerify.Files
{
    /// <summary>The Files room's words (Resources/FileText.resx and its zh-CN), with their placeholders filled in the thread's culture.</summary>
    internal static class FileWords
    {
        public static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
    }
}
