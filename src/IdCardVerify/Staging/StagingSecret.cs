namespace IdCardVerify.Staging
{
    /// <summary>
    /// The credentials a store is written with: an S3 access key and secret (and a session token), an Azure account
    /// key (<see cref="AccessKey"/> the account), or an Azure SAS (<see cref="Sas"/>). Held in memory for the run only;
    /// <see cref="ToString"/> never shows the secret.
    /// </summary>
    internal sealed class StagingSecret
    {
        public StagingSecret(string accessKey, string secret, string? sessionToken = null, string? source = null)
        {
            AccessKey = accessKey;
            Secret = secret;
            SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
            Source = source ?? "the given credential";
        }

        private StagingSecret(string sas, string source)
        {
            AccessKey = string.Empty;
            Secret = string.Empty;
            Sas = sas.TrimStart('?');
            Source = source;
        }

        public string AccessKey { get; }

        public string Secret { get; }

        public string? SessionToken { get; }

        /// <summary>An Azure shared access signature (the query, without '?'), when that is what was given.</summary>
        public string? Sas { get; }

        /// <summary>Where it came from, for messages (-StagingCredential, $env:AWS_ACCESS_KEY_ID, the profile 'default' …).</summary>
        public string Source { get; }

        public static StagingSecret FromSas(string sas, string source) => new StagingSecret(sas, source);

        /// <summary>Whether a password given for Azure is a SAS rather than an account key.</summary>
        public static bool LooksLikeSas(string value) => value.TrimStart('?').StartsWith("sv=", System.StringComparison.Ordinal) || value.Contains("&sig=");

        public override string ToString() => Sas != null ? "a SAS from " + Source : "the key '" + AccessKey + "' from " + Source;
    }
}
