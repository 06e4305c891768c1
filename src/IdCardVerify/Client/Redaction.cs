using System;
using System.Text;
using System.Text.RegularExpressions;

namespace IdCardVerify.Client
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

        private static readonly char[] Revealing = { '@', '?', '#' };

        /// <summary>The most characters of a URL read for display: longer ones are cut before anything else is done.</summary>
        public const int ReadAtMost = ImageUrls.MaxLength;

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
            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            var position = 0;
            if (schemeEnd >= 0 && schemeEnd <= 16)
            {
                var authorityStart = schemeEnd + 3;
                var authorityEnd = text.IndexOfAny(new[] { '/', '?', '#' }, authorityStart);
                if (authorityEnd < 0)
                {
                    authorityEnd = text.Length;
                }

                builder.Append(text, 0, authorityStart);
                var at = authorityEnd == authorityStart ? -1 : text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
                if (at >= 0)
                {
                    builder.Append(Hidden).Append('@');
                    position = at + 1;
                }
                else
                {
                    position = authorityStart;
                }
            }

            // The path stays; from the first '?' or '#', every value goes.
            var queryStart = text.IndexOfAny(new[] { '?', '#' }, position);
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

            return text!.IndexOf("://", StringComparison.Ordinal) < 0 ? text : UrlInText.Replace(text, m => Url(m.Value));
        }

        /// <summary>True when <paramref name="url"/> carries user info in its raw text (what <see cref="Url"/> hides).</summary>
        public static bool HasUserInfo(string? url)
        {
            if (url == null)
            {
                return false;
            }

            var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                return false;
            }

            var authorityEnd = url.IndexOfAny(new[] { '/', '?', '#' }, schemeEnd + 3);
            var at = url.IndexOf('@', schemeEnd + 3);
            return at >= 0 && (authorityEnd < 0 || at < authorityEnd);
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
    }
}
