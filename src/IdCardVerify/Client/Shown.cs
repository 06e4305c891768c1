using System.Globalization;
using System.Text;

namespace IdCardVerify.Client
{
    /// <summary>
    /// What the module shows of data never drives the terminal: control characters from names, paths, URLs and OCR'd text
    /// (an escape sequence that retitles the window or clears the screen, a carriage return that overwrites a line, a line
    /// feed that forges a "WARNING:" line, a bidirectional override that reverses what is read) are shown escaped as
    /// <c>\u001B</c> in every message and view. The objects keep the values; only what is printed is escaped.
    /// </summary>
    internal static class Shown
    {
        /// <summary><paramref name="text"/> with every control character escaped; the same instance when there is none.</summary>
        public static string Escape(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            var i = 0;
            while (i < text!.Length && !IsControl(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                return text;
            }

            var builder = new StringBuilder(text.Length + 16);
            builder.Append(text, 0, i);
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (IsControl(c))
                {
                    builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        /// <summary>A text for a message or a stream: secrets out by value, URLs without credentials, controls escaped.</summary>
        public static string Message(string? text) => Escape(Redaction.Text(Secrets.Scrub(text ?? string.Empty)));

        /// <summary>C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates.</summary>
        internal static bool IsControl(char c) =>
            c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
    }
}
