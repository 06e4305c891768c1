namespace IdCardVerify
{
    /// <summary>The one-word answer an administrator scans for. A runbook accepts <see cref="Match"/> only.</summary>
    public enum Verdict
    {
        /// <summary>The API compared the portraits, the similarity reached the threshold, and the card's own data agree.</summary>
        Match,
        /// <summary>The API compared the portraits and the similarity stayed below the threshold, or the name and number do not belong together.</summary>
        NoMatch,
        /// <summary>A requested OCR warning fired, so the API stopped before comparing.</summary>
        Warning,
        /// <summary>The API could not verify the card (image, data source or account problem).</summary>
        Failed,
        /// <summary>
        /// The API said Success and the similarity reached the threshold, but the card's own data disagree
        /// (<see cref="VerificationResult.Inconsistencies"/>: a wrong check character, a birth date or sex that
        /// differs from the ID number): a person must look at it. IsMatch is still true.
        /// </summary>
        Review,
        /// <summary>
        /// The input ended in an error (a refused URL, an HTTP error, a run that stopped before it): the row
        /// -IncludeFailed yields in its place, with ErrorId, ErrorMessage and StatusCode. The error record is
        /// written too.
        /// </summary>
        Error,
    }
}
