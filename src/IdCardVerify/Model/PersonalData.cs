using System;
using System.Globalization;
using System.Text;

namespace IdCardVerify
{
    /// <summary>Masks ID numbers and names for display: views, messages, anything the module writes itself.</summary>
    public static partial class PersonalData
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
