using System;

namespace IdCardVerify
{
    /// <summary>The settings in effect, as Get-IdCardVerifyConfig shows them. Never holds the token.</summary>
    public sealed class Configuration
    {
        /// <summary>Process: what a command in this session would use (session over stored over built-in). CurrentUser: what is stored.</summary>
        public string Scope { get; set; } = "Process";

        /// <summary>The CurrentUser store's file.</summary>
        public string StorePath { get; set; } = string.Empty;

        /// <summary>Where the token in use comes from: Session, Environment, Vault, CurrentUser, or None (Parameter is never shown here).</summary>
        public TokenSource TokenSource { get; set; }

        /// <summary>With TokenSource Vault: the name of the secret the token is read from (never the secret).</summary>
        public string? SecretName { get; set; }

        /// <summary>The vault of <see cref="SecretName"/>; empty for the default vault.</summary>
        public string? Vault { get; set; }

        /// <summary>The session's proxy; null for the system's (HTTPS_PROXY, HTTP_PROXY, the system setting).</summary>
        public Uri? Proxy { get; set; }

        /// <summary>The user name of the session's proxy credential (never the password).</summary>
        public string? ProxyUser { get; set; }

        /// <summary>True when the session connects directly, whatever the system's proxy says.</summary>
        public bool NoProxy { get; set; }

        /// <summary>True when a token is available from some source.</summary>
        public bool HasToken => TokenSource != TokenSource.None;

        public Uri Endpoint { get; set; } = DefaultEndpoint;

        /// <summary>The API's address when none is configured (the one place it is written).</summary>
        internal static readonly Uri DefaultEndpoint = new Uri("https://api.acedata.cloud/identity/idcard/check-1e");


        public double Threshold { get; set; }

        public int ThrottleLimit { get; set; }

        public int MaxRetries { get; set; }

        public int TimeoutSec { get; set; }

        /// <summary>The client-side rate limit; 0 means none.</summary>
        public double RequestsPerSecond { get; set; }

        public ConfigKeyStyle ConfigKeyStyle { get; set; }

        public bool Sandbox { get; set; }

        /// <summary>Invoke-IdCardVerification -IncludeFailed by default: a Verdict Error row in place of each failed input.</summary>
        public bool IncludeFailed { get; set; }

        public bool CopyWarn { get; set; }

        public bool BorderCheckWarn { get; set; }

        public bool ReshootWarn { get; set; }

        public bool DetectPsWarn { get; set; }

        public bool TempIdWarn { get; set; }

        public bool QualityWarn { get; set; }

        /// <summary>Where local files are staged for the API to download (never holds a credential).</summary>
        public Uri? StagingUri { get; set; }

        /// <summary>The S3-compatible store's endpoint, when not AWS.</summary>
        public Uri? StagingEndpoint { get; set; }

        public string? StagingRegion { get; set; }

        /// <summary>The secret holding the store's credentials (its name; never the secret).</summary>
        public string? StagingSecretName { get; set; }

        /// <summary>Whether a staging credential is set for this session (-StagingCredential; never shown).</summary>
        public bool HasStagingCredential { get; set; }
    }

    /// <summary>What Test-IdCardSimilarity -Detailed returns.</summary>
    public sealed class SimilarityDecision
    {
        public double? Similarity { get; set; }

        public double Threshold { get; set; }

        public bool IsMatch { get; set; }

        /// <summary>The false-accept rate the vendor quotes for this threshold (0.001 = 1 in 1,000); null where none is quoted.</summary>
        public double? FalseAcceptRate { get; set; }

        /// <summary>Where the quoted rate comes from, and what the other source says.</summary>
        public string FalseAcceptRateNote { get; set; } = string.Empty;
    }
}
