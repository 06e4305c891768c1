using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using IdCardVerify.Settings;
using IdCardVerify.Commands;

namespace IdCardVerify
{
    /// <summary>
    /// The run options Invoke-IdCardVerification takes for one run and Set-IdCardVerifyConfig keeps as defaults, declared
    /// once with their validation and completers (as PowerShell's web cmdlets share theirs through WebRequestPSCmdlet).
    /// Resolved for a run by <see cref="OptionResolver"/> (parameter, session, CurrentUser store, default). The token and
    /// the staging parameters take $null: on Set-IdCardVerifyConfig it removes them, on a run it is the same as not
    /// giving them.
    /// </summary>
    public abstract class RunOptionsCmdlet : PSCmdlet
    {
        private protected RunOptionsCmdlet()
        {
        }

        /// <summary>The API URL (or a gateway's base URL).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EndpointCompleter))]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        /// <summary>The similarity (0-100) at or above which a result is a match.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ThresholdCompleter))]
        [ValidateRange(Bounds.MinThreshold, Bounds.MaxThreshold)]
        public double Threshold { get; set; }

        /// <summary>Requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(Bounds.MinThrottleLimit, Bounds.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; }

        /// <summary>Retries after the first attempt for 429, 5xx and network failures.</summary>
        [Parameter]
        [ValidateRange(Bounds.MinMaxRetries, Bounds.MaxMaxRetries)]
        public int MaxRetries { get; set; }

        /// <summary>Seconds to wait for one answer.</summary>
        [Parameter]
        [ValidateRange(Bounds.MinTimeoutSec, Bounds.MaxTimeoutSec)]
        public int TimeoutSec { get; set; }

        /// <summary>Client-side rate limit for the whole run; 0 turns it off.</summary>
        [Parameter]
        [ValidateRange(Bounds.MinRequestsPerSecond, Bounds.MaxRequestsPerSecond)]
        public double RequestsPerSecond { get; set; }

        /// <summary>Spelling of the config keys.</summary>
        [Parameter]
        public ConfigKeyStyle ConfigKeyStyle { get; set; }

        /// <summary>Answer from the built-in simulator: no network, no token, no cost.</summary>
        [Parameter]
        public SwitchParameter Sandbox { get; set; }

        /// <summary>Yield a Verdict Error row (ErrorId, ErrorMessage, StatusCode, the row's columns) in place of each input that ended in an error; the error record is still written. On Set-IdCardVerifyConfig: make it the default.</summary>
        [Parameter]
        public SwitchParameter IncludeFailed { get; set; }

        /// <summary>Warn (and stop) on photocopies.</summary>
        [Parameter]
        public SwitchParameter CopyWarn { get; set; }

        /// <summary>Warn on an incomplete border or something covering the card.</summary>
        [Parameter]
        public SwitchParameter BorderCheckWarn { get; set; }

        /// <summary>Warn on a screen recapture.</summary>
        [Parameter]
        public SwitchParameter ReshootWarn { get; set; }

        /// <summary>Warn on suspected tampering.</summary>
        [Parameter]
        public SwitchParameter DetectPsWarn { get; set; }

        /// <summary>Warn on a temporary ID card.</summary>
        [Parameter]
        public SwitchParameter TempIdWarn { get; set; }

        /// <summary>Run the quality (blur) check.</summary>
        [Parameter]
        public SwitchParameter QualityWarn { get; set; }

        /// <summary>The proxy to reach the API through (instead of the system's); as a setting, kept for the session only.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The credentials a proxy asks for (HTTP 407); kept in memory only.</summary>
        [Parameter]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Answer the proxy's challenge with the Windows logon.</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>Connect directly, whatever the system's proxy settings say.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>The API token (for a run: this call's; on Set-IdCardVerifyConfig: the one kept; $null clears it there and is the same as not giving it on a run).</summary>
        [Parameter]
        [SecureStringTransformation]
        [AllowNull]
        public SecureString? Token { get; set; }

        /// <summary>Your own private store for local files: s3://bucket/prefix (AWS S3, COS, OSS, MinIO) or https://account.blob.core.windows.net/container/prefix. On Set-IdCardVerifyConfig $null removes it.</summary>
        [Parameter]
        [AllowNull]
        public Uri? StagingUri { get; set; }

        /// <summary>The S3-compatible store's endpoint when it is not AWS (https://cos.ap-guangzhou.myqcloud.com, https://oss-cn-hangzhou.aliyuncs.com, a MinIO URL).</summary>
        [Parameter]
        [AllowNull]
        public Uri? StagingEndpoint { get; set; }

        /// <summary>The region the S3 requests are signed for (ap-guangzhou, cn-hangzhou, us-east-1 …).</summary>
        [Parameter]
        [AllowNull]
        public string? StagingRegion { get; set; }

        /// <summary>The store's credentials (never stored): S3 access key ID and secret key; Azure account and key.</summary>
        [Parameter]
        [AllowNull]
        public PSCredential? StagingCredential { get; set; }

        /// <summary>The SecretManagement secret (a PSCredential) holding the store's credentials: only its name is kept.</summary>
        [Parameter]
        [AllowNull]
        public string? StagingSecretName { get; set; }

        /// <summary>The options bound on this command onto <paramref name="values"/> (Set-IdCardVerifyConfig keeping them); a change to the warning checks starts from <paramref name="inherited"/>.s when <paramref name="values"/> has none.</summary>
        internal void ApplyRunOptions(SettingsValues values, IDictionary<string, object> bound, SettingsValues? inherited)
        {
            if (bound.ContainsKey(nameof(Threshold))) values.Threshold = Threshold;
            if (bound.ContainsKey(nameof(ThrottleLimit))) values.ThrottleLimit = ThrottleLimit;
            if (bound.ContainsKey(nameof(MaxRetries))) values.MaxRetries = MaxRetries;
            if (bound.ContainsKey(nameof(TimeoutSec))) values.TimeoutSec = TimeoutSec;
            if (bound.ContainsKey(nameof(RequestsPerSecond))) values.RequestsPerSecond = RequestsPerSecond;
            if (bound.ContainsKey(nameof(ConfigKeyStyle))) values.ConfigKeyStyle = ConfigKeyStyle;
            if (bound.ContainsKey(nameof(Sandbox))) values.Sandbox = Sandbox.IsPresent;
            if (bound.ContainsKey(nameof(IncludeFailed))) values.IncludeFailed = IncludeFailed.IsPresent;
            if (bound.ContainsKey(nameof(Proxy))) values.Proxy = Proxy;
            if (bound.ContainsKey(nameof(ProxyCredential))) values.ProxyCredential = ProxyCredential?.GetNetworkCredential();
            if (bound.ContainsKey(nameof(ProxyUseDefaultCredentials))) values.ProxyUseDefaultCredentials = ProxyUseDefaultCredentials.IsPresent;
            if (bound.ContainsKey(nameof(NoProxy))) values.NoProxy = NoProxy.IsPresent;
            OptionResolver.ApplySwitches(bound, values, inherited);
        }
    }
}
