using System;

namespace IdCardVerify.Client
{
    /// <summary>Checks that an input is something the API can download: an absolute http(s) URL.</summary>
    internal static class ImageUrls
    {
        public const int MaxLength = Redaction.ReadAtMost;

        /// <summary>Returns null when <paramref name="value"/> is usable, else why it is not and what to do.</summary>
        public static string? Problem(string? value)
        {
            if (value == null || value.Trim().Length == 0)
            {
                return Text.Url_Empty;
            }

            // Trim returns the string itself when its ends are not blank: a huge input costs nothing here.
            var text = value.Trim();
            if (text.Length > MaxLength)
            {
                return Words.Format(Text.Url_TooLong, text.Length, MaxLength);
            }

            if (LooksLikeLocalPath(text))
            {
                return LocalPathRefused;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                return Text.Url_NotAbsolute;
            }

            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                return uri.Scheme == Uri.UriSchemeFile
                    ? LocalPathRefused
                    : Words.Format(Text.Url_Scheme, uri.Scheme);
            }

            if (!string.IsNullOrEmpty(uri.UserInfo) || Redaction.HasUserInfo(text))
            {
                return Text.Url_Credentials;
            }

            return null;
        }

        /// <summary>
        /// Why a path (or a file: URI) in a URL's place is refused: the same words whether or not the file exists, so that
        /// a sheet learns nothing of this computer's files.
        /// </summary>
        internal static string LocalPathRefused => Text.Url_LocalPath;

        internal static bool LooksLikeLocalPath(string text) =>
            text.StartsWith("/", StringComparison.Ordinal)
            || text.StartsWith("\\", StringComparison.Ordinal)
            || text.StartsWith("./", StringComparison.Ordinal)
            || text.StartsWith("../", StringComparison.Ordinal)
            || text.StartsWith("..\\", StringComparison.Ordinal)
            || text.StartsWith(".\\", StringComparison.Ordinal)
            || text.StartsWith("~", StringComparison.Ordinal)
            || (text.Length >= 3 && char.IsLetter(text[0]) && text[1] == ':' && (text[2] == '\\' || text[2] == '/'));
    }
}
