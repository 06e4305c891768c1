using System;

namespace IdCardVerify.Client
{
    /// <summary>Checks that an input is something the API can download: an absolute http(s) URL.</summary>
    internal static class ImageUrls
    {
        public const int MaxLength = 4096;

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

        /// <summary>True when the text has a run of digits as long as the shortest ID number, the only place one can hide.</summary>
        private static bool HasIdNumberLength(string text)
        {
            var run = 0;
            foreach (var c in text)
            {
                run = c >= '0' && c <= '9' ? run + 1 : 0;
                if (run >= PersonalData.ShortestIdNumber)
                {
                    return true;
                }
            }

            return false;
        }

        internal static bool LooksLikeLocalPath(string text) =>
            text.StartsWith("/", StringComparison.Ordinal)
            || text.StartsWith("\\", StringComparison.Ordinal)
            || text.StartsWith("./", StringComparison.Ordinal)
            || text.StartsWith("../", StringComparison.Ordinal)
            || text.StartsWith("..\\", StringComparison.Ordinal)
            || text.StartsWith(".\\", StringComparison.Ordinal)
            || text.StartsWith("~", StringComparison.Ordinal)
            || (text.Length >= 3 && char.IsLetter(text[0]) && text[1] == ':' && (text[2] == '\\' || text[2] == '/'));

        /// <summary>The most characters of a URL a message shows.</summary>
        public const int ShownAtMost = 200;

        /// <summary>
        /// The URL for messages, views and the report: user info and every query value hidden (<see cref="Redaction"/>),
        /// ID numbers in it masked unless <paramref name="maskIdNumbers"/> is false, cut to <see cref="ShownAtMost"/>
        /// characters. A long text is cut before anything else is done, so a huge input costs nothing.
        /// </summary>
        public static string ForDisplay(string? value, bool maskIdNumbers = true)
        {
            if (value == null)
            {
                return "<null>";
            }

            if (value.Length <= ShownAtMost && value.IndexOfAny(Redaction.Revealing) < 0 && !HasIdNumberLength(value))
            {
                // The common case, on every row: nothing to hide, nothing to parse.
                return Shown.Escape(value);
            }

            var cut = value.Length > ShownAtMost + 100;
            var shown = Redaction.Url(cut ? value.Substring(0, ShownAtMost + 100) : value);
            if (maskIdNumbers)
            {
                shown = PersonalData.MaskIdNumbersIn(shown);
            }

            return Shown.Escape(cut || shown.Length > ShownAtMost ? shown.Substring(0, Math.Min(ShownAtMost, shown.Length)) + "…" : shown);
        }
    }
}
