namespace IdCardVerify
{
    /// <summary>Which spelling of the <c>config</c> keys to send (the contract leaves this unsettled).</summary>
    public enum ConfigKeyStyle
    {
        /// <summary>The vendor guide's spelling: <c>copy_warn</c>, <c>border_check_warn</c>, ...</summary>
        Documented,
        /// <summary>The upstream service's spelling: <c>CopyWarn</c>, <c>BorderCheckWarn</c>, ...</summary>
        Upstream,
    }
}
