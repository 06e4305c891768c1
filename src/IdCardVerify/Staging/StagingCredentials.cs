using System;
using System.IO;
using IdCardVerify.Client;
using IdCardVerify.Files;

namespace IdCardVerify.Staging
{
    /// <summary>
    /// Finds the credentials for a store where its platform keeps them, after the ones given (-StagingCredential or
    /// -StagingSecretName): for S3, $env:AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), then the
    /// profile ($env:AWS_PROFILE or 'default') in ~/.aws/credentials; for Azure, $env:AZURE_STORAGE_SAS_TOKEN,
    /// AZURE_STORAGE_KEY, AZURE_STORAGE_CONNECTION_STRING. Nothing is ever written anywhere.
    /// </summary>
    internal static class StagingCredentials
    {
        /// <param name="given">The user name and password given (-StagingCredential, or the vault's secret), or null.</param>
        public static StagingSecret Resolve(StagingTarget target, (string User, string Password, string Source)? given)
        {
            if (given is (string user, string password, string source))
            {
                if (target.Kind == StoreKind.AzureBlob)
                {
                    return StagingSecret.LooksLikeSas(password) ? throw SasRefused(target, password, source) : new StagingSecret(target.Account!, password, source: source, accessKeyIsSecret: false);
                }

                return new StagingSecret(user, password, source: source);
            }

            var found = target.Kind == StoreKind.S3 ? FromAwsPlaces() : FromAzurePlaces(target.Account!);
            return found ?? throw NotConfigured(target);
        }

        public static IdCardVerifyApiException NotConfigured(StagingTarget? target)
        {
            var message = target == null
                ? Text.Staging_NotSetUp
                : target.Kind == StoreKind.S3
                    ? Words.Format(Text.Staging_NoCredentialsS3, target.Describe())
                    : Words.Format(Text.Staging_NoCredentialsAzure, target.Describe(), target.Account);
            return new IdCardVerifyApiException(message) { ErrorId = "StagingNotConfigured", Kind = ApiFailureKind.InvalidRequest, Advice = message, StopsRun = false };
        }

        /// <summary>
        /// A shared access signature the user made is never handed on: the API is given the read URL of one blob, and a
        /// SAS made for the container (write and delete too, often for years) would go to a third party inside it. The
        /// module needs the account key to mint a read-only SAS for one blob that lives minutes; the SAS is refused,
        /// before anything is sent, and registered as a secret so that no message quotes it.
        /// </summary>
        internal static IdCardVerifyApiException SasRefused(StagingTarget? target, string sas, string source)
        {
            Secrets.Register(sas.TrimStart('?'));
            foreach (var part in sas.TrimStart('?').Split('&'))
            {
                if (part.StartsWith("sig=", StringComparison.OrdinalIgnoreCase))
                {
                    Secrets.Register(part.Substring(4));
                    Secrets.Register(Uri.UnescapeDataString(part.Substring(4)));
                }
            }

            var store = target == null ? Text.Staging_AzureContainer : target.Describe();
            var message = Words.Format(Text.Staging_SasRefused, source, store);
            return new IdCardVerifyApiException(message) { ErrorId = "StagingNotConfigured", Kind = ApiFailureKind.InvalidRequest, Advice = Text.Staging_SasAdvice, StopsRun = true };
        }

        internal static StagingSecret? FromAwsPlaces()
        {
            var key = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
            var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
            if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(secret))
            {
                return new StagingSecret(key!, secret!, Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"), "$env:AWS_ACCESS_KEY_ID");
            }

            var file = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE");
            if (string.IsNullOrEmpty(file))
            {
                var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetEnvironmentVariable("USERPROFILE");
                file = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".aws", "credentials");
            }

            if (file == null)
            {
                return null;
            }

            string text;
            try
            {
                // Read once, bounded, on the checked handle: a link to a device or a FIFO is refused, not read forever.
                text = BoundedFile.ReadText(file, 1024 * 1024);
            }
            catch (FileRefusedException ex) when (ex.Kind == FileRefusal.Missing)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                var message = Words.Format(Text.Staging_AwsFile, file, ex.Message);
                throw new IdCardVerifyApiException(message) { ErrorId = "StagingNotConfigured", Kind = ApiFailureKind.InvalidRequest, Advice = message, StopsRun = true };
            }

            var profile = Environment.GetEnvironmentVariable("AWS_PROFILE");
            profile = string.IsNullOrEmpty(profile) ? "default" : profile;
            string? section = null, id = null, secretKey = null, token = null;
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.StartsWith("[", StringComparison.Ordinal) && line.EndsWith("]", StringComparison.Ordinal))
                {
                    section = line.Substring(1, line.Length - 2).Trim();
                    continue;
                }

                var eq = line.IndexOf('=');
                if (section != profile || eq < 0)
                {
                    continue;
                }

                var name = line.Substring(0, eq).Trim().ToLowerInvariant();
                var value = line.Substring(eq + 1).Trim();
                if (name == "aws_access_key_id")
                {
                    id = value;
                }
                else if (name == "aws_secret_access_key")
                {
                    secretKey = value;
                }
                else if (name == "aws_session_token")
                {
                    token = value;
                }
            }

            return id != null && secretKey != null ? new StagingSecret(id, secretKey, token, $"the AWS profile '{profile}'") : null;
        }

        internal static StagingSecret? FromAzurePlaces(string account)
        {
            var sas = Environment.GetEnvironmentVariable("AZURE_STORAGE_SAS_TOKEN");
            if (!string.IsNullOrEmpty(sas))
            {
                throw SasRefused(null, sas!, "$env:AZURE_STORAGE_SAS_TOKEN");
            }

            var named = Environment.GetEnvironmentVariable("AZURE_STORAGE_ACCOUNT");
            var key = Environment.GetEnvironmentVariable("AZURE_STORAGE_KEY");
            if (!string.IsNullOrEmpty(key) && (string.IsNullOrEmpty(named) || string.Equals(named, account, StringComparison.OrdinalIgnoreCase)))
            {
                return new StagingSecret(account, key!, source: "$env:AZURE_STORAGE_KEY", accessKeyIsSecret: false);
            }

            var connection = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
            if (string.IsNullOrEmpty(connection))
            {
                return null;
            }

            string? connectionAccount = null, connectionKey = null;
            foreach (var part in connection!.Split(';'))
            {
                var eq = part.IndexOf('=');
                if (eq > 0)
                {
                    var name = part.Substring(0, eq).Trim();
                    if (name.Equals("AccountName", StringComparison.OrdinalIgnoreCase))
                    {
                        connectionAccount = part.Substring(eq + 1).Trim();
                    }
                    else if (name.Equals("AccountKey", StringComparison.OrdinalIgnoreCase))
                    {
                        connectionKey = part.Substring(eq + 1).Trim();
                    }
                }
            }

            return connectionKey != null && string.Equals(connectionAccount, account, StringComparison.OrdinalIgnoreCase)
                ? new StagingSecret(account, connectionKey, source: "$env:AZURE_STORAGE_CONNECTION_STRING", accessKeyIsSecret: false) : null;
        }
    }
}
