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
        // 110105194912310021front) is still one. 15 digits: a first-generation number.
        private static readonly System.Text.RegularExpressions.Regex IdNumberLike =
            new System.Text.RegularExpressions.Regex(@"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>The fewest digits in a row an ID number has (a first-generation number).</summary>
        internal const int ShortestIdNumber = 15;

        /// <summary>Masks every ID number inside a text (a URL, a message): 18 characters, or 15 digits, wherever they stand.</summary>
        public static string MaskIdNumbersIn(string? text) =>
            string.IsNullOrEmpty(text) ? string.Empty : IdNumberLike.Replace(text, m => MaskIdNumber(m.Value));

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
    }
}
