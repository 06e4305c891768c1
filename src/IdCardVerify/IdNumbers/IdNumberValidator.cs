using System;
using System.Collections.Generic;
using System.Globalization;

namespace IdCardVerify.IdNumbers
{
    /// <summary>
    /// Offline checks of an 18-character resident ID number under GB 11643-1999: six-digit region
    /// code (province part known), eight-digit birth date, three-digit sequence (odd for men, even for
    /// women), and an ISO 7064 MOD 11-2 check character (0-9 or X).
    /// </summary>
    internal static class IdNumberValidator
    {
        private static readonly Dictionary<string, string> Provinces = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["11"] = "北京", ["12"] = "天津", ["13"] = "河北", ["14"] = "山西", ["15"] = "内蒙古",
            ["21"] = "辽宁", ["22"] = "吉林", ["23"] = "黑龙江",
            ["31"] = "上海", ["32"] = "江苏", ["33"] = "浙江", ["34"] = "安徽", ["35"] = "福建", ["36"] = "江西", ["37"] = "山东",
            ["41"] = "河南", ["42"] = "湖北", ["43"] = "湖南", ["44"] = "广东", ["45"] = "广西", ["46"] = "海南",
            ["50"] = "重庆", ["51"] = "四川", ["52"] = "贵州", ["53"] = "云南", ["54"] = "西藏",
            ["61"] = "陕西", ["62"] = "甘肃", ["63"] = "青海", ["64"] = "宁夏", ["65"] = "新疆",
            ["71"] = "台湾", ["81"] = "香港", ["82"] = "澳门", ["83"] = "台湾 (居住证)",
        };

        private static readonly int[] Weights = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
        private const string CheckCharacters = "10X98765432";
        private static readonly DateTime Earliest = new DateTime(1890, 1, 1);

        /// <summary>The check character the first 17 digits call for.</summary>
        public static char CheckCharacter(string first17)
        {
            var sum = 0;
            for (var i = 0; i < 17; i++)
            {
                sum += (first17[i] - '0') * Weights[i];
            }

            return CheckCharacters[sum % 11];
        }

        /// <summary>Checks <paramref name="idNumber"/> as of today (the local date).</summary>
        public static IdNumberReport Check(string? idNumber) => Check(idNumber, Files.Clock.System.GetLocalNow().Date);

