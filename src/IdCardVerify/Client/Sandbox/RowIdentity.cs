using System;
using System.Globalization;
using IdCardVerify.Client;
using IdCardVerify.IdNumbers;

namespace IdCardVerify.Client.Sandbox
{
    /// <summary>
    /// The sandbox follows the row: when a row says whose card it is (a valid ID number, a name in Chinese characters),
    /// the simulated card carries that identity (its birth date and sex read from the number, so the card agrees with
    /// itself), and a trial run of a real sheet looks like a real one. A scenario word still wins: <c>idmismatch</c>
    /// (the card disagrees with itself) and <c>otherperson</c> (somebody else's card) leave the simulator's identity.
    /// </summary>
    internal static class RowIdentity
    {
        public static ApiAnswer Follow(ApiAnswer answer, string imageUrl, string? idNumber, string? name)
        {
            if (!answer.Result.EndsWith("Success", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(answer.IdNumber))
            {
                return answer;
            }

            foreach (var word in Scenario.KeywordsOf(imageUrl))
            {
                if (word == "idmismatch" || word == "otherperson")
                {
                    return answer;
                }
            }

            if (idNumber != null)
            {
                var report = IdNumberValidator.Check(idNumber.Trim().ToUpperInvariant());
                var number = report.IsValid ? idNumber.Trim().ToUpperInvariant() : report.IdNumber18;
                var full = number == null ? null : IdNumberValidator.Check(number);
                if (full != null && full.IsValid && full.BirthDate.HasValue && full.Sex != null)
                {
                    answer.IdNumber = number!;
                    answer.Birth = full.BirthDate.Value.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
                    answer.Sex = full.Sex;
                }
            }

            if (!string.IsNullOrWhiteSpace(name) && IsChinese(name!))
            {
                answer.Name = name!.Trim();
            }

            return answer;
        }

        private static bool IsChinese(string name)
        {
            foreach (var c in name.Trim())
            {
                if (!(c == '·' || (c >= '\u4E00' && c <= '\u9FFF') || (c >= '\u3400' && c <= '\u4DBF')))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
