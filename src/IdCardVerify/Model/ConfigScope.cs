namespace IdCardVerify
{
    /// <summary>Where settings are kept.</summary>
    public enum ConfigScope
    {
        /// <summary>This PowerShell session only.</summary>
        Process,

        /// <summary>Persisted for the current user (token protected: DPAPI on Windows, a 0600 file elsewhere).</summary>
        CurrentUser,
    }
}
