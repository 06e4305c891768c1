using System.Globalization;

namespace IdCardVerify
{
    /// <summary>A text from the resources (<see cref="Text"/>) with its placeholders filled, in the thread's culture.</summary>
    internal static class Words
    {
        public static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
    }
}
