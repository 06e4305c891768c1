using IdCardVerify.Client;

namespace IdCardVerify.Staging
{
    /// <summary>
    /// The credentials a store is written with: an S3 access key and secret (and a session token), or an Azure account
    /// key (<see cref="AccessKey"/> the account). Held in memory for the run only, and registered with
    /// <see cref="Secrets"/> as it is made, so that no text the module emits or stores carries any of it;
    /// <see cref="ToString"/> names where it came from, never the key or its id.
    /// </summary>
    internal sealed class StagingSecret
    {
        public StagingSecret(string accessKey, string secret, string? sessionToken = null, string? source = null, bool accessKeyIsSecret = true)
        {
            AccessKey = accessKey;
            Secret = secret;
            SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
            Source = source ?? "the given credential";
            Secrets.Register(secret);
            Secrets.Register(SessionToken);
            if (accessKeyIsSecret)
            {
                // An S3 access key id names the account's key: not a password, but not for logs and pages either. An Azure
                // account name is the store's address, and stays.
                Secrets.Register(accessKey);
            }
        }

        public string AccessKey { get; }

        public string Secret { get; }

        public string? SessionToken { get; }

        /// <summary>Where it came from, for messages (-StagingCredential, $env:AWS_ACCESS_KEY_ID, the profile 'default' …).</summary>
        public string Source { get; }

        /// <summary>Whether a password given for Azure is a shared access signature rather than an account key.</summary>
        public static bool LooksLikeSas(string value) =>
            value.TrimStart('?').StartsWith("sv=", System.StringComparison.Ordinal) || value.Contains("sig=") || value.Contains("&sp=");

        public override string ToString() => "the credentials from " + Source;
    }
}
