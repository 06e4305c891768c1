namespace IdCardVerify.Client
{
    /// <summary>
    /// What the API said in an HTTP 200 answer, field by field, and nothing decided yet: no threshold,
    /// no verdict. <see cref="Verification.Decisions"/> turns it into a <see cref="VerificationResult"/>.
    /// </summary>
    internal sealed class ApiAnswer
    {
        public string Result { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Sex { get; set; } = string.Empty;

        public string Nation { get; set; } = string.Empty;

        public string Birth { get; set; } = string.Empty;

        public string Address { get; set; } = string.Empty;

        public string IdNumber { get; set; } = string.Empty;

        /// <summary>The similarity as a finite number, or null when absent, null or not a number.</summary>
        public double? Similarity { get; set; }

        /// <summary>The similarity as the API sent it (a number or a string), or null when absent or null.</summary>
        public string? SimilarityText { get; set; }

        public double? Quality { get; set; }

        /// <summary>The warning codes as sent, e.g. <c>-9101|-9106</c>.</summary>
        public string WarningCodes { get; set; } = string.Empty;

        /// <summary>The <c>encryption</c> field as raw JSON text; null when null or absent.</summary>
        public string? Encryption { get; set; }

        /// <summary>The decoded portrait JPEG; null when absent or not base64.</summary>
        public byte[]? Portrait { get; set; }
    }
}
