using System;
using System.Text;
using IdCardVerify.IdNumbers;

namespace IdCardVerify.Verification
{
    /// <summary>The person a row says the card should be: its ID number and name, as the sheet wrote them.</summary>
    internal sealed class ExpectedPerson
    {
        public static readonly ExpectedPerson None = new ExpectedPerson(null, null);

        public ExpectedPerson(string? idNumber, string? name)
        {
            IdNumber = string.IsNullOrWhiteSpace(idNumber) ? null : idNumber;
            Name = string.IsNullOrWhiteSpace(name) ? null : name;

            // Made comparable once, not per use: the 18-digit form of the number, the normalised name.
            if (IdNumber != null)
            {
                var number = Identity.NormalNumber(IdNumber);
                ComparableNumber = IdNumberValidator.Check(number).IdNumber18 ?? number;
            }

            ComparableName = Name == null ? null : Identity.NormalName(Name);
            NameNotComparable = ComparableName != null && !Identity.IsChinese(ComparableName);
        }

        public string? IdNumber { get; }

        public string? Name { get; }

        public bool IsEmpty => IdNumber == null && Name == null;

        /// <summary>True when a name was given that is not written in Chinese characters (a romanised name, a login): it is not compared.</summary>
        public bool NameNotComparable { get; }

        /// <summary>The number as the card's is compared with it: normalised, a 15-digit one in its 18-digit form.</summary>
        internal string? ComparableNumber { get; }

        /// <summary>The name as the card's is compared with it: normalised.</summary>
        internal string? ComparableName { get; }
    }

    /// <summary>
    /// Whose card it is: the card's ID number and name against the row's, after normalising what spreadsheets do to
    /// them (full-width digits and letters, a lower-case x, spaces, the middle-dot variants of minority names, a
    /// first-generation 15-digit number). Messages say which differs, never either value.
    /// </summary>
    internal static class Identity
    {
        /// <summary>
        /// Null when the row's expected ID number can be compared; else why not (it fails GB 11643 itself: a typo in the
        /// sheet), without the number.
        /// </summary>
        public static string? ExpectedNumberProblem(string expected, DateTime? today = null)
        {
            var number = NormalNumber(expected);
            var day = today ?? Files.Clock.System.GetLocalNow().Date;
            var report = IdNumberValidator.Check(number, day);
            if (number.Length == 15 && report.IdNumber18 != null)
            {
                // A first-generation number, as old HR records keep it: compared through its 18-digit form.
                report = IdNumberValidator.Check(report.IdNumber18, day);
            }

            return report.IsValid
                ? null
                : Words.Format(Text.Identity_RowNumberInvalid, report.FailedParts.Length > 0 ? string.Join(", ", report.FailedParts) : "format");
        }

        /// <summary>How the card compares with the row; <paramref name="why"/> gets what differs, in words.</summary>
        public static IdentityCheck Compare(string cardIdNumber, string cardName, ExpectedPerson expected, DateTime today, out string? why)
        {
            why = null;
            var numberDiffers = false;
            var nameDiffers = false;
            var compared = false;
            if (expected.IsEmpty)
            {
                // Most runs give no expected person: nothing to normalise.
                return IdentityCheck.NotChecked;
            }

            var card = expected.ComparableNumber == null ? string.Empty : NormalNumber(cardIdNumber);
            if (card.Length > 0 && card.IndexOf('*') < 0)
            {
                var have = card.Length == 15 ? IdNumberValidator.Check(card, today).IdNumber18 ?? card : card;
                numberDiffers = !string.Equals(expected.ComparableNumber, have, StringComparison.Ordinal);
                compared = true;
            }

            var cardNameNormal = expected.ComparableName == null || expected.NameNotComparable ? string.Empty : NormalName(cardName);
            var numberCompared = compared;
            var nameCompared = false;
            var nameWrittenOtherwise = false;
            if (cardNameNormal.Length > 0 && cardName.IndexOf('*') < 0)
            {
                nameDiffers = !string.Equals(expected.ComparableName, cardNameNormal, StringComparison.Ordinal);
                if (nameDiffers && NameForms.SameName(expected.ComparableName!, cardNameNormal))
                {
                    // One name spelled two ways (traditional characters, a middle dot, the order): not another person.
                    nameDiffers = false;
                    nameWrittenOtherwise = true;
                }

                compared = true;
                nameCompared = true;
            }

            if (!compared)
            {
                return IdentityCheck.NotChecked;
            }

            if (numberDiffers && nameDiffers)
            {
                why = Text.Identity_NotPersonBoth;
                return IdentityCheck.BothDiffer;
            }

            if (numberDiffers)
            {
                why = Text.Identity_NotPersonNumber;
                return IdentityCheck.IdNumberDiffers;
            }

            if (nameDiffers)
            {
                why = Text.Identity_NameNotRow;
                return IdentityCheck.NameDiffers;
            }

            if (nameWrittenOtherwise)
            {
                why = Text.Identity_WrittenOtherwise;
                return IdentityCheck.NameWrittenOtherwise;
            }

            return numberCompared && nameCompared ? IdentityCheck.Same : numberCompared ? IdentityCheck.IdNumberOnly : IdentityCheck.NameOnly;
        }

        /// <summary>An ID number as a sheet may write it, made comparable: full-width digits and Ｘ, a lower-case x, spaces and dashes gone.</summary>
        public static string NormalNumber(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var builder = new StringBuilder(text!.Length);
            foreach (var raw in text)
            {
                var c = Narrow(raw);
                if (char.IsWhiteSpace(c) || c == '-')
                {
                    continue;
                }

                builder.Append(c == 'x' ? 'X' : c);
            }

            return builder.ToString();
        }

        /// <summary>A name made comparable: spaces gone, full-width forms narrowed, every middle-dot variant one '·'.</summary>
        public static string NormalName(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var builder = new StringBuilder(text!.Length);
            foreach (var raw in text.Normalize(NormalizationForm.FormC))
            {
                var c = Narrow(raw);
                if (char.IsWhiteSpace(c))
                {
                    continue;
                }

                builder.Append(IsMiddleDot(c) ? '·' : c);
            }

            return builder.ToString();
        }

        /// <summary>True when every letter of <paramref name="name"/> is a CJK ideograph (a middle dot may join them).</summary>
        public static bool IsChinese(string name)
        {
            var han = 0;
            foreach (var c in name)
            {
                if (c == '·')
                {
                    continue;
                }

                if (!IsHan(c))
                {
                    return false;
                }

                han++;
            }

            return han > 0;
        }

        private static bool IsHan(char c) =>
            (c >= '\u4E00' && c <= '\u9FFF') || (c >= '\u3400' && c <= '\u4DBF') || (c >= '\uF900' && c <= '\uFAFF') || char.IsSurrogate(c);

        // · (U+00B7), • (U+2022), ． (U+FF0E, narrowed to '.'), ・ (U+30FB), ‧ (U+2027), ∙ (U+2219), and the plain '.'.
        private static bool IsMiddleDot(char c) => c == '·' || c == '•' || c == '.' || c == '・' || c == '‧' || c == '∙' || c == '･';

        // Full-width ASCII forms (U+FF01-U+FF5E) to their ASCII selves, the ideographic space to a space.
        private static char Narrow(char c) =>
            c >= '\uFF01' && c <= '\uFF5E' ? (char)(c - 0xFEE0) : c == '\u3000' ? ' ' : c;
    }
}
