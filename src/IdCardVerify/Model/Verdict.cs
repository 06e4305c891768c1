namespace IdCardVerify
{
    /// <summary>The one-word answer an administrator scans for.</summary>
    public enum Verdict
    {
        /// <summary>The API compared the portraits and the similarity reached the threshold.</summary>
        Match,
        /// <summary>The API compared the portraits and the similarity stayed below the threshold, or the name and number do not belong together.</summary>
        NoMatch,
        /// <summary>A requested OCR warning fired, so the API stopped before comparing.</summary>
        Warning,
        /// <summary>The API could not verify the card (image, data source or account problem).</summary>
        Failed,
    }
}
