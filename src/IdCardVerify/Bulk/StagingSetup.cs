using System;
using System.Collections.Generic;
using System.IO;
using IdCardVerify.Client;
using IdCardVerify.Settings;
using IdCardVerify.Staging;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// Where a run's local files are staged: -StagingUri (and -StagingEndpoint, -StagingRegion) over the session's and
    /// the stored settings; the credentials from -StagingCredential, the session's, a vault (-StagingSecretName), or
    /// the platform's own places. The sandbox stages nothing. A problem is not thrown here: the stager carries it, and
    /// the run's first file stops the run with it (one error, naming the store and the fix). A vault is read through
    /// the command's reader (SecretManagement's Get-Secret is PowerShell's).
    /// </summary>
    internal static class StagingSetup
    {
        public static Stager Create(IDictionary<string, object> bound, SettingsValues configured, RunOptions options, Func<string, (string User, string Password)> readVault, TimeProvider time)
        {
            if (options.Sandbox)
            {
                return new Stager(null, null, Stager.DefaultLifetime, null, time);
            }

            var uri = (bound.TryGetValue("StagingUri", out var u) ? u as Uri : null) ?? configured.StagingUri;
            if (uri == null)
            {
                return Stager.Failed(StagingCredentials.NotConfigured(null));
            }

            try
            {
                var target = StagingTarget.Parse(
                    uri,
                    (bound.TryGetValue("StagingEndpoint", out var e) ? e as Uri : null) ?? configured.StagingEndpoint,
                    (bound.TryGetValue("StagingRegion", out var r) ? r as string : null) ?? configured.StagingRegion);
                var secret = StagingCredentials.Resolve(target, Given(bound, configured, readVault));
                var http = HttpClients.For(options.Proxy);
                StagingStore store = target.Kind == StoreKind.S3 ? new S3Store(target, secret, http, time) : (StagingStore)new AzureBlobStore(target, secret, http, time);
                store.Timeout = TimeSpan.FromSeconds(options.TimeoutSec);
                var settings = UserStore.FilePath;
                var ledgers = settings == null ? null : Path.Combine(Path.GetDirectoryName(settings)!, "staging");
                return new Stager(store, http, Stager.DefaultLifetime, ledgers, time);
            }
            catch (ArgumentException ex)
            {
                return Stager.Failed(new IdCardVerifyApiException(ex.Message + Text.Staging_SetUri) { ErrorId = "StagingNotConfigured", Kind = ApiFailureKind.InvalidRequest });
            }
            catch (IdCardVerifyApiException ex)
            {
                return Stager.Failed(ex);
            }
            catch (RunSetupException ex)
            {
                return Stager.Failed(new IdCardVerifyApiException(ex.InnerException?.Message ?? ex.Message) { ErrorId = "StagingNotConfigured", Kind = ApiFailureKind.InvalidRequest });
            }
        }

        private static (string User, string Password, string Source)? Given(IDictionary<string, object> bound, SettingsValues configured, Func<string, (string User, string Password)> readVault)
        {
            if (bound.TryGetValue("StagingCredential", out var c) && c is System.Net.NetworkCredential credential)
            {
                return (credential.UserName, credential.Password, "-StagingCredential");
            }

            var secretName = (bound.TryGetValue("StagingSecretName", out var s) ? s as string : null) ?? configured.StagingSecretName;
            if (bound.ContainsKey("StagingSecretName") || (configured.StagingCredential == null && secretName != null))
            {
                var (user, password) = readVault(secretName!);
                return (user, password, Words.Format(Text.Vault_Secret, secretName));
            }

            return configured.StagingCredential is System.Net.NetworkCredential session
                ? (session.UserName, session.Password, Text.Staging_SessionCredential)
                : ((string, string, string)?)null;
        }

        /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong with a store's endpoint (Set-IdCardVerifyConfig checks it before keeping it).</summary>
        public static void CheckEndpoint(Uri endpoint) => StagingTarget.CheckEndpoint(endpoint);

        /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong with a -StagingUri and its endpoint and region.</summary>
        public static void CheckUri(Uri uri, Uri? endpoint, string? region) => StagingTarget.Parse(uri, endpoint, region);
    }
}