        /// <summary>Every check, every reason it fails (not just the first). <paramref name="today"/> bounds the birth date.</summary>
        public static IdNumberReport Check(string? idNumber, DateTime today)
        {
            var report = new IdNumberReport { IdNumber = idNumber ?? string.Empty };
            var value = Normalize((idNumber ?? string.Empty).Trim(), out var notes);
            report.Notes = notes;
            if (value.Length == 15 && IsDigits(value, 0, 15))
            {
                return CheckFirstGeneration(report, value, today);
            }

            var reasons = new List<string>();
            var parts = new List<string>();
            void Fail(string part, string reason)
            {
                parts.Add(part);
                reasons.Add(reason);
            }

            if (value.Length != 18)
            {
                Fail("length", string.Format(CultureInfo.InvariantCulture, Text.Id_Length, value.Length));
            }

            var digits17 = value.Length >= 17 && IsDigits(value, 0, 17);
            if (value.Length >= 17 && !digits17)
            {
                Fail("digits", Text.Id_Digits);
            }

            if (value.Length == 18 && !(char.IsDigit(value[17]) || value[17] == 'X' || value[17] == 'x'))
            {
                Fail("last character", Text.Id_LastCharacter);
            }

            if (value.Length >= 2 && IsDigits(value, 0, 2))
            {
                report.ProvinceCode = value.Substring(0, 2);
                if (Provinces.TryGetValue(report.ProvinceCode, out var province))
                {
                    report.Province = province;
                }
                else
                {
                    Fail("province code", Words.Format(Text.Id_Province, report.ProvinceCode));
                }
            }

            if (value.Length >= 14 && IsDigits(value, 6, 8))
            {
                if (DateTime.TryParseExact(value.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
                {
                    report.BirthDate = birth;
                    if (birth > today.Date)
                    {
                        Fail("birth date", Words.Format(Text.Id_BirthFuture, birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                    }
                    else if (birth < Earliest)
                    {
                        Fail("birth date", Words.Format(Text.Id_BirthTooEarly, birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Earliest.ToString("yyyy", CultureInfo.InvariantCulture)));
                    }
                }
                else
                {
                    Fail("birth date", Words.Format(Text.Id_BirthNotADate, value.Substring(6, 8)));
                }
            }

            if (value.Length >= 17 && char.IsDigit(value[16]))
            {
                report.Sex = (value[16] - '0') % 2 == 1 ? "男" : "女";
            }

            if (value.Length == 18 && digits17)
            {
                report.IdNumber18 = value.ToUpperInvariant();
                report.ExpectedCheckCharacter = CheckCharacter(value);
                if (char.ToUpperInvariant(value[17]) != report.ExpectedCheckCharacter)
                {
                    Fail("check character", Words.Format(Text.Id_CheckCharacter, char.ToUpperInvariant(value[17]), report.ExpectedCheckCharacter));
                }
            }

            report.Reasons = reasons.ToArray();
            report.FailedParts = parts.ToArray();
            report.IsValid = reasons.Count == 0;
            return report;
        }

        private static bool IsDigits(string value, int start, int length)
        {
            for (var i = start; i < start + length; i++)
            {
                if (value[i] < '0' || value[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// A first-generation number (1984-2004 cards, not valid on a card since 2013): six-digit region,
        /// two-digit year (19xx), month, day, three-digit sequence. Its 18-digit form inserts 19 and adds
        /// the check character.
        /// </summary>
        private static IdNumberReport CheckFirstGeneration(IdNumberReport report, string value, DateTime today)
        {
            var reasons = new List<string>();
            var parts = new List<string> { "first generation" };
            var first17 = value.Substring(0, 6) + "19" + value.Substring(6, 9);
            report.IdNumber18 = first17 + CheckCharacter(first17);
            reasons.Add(Words.Format(Text.Id_FirstGeneration, report.IdNumber18));
            report.ProvinceCode = value.Substring(0, 2);
            if (Provinces.TryGetValue(report.ProvinceCode, out var province))
            {
                report.Province = province;
            }
            else
            {
                parts.Add("province code");
                reasons.Add(Words.Format(Text.Id_Province, report.ProvinceCode));
            }

            if (DateTime.TryParseExact("19" + value.Substring(6, 6), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) && birth <= today.Date)
            {
                report.BirthDate = birth;
            }
            else
            {
                parts.Add("birth date");
                reasons.Add(Words.Format(Text.Id_BirthNotADate, "19" + value.Substring(6, 6)));
                report.IdNumber18 = null;
            }

            report.Sex = (value[14] - '0') % 2 == 1 ? "男" : "女";
            report.Reasons = reasons.ToArray();
            report.FailedParts = parts.ToArray();
            report.IsValid = false;
            return report;
        }

        /// <summary>Full-width digits and Ｘ, as text pasted from Chinese documents has them, read as ASCII; a note says so.</summary>
        private static string Normalize(string value, out string[] notes)
        {
            var builder = new System.Text.StringBuilder(value.Length);
            var changed = false;
            foreach (var c in value)
            {
                if (c >= '\uFF10' && c <= '\uFF19')
                {
                    builder.Append((char)('0' + (c - '\uFF10')));
                    changed = true;
                }
                else if (c == '\uFF38' || c == '\uFF58')
                {
                    builder.Append('X');
                    changed = true;
                }
                else
                {
                    builder.Append(c);
                }
            }

            notes = changed ? new[] { Text.Id_FullWidth } : Array.Empty<string>();
            return builder.ToString();
        }
    }
}
