using System;
using System.Text;
using System.Text.RegularExpressions;

namespace IdCardVerify
{
    /// <summary>
    /// Takes credentials out of URLs and texts before they are shown or written anywhere. A signed URL's query
    /// (<c>X-Amz-Signature</c>, an Azure SAS's <c>sig</c>, COS's <c>q-signature</c>, OSS's <c>Signature</c>, a
    /// <c>token</c>) is a key to the image, and a URL's user info is a password: a URL is shown with its scheme,
    /// host and path, its query and fragment with every value replaced by <c>***</c>, and its user info by
    /// <c>***@</c>. The user info is found on the raw text (between <c>://</c> and the last <c>@</c> of the
    /// authority), never on .NET's normalised <see cref="Uri.UserInfo"/>, which percent-decodes and re-encodes it.
    /// Requests still send the URL unchanged; this is for messages, views, the journal and the report.
    /// </summary>
    internal static class Redaction
    {
        public const string Hidden = "***";

        /// <summary>The characters after which a URL may carry a credential: user info, a query, a fragment.</summary>
        internal static readonly char[] Revealing = { '@', '?', '#' };

        // Where a URL's authority ends.
        private static readonly char[] AuthorityEnds = { '/', '?', '#' };

        // Where a URL's query or fragment begins.
        private static readonly char[] QueryStarts = { '?', '#' };

        /// <summary>The most characters of a URL read for display: longer ones are cut before anything else is done.</summary>
        public const int ReadAtMost = 4096;

        // Anything that starts like a URL inside a text (a proxy's address in a connection failure, a URL quoted in
        // a server's message): up to a space, a quote or an angle bracket; user info may hold spaces, up to its last '@'.
        private static readonly Regex UrlInText = new Regex(
            @"[A-Za-z][A-Za-z0-9+.\-]{0,15}://(?:[^/?#""'<>\r\n]*@)?[^\s""'<>]*",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// <paramref name="url"/> without user info and with every query and fragment value hidden. Texts of more than
        /// <see cref="ReadAtMost"/> characters are cut first (and end in <c>…</c>).
        /// </summary>
        public static string Url(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return string.Empty;
            }

            if (url!.Length <= ReadAtMost && url.IndexOfAny(Revealing) < 0)
            {
                // No user info, no query, no fragment: nothing to hide (most image URLs, on every row).
                return url;
            }

            var text = url.Length > ReadAtMost ? url.Substring(0, ReadAtMost) + "…" : url;
            var builder = new StringBuilder(text.Length);
            var position = 0;
            // A scheme of at most 16 characters: a "://" further in is part of something else.
            if (Authority(text) is (int start, int end) && start <= 16 + 3)
            {
                // The user info, when there is any, goes whole: the raw text up to the authority's last '@'.
                var at = end == start ? -1 : text.LastIndexOf('@', end - 1, end - start);
                builder.Append(text, 0, start);
                if (at >= 0)
                {
                    builder.Append(Hidden).Append('@');
                }

                position = at >= 0 ? at + 1 : start;
            }

            // The path stays; from the first '?' or '#', every value goes.
            var queryStart = text.IndexOfAny(QueryStarts, position);
            if (queryStart < 0)
            {
                builder.Append(text, position, text.Length - position);
                return builder.ToString();
            }

            builder.Append(text, position, queryStart - position);
            AppendParameters(builder, text, queryStart);
            return builder.ToString();
        }

        /// <summary>Every URL inside <paramref name="text"/> shown as <see cref="Url"/> shows it; the rest unchanged.</summary>
        public static string Text(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            var shown = text!.IndexOf("://", StringComparison.Ordinal) < 0 ? text : UrlInText.Replace(text, m => Url(m.Value));
            // A signed URL quoted in another shape (a path alone, percent-encoded, JSON-escaped): its credential parameters by name.
            return shown.IndexOf('=') < 0 && shown.IndexOf("%3D", StringComparison.OrdinalIgnoreCase) < 0
                ? shown
                : SignedParameter.Replace(shown, m => m.Groups[1].Value + m.Groups[2].Value + Hidden);
        }

        // A query parameter that carries a credential (S3's and OSS's and COS's signatures, credentials and session tokens,
        // Azure's sig, a bearer token), wherever it stands: its value goes up to the next separator, raw or escaped.
        private static readonly Regex SignedParameter = new Regex(
            @"(?<=^|[^A-Za-z0-9_\-]|%3[Ff]|%26|%2[Ff]|\\u0026|\\u003[Ff])(x-amz-signature|x-amz-credential|x-amz-security-token|x-oss-signature|x-oss-credential|x-oss-security-token|x-cos-security-token|q-signature|q-ak|ossaccesskeyid|security-token|signature|sig|access_token|token)(=|%3D)(?!\*\*\*)([^&\s""'<>\\#;,)\]}]+)",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>
        /// A row's own value as the module shows or writes it: personal data masked by the column's name and the value's
        /// content when <paramref name="mask"/> (<see cref="PersonalData.MaskColumn"/>), and never a credential in a URL.
        /// A value with nothing to hide comes back as it came, type and all.
        /// </summary>
        public static object? Column(string column, object? value, bool mask)
        {
            var shown = mask ? PersonalData.MaskColumn(column, value) : value;
            return shown is string text && text.IndexOf("://", StringComparison.Ordinal) >= 0 ? Text(text) : shown;
        }

        /// <summary>True when <paramref name="url"/> carries user info in its raw text (what <see cref="Url"/> hides).</summary>
        public static bool HasUserInfo(string? url) =>
            url != null && Authority(url) is (int start, int end) && url.IndexOf('@', start, end - start) >= 0;

        /// <summary>Where the authority of <paramref name="text"/> (after <c>scheme://</c>) starts and ends; null when it has no scheme.</summary>
        private static (int Start, int End)? Authority(string text)
        {
            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                return null;
            }

            var start = schemeEnd + 3;
            var end = text.IndexOfAny(AuthorityEnds, start);
            return (start, end < 0 ? text.Length : end);
        }

        // From a '?' or '#': name=value pairs keep their names; a part without '=' (a bare token) goes whole.
        private static void AppendParameters(StringBuilder builder, string text, int start)
        {
            var i = start;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '?' || c == '#' || c == '&' || c == ';')
                {
                    builder.Append(c);
                    i++;
                    continue;
                }

                var end = i;
                while (end < text.Length && text[end] != '&' && text[end] != ';' && text[end] != '#' && text[end] != '?')
                {
                    end++;
                }

                var equals = text.IndexOf('=', i, end - i);
                if (equals < 0)
                {
                    builder.Append(Hidden);
                }
                else
                {
                    builder.Append(text, i, equals - i + 1);
                    if (equals + 1 < end)
                    {
                        builder.Append(Hidden);
                    }
                }

                i = end;
            }
        }

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

            if (value.Length <= ShownAtMost && value.IndexOfAny(Revealing) < 0 && !HasIdNumberLength(value))
            {
                // The common case, on every row: nothing to hide, nothing to parse.
                return Shown.Escape(value);
            }

            var cut = value.Length > ShownAtMost + 100;
            var shown = Url(cut ? value.Substring(0, ShownAtMost + 100) : value);
            if (maskIdNumbers)
            {
                shown = PersonalData.MaskIdNumbersIn(shown);
            }

            return Shown.Escape(cut || shown.Length > ShownAtMost ? shown.Substring(0, Math.Min(ShownAtMost, shown.Length)) + "…" : shown);
        }

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

    }
}
