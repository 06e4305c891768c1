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
                return "the image URL is empty. Give the https:// address of the ID card image.";
            }

            // Trim returns the string itself when its ends are not blank: a huge input costs nothing here.
            var text = value.Trim();
            if (text.Length > MaxLength)
            {
                return $"the image URL is {text.Length} characters long, more than the {MaxLength} accepted. Shorten it (a signed URL's query can often be trimmed).";
            }

            if (LooksLikeLocalPath(text))
            {
                return LocalPathRefused;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                return "it is not an absolute URL. Give the full address, starting with https://.";
            }

            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                return uri.Scheme == Uri.UriSchemeFile
                    ? LocalPathRefused
                    : $"it uses the '{uri.Scheme}:' scheme. The API downloads images over http or https only.";
            }

            if (!string.IsNullOrEmpty(uri.UserInfo) || Redaction.HasUserInfo(text))
            {
                return "it carries a user name or password, which would be sent to the API. Use a URL without credentials (a signed URL, for example).";
            }

            return null;
        }

        /// <summary>
        /// Why a path (or a file: URI) in a URL's place is refused: the same words whether or not the file exists, so that
        /// a sheet learns nothing of this computer's files.
        /// </summary>
        internal const string LocalPathRefused = "it names a file, and a URL column or -ImageUrl takes only an http(s) URL: a sheet's URL column never reads this computer's files. To verify files on this computer, give them with -Path / -LiteralPath, pipe Get-ChildItem, or put their paths in an ImagePath column (or name that column with -ImagePathProperty); local files are staged for the API (see about_IdCardVerify).";

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
