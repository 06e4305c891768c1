using System;

namespace IdCardVerify
{
    /// <summary>What Test-IdCardNumber -Detailed returns.</summary>
    public sealed class IdNumberReport
    {
        public string IdNumber { get; set; } = string.Empty;

        public bool IsValid { get; set; }

        /// <summary>Every reason the number fails; empty when valid.</summary>
        public string[] Reasons { get; set; } = Array.Empty<string>();

        /// <summary>How the input was read before checking (full-width digits as ASCII, ...); empty when as given.</summary>
        public string[] Notes { get; set; } = Array.Empty<string>();

        /// <summary>The 18-character form: the number itself, or a first-generation 15-digit number converted; null when there is none.</summary>
        public string? IdNumber18 { get; set; }

        /// <summary>The parts that fail, named without their values (length, province code, birth date, check character, ...), for messages.</summary>
        internal string[] FailedParts { get; set; } = Array.Empty<string>();

        public string? ProvinceCode { get; set; }

        public string? Province { get; set; }

        public DateTime? BirthDate { get; set; }

        /// <summary>男 (odd 17th digit) or 女 (even).</summary>
        public string? Sex { get; set; }

        public char? ExpectedCheckCharacter { get; set; }
    }
}
