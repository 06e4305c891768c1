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
