using System;
using IdCardVerify.Settings;

namespace IdCardVerify
{
    /// <summary>The settings in effect, as Get-IdCardVerifyConfig shows them. Never holds the token.</summary>
    public sealed class Configuration
    {
        /// <summary>Process: what a command in this session would use (session over stored over built-in). CurrentUser: what is stored.</summary>
        public string Scope { get; set; } = "Process";

        /// <summary>The CurrentUser store's file.</summary>
        public string StorePath { get; set; } = string.Empty;

        /// <summary>Where the token in use comes from: Session, Environment, CurrentUser, or None.</summary>
        public TokenSource TokenSource { get; set; }

        /// <summary>True when a token is available from some source.</summary>
        public bool HasToken => TokenSource != TokenSource.None;

        public Uri Endpoint { get; set; } = Client.IdCardVerifyClient.DefaultEndpoint;

        public double Threshold { get; set; }

        public int ThrottleLimit { get; set; }

        public int MaxRetries { get; set; }

        public int TimeoutSec { get; set; }

        /// <summary>The client-side rate limit; 0 means none.</summary>
        public double RequestsPerSecond { get; set; }

        public ConfigKeyStyle ConfigKeyStyle { get; set; }

        public bool Sandbox { get; set; }

        public bool CopyWarn { get; set; }

        public bool BorderCheckWarn { get; set; }

        public bool ReshootWarn { get; set; }

        public bool DetectPsWarn { get; set; }

        public bool TempIdWarn { get; set; }

        public bool QualityWarn { get; set; }
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
