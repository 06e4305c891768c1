using System;
using System.Collections.Generic;
using System.Globalization;
using IdCardVerify.IdNumbers;

namespace IdCardVerify.Verification
{
    /// <summary>
    /// Checks the OCR fields of one card against each other: the ID number's own check character,
    /// and its birth date and sex against the card's printed birth and sex. Messages name no value (the run's warning
    /// names the card by its masked number, once).
    /// </summary>
    internal static class CrossCheck
    {
        private static readonly string[] BirthFormats = { "yyyy/M/d", "yyyy-M-d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日" };

        public static IEnumerable<string> Compare(VerificationResult result, DateTime today)
        {
            var number = result.IdNumber.Trim();
            if (number.Length == 0 || number.IndexOf('*') >= 0)
            {
                // Nothing read, or already masked (-MaskPersonalData, read back from a journal).
                yield break;
            }

            var report = IdNumberValidator.Check(number, today);
            if (!report.IsValid)
            {
                yield return Words.Format(Text.Check_IdNumberInvalid, string.Join(", ", report.FailedParts));
            }

            if (report.BirthDate.HasValue && result.Birth.Trim().Length > 0)
            {
                if (DateTime.TryParseExact(result.Birth.Trim(), BirthFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var printed))
                {
                    if (printed.Date != report.BirthDate.Value.Date)
                    {
                        yield return Text.Check_BirthDiffers;
                    }
                }
                else
                {
                    yield return Text.Check_BirthUnreadable;
                }
            }

            var sex = result.Sex.Trim();
            if (report.Sex != null && sex.Length > 0)
            {
                var printedSex = sex == "男" || sex.Equals("M", StringComparison.OrdinalIgnoreCase) || sex.Equals("Male", StringComparison.OrdinalIgnoreCase) ? "男"
                    : sex == "女" || sex.Equals("F", StringComparison.OrdinalIgnoreCase) || sex.Equals("Female", StringComparison.OrdinalIgnoreCase) ? "女"
                    : null;
                if (printedSex != null && printedSex != report.Sex)
                {
                    yield return Text.Check_SexDiffers;
                }
            }
        }
    }
}
