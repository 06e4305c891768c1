using System;
using System.Globalization;
using System.Text;

namespace IdCardVerify
{
    /// <summary>Masking by content: ID numbers however written, phone numbers, e-mail addresses, the row's names, and text made printable.</summary>
    public static partial class PersonalData
    {
        // On digit boundaries, not word boundaries: an ID number glued to letters (11010519491231002Xback,
        // 110105194912310021front) is still one. 15 digits: a first-generation number. Digits ASCII or full-width (as pasted
        // from Chinese documents), with at most one space or hyphen between any two (110101-19900307-0011, 1101 0119 …).
        private const string Digit = "[0-9\uFF10-\uFF19]";
        private const string Gap = "[ \u00A0\u3000\\-\u2010\u2011\u2012\u2013\u2014\uFF0D]?";
        private static readonly System.Text.RegularExpressions.Regex IdNumberLike = new System.Text.RegularExpressions.Regex(
            "(?<![0-9\uFF10-\uFF19])(?:" + Digit + "(?:" + Gap + Digit + "){16}" + Gap + "[0-9\uFF10-\uFF19XxＸｘ]|" + Digit + "(?:" + Gap + Digit + "){14})(?![0-9\uFF10-\uFF19])",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        // A digit (or X) written percent-encoded in a URL: %31%31%30….
        private static readonly System.Text.RegularExpressions.Regex EncodedDigit =
            new System.Text.RegularExpressions.Regex("%3[0-9]|%[57]8", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

        /// <summary>The fewest digits in a row an ID number has (a first-generation number).</summary>
        internal const int ShortestIdNumber = 15;

        /// <summary>
        /// Masks every ID number inside a text (a URL, a message): 18 characters, or 15 digits, wherever they stand, in
        /// ASCII or full-width digits, with spaces or hyphens between groups, or percent-encoded in a URL.
        /// </summary>
        public static string MaskIdNumbersIn(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            if (text!.IndexOf('%') >= 0 && EncodedDigit.IsMatch(text))
            {
                // Digits written as %3N are read as digits first: a masked number in a URL stays masked however it was written.
                text = EncodedDigit.Replace(text, m => ((char)System.Convert.ToInt32(m.Value.Substring(1), 16)).ToString());
            }

            return IdNumberLike.Replace(text, m => MaskIdNumber(Compact(m.Value)));
        }

        // An ID number as one run of ASCII characters: gaps out, full-width digits and X read as ASCII.
        private static string Compact(string value)
        {
            var builder = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (c >= '\uFF10' && c <= '\uFF19')
                {
                    builder.Append((char)('0' + (c - '\uFF10')));
                }
                else if (c == 'Ｘ' || c == 'ｘ')
                {
                    builder.Append('X');
                }
                else if ((c >= '0' && c <= '9') || c == 'X' || c == 'x')
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        private static readonly System.Text.RegularExpressions.Regex PhoneLike = new System.Text.RegularExpressions.Regex(
            @"(?<![0-9])(?:\+?86[ \-]?)?1[3-9][0-9](?:[ \-]?[0-9]){8}(?![0-9])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static readonly System.Text.RegularExpressions.Regex EmailLike = new System.Text.RegularExpressions.Regex(
            @"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>Masks every mobile number (China's, with or without +86) and e-mail address inside a text, by content.</summary>
        internal static string MaskContactsIn(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            text = text.IndexOf('@') >= 0 ? EmailLike.Replace(text, m => MaskEmail(m.Value)) : text;
            return PhoneLike.Replace(text, m => MaskPhone(m.Value));
        }

        /// <summary>
        /// Masks each of <paramref name="names"/> (the row's own people: its name columns, the card's name) wherever it stands
        /// inside <paramref name="text"/> (a file name, a URL, another column), by content.
        /// </summary>
        internal static string MaskNamesIn(string text, System.Collections.Generic.IEnumerable<string?> names)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            foreach (var name in names)
            {
                var value = name?.Trim();
                if (value == null || value.Length < 2 || value.IndexOf('*') >= 0)
                {
                    continue;
                }

                if (text.IndexOf(value, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    text = System.Text.RegularExpressions.Regex.Replace(text, System.Text.RegularExpressions.Regex.Escape(value), MaskName(value).Replace("$", "$$"), System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
                }

                var escaped = Uri.EscapeDataString(value);
                if (escaped != value && text.IndexOf(escaped, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    text = System.Text.RegularExpressions.Regex.Replace(text, System.Text.RegularExpressions.Regex.Escape(escaped), MaskName(value).Replace("$", "$$"), System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
                }
            }

            return text;
        }

        /// <summary>
        /// <paramref name="text"/> as a terminal may show it: every control character (C0 and C1, DEL, the bidirectional
        /// embeddings, overrides, isolates and marks) written as <c>\u001B</c>, so data never drives the terminal (an
        /// escape sequence, a carriage return, a line feed that forges a line). The views and every message use it; the
        /// objects keep their values. The same instance when there is nothing to escape.
        /// </summary>
        public static string Printable(string? text)
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

        private static bool IsControl(char c) =>
            c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
    }
}
