using System;
using System.Globalization;
using System.Text;

namespace IdCardVerify
{
    /// <summary>Masks ID numbers and names for display: views, messages, anything the module writes itself.</summary>
    public static class PersonalData
    {
        /// <summary><c>11010119900101123X</c> becomes <c>110101********123X</c>: the region stays, the birth date and sequence go.</summary>
        public static string MaskIdNumber(string? idNumber)
        {
            if (string.IsNullOrEmpty(idNumber))
            {
                return string.Empty;
            }

            var value = idNumber!.Trim();
            if (value.Length <= 4)
            {
                return new string('*', value.Length);
            }

            var keepStart = value.Length >= 15 ? 6 : Math.Min(2, value.Length - 4);
            return value.Substring(0, keepStart) + new string('*', value.Length - keepStart - 4) + value.Substring(value.Length - 4);
        }

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

        /// <summary><c>1990/01/01</c> becomes <c>1990/**/**</c>.</summary>
        public static string MaskBirth(string? birth)
        {
            if (string.IsNullOrEmpty(birth))
            {
                return string.Empty;
            }

            var value = birth!.Trim();
            return value.Length <= 4 ? value : value.Substring(0, 4) + System.Text.RegularExpressions.Regex.Replace(value.Substring(4), "[0-9]", "*");
        }

        /// <summary>Keeps the first three characters of an address (its province, usually).</summary>
        public static string MaskAddress(string? address)
        {
            if (string.IsNullOrEmpty(address))
            {
                return string.Empty;
            }

            var value = address!.Trim();
            return value.Length <= 3 ? value : value.Substring(0, 3) + "…";
        }

        /// <summary><c>张三丰</c> becomes <c>张**</c>; a Latin name keeps its first letter of each word.</summary>
        public static string MaskName(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return string.Empty;
            }

            var text = name!.Trim();
            var builder = new StringBuilder(text.Length);
            var startOfWord = true;
            var elements = StringInfo.GetTextElementEnumerator(text);
            while (elements.MoveNext())
            {
                var element = elements.GetTextElement();
                if (element == " " || element == "·" || element == "-")
                {
                    builder.Append(element);
                    startOfWord = true;
                    continue;
                }

                builder.Append(startOfWord ? element : "*");
                startOfWord = false;
            }

            return builder.ToString();
        }

        /// <summary>A phone number keeps its first three and last two digits: <c>13812345678</c> becomes <c>138******78</c>.</summary>
        internal static string MaskPhone(string? phone)
        {
            if (string.IsNullOrEmpty(phone))
            {
                return string.Empty;
            }

            // A '*' stands where a digit was, so masking a masked number changes nothing.
            var digits = 0;
            foreach (var c in phone!)
            {
                digits += (c >= '0' && c <= '9') || c == '*' ? 1 : 0;
            }

            var builder = new StringBuilder(phone.Length);
            var seen = 0;
            foreach (var c in phone)
            {
                if ((c >= '0' && c <= '9') || c == '*')
                {
                    seen++;
                    builder.Append(seen <= 3 || seen > digits - 2 ? c : '*');
                }
                else
                {
                    builder.Append(c);
                }
            }

            return digits < 6 ? new string('*', phone.Length) : builder.ToString();
        }

        /// <summary>An e-mail address keeps its first character and its domain.</summary>
        internal static string MaskEmail(string? email)
        {
            if (string.IsNullOrEmpty(email))
            {
                return string.Empty;
            }

            var at = email!.LastIndexOf('@');
            return at <= 0 ? MaskName(email) : email.Substring(0, 1) + "***" + email.Substring(at);
        }

        /// <summary>What a column of a row holds, judged by its name in English or Chinese.</summary>
        internal enum ColumnKind
        {
            Other,
            IdNumber,
            Name,
            Address,
            Birth,
            Phone,
            Email,
        }

        // Checked in this order: "IdCardName" is about an ID card before it is about a name.
        private static readonly (ColumnKind Kind, string[] Parts)[] ColumnNames =
        {
            (ColumnKind.IdNumber, new[] { "idnumber", "idno", "idcard", "identity", "nationalid", "citizenid", "certno", "certificateno", "身份证", "证件号", "身份号码", "证号" }),
            (ColumnKind.Birth, new[] { "birth", "dob", "birthday", "出生", "生日" }),
            (ColumnKind.Phone, new[] { "phone", "mobile", "tel", "cell", "电话", "手机", "联系方式" }),
            (ColumnKind.Email, new[] { "email", "mail", "邮箱", "邮件" }),
            (ColumnKind.Address, new[] { "address", "addr", "地址", "住址", "户籍", "住所" }),
            (ColumnKind.Name, new[] { "name", "姓名", "名字", "姓", "名", "联系人", "申请人", "applicant", "持卡人", "持证人", "cardholder", "holder", "入职人", "人员" }),
        };

        /// <summary>The kind of personal data a column named <paramref name="column"/> holds (<c>Name</c>, <c>InputName</c>, <c>姓名</c>, <c>id_number</c>, …).</summary>
        internal static ColumnKind KindOf(string? column)
        {
            if (string.IsNullOrEmpty(column))
            {
                return ColumnKind.Other;
            }

            var key = new StringBuilder(column!.Length);
            foreach (var c in column)
            {
                if (char.IsLetterOrDigit(c))
                {
                    key.Append(char.ToLowerInvariant(c));
                }
            }

            var text = key.ToString();
            foreach (var (kind, parts) in ColumnNames)
            {
                foreach (var part in parts)
                {
                    if (text.IndexOf(part, StringComparison.Ordinal) >= 0)
                    {
                        return kind;
                    }
                }
            }

            return ColumnKind.Other;
        }

        /// <summary>
        /// A row's value masked for output: by its column's name (a name, an ID number, an address, a birth date, a
        /// phone number, an e-mail address, in English or Chinese), and by its content wherever it is (anything shaped
        /// like an 18- or 15-digit ID number). A value with nothing to mask is returned as it came, type and all.
        /// </summary>
        internal static object? MaskColumn(string column, object? value)
        {
            if (value == null)
            {
                return null;
            }

            var text = value is string plain ? plain
                : value is IConvertible convertible && !(value is bool) && !(value is DateTime) ? convertible.ToString(CultureInfo.InvariantCulture)
                : value is DateTime date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : null;
            if (text == null)
            {
                return value;
            }

            string masked;
            switch (KindOf(column))
            {
                case ColumnKind.IdNumber: masked = MaskIdNumber(Compact(text).Length >= ShortestIdNumber ? Compact(text) : text); break;
                case ColumnKind.Name: masked = MaskName(MaskIdNumbersIn(text)); break;
                case ColumnKind.Address: masked = MaskAddress(MaskIdNumbersIn(text)); break;
                case ColumnKind.Birth: masked = MaskBirth(text); break;
                case ColumnKind.Phone: masked = MaskPhone(text); break;
                case ColumnKind.Email: masked = MaskEmail(text); break;
                default: masked = MaskContactsIn(MaskIdNumbersIn(text)); break;
            }

            return masked == text ? value : masked;
        }
    }
}
