using System;
using IdCardVerify.Contract;

namespace IdCardVerify.Settings
{
    /// <summary>The <see cref="Configuration"/> Get-IdCardVerifyConfig shows: the settings in effect, never a secret.</summary>
    internal static class ConfigurationView
    {
        public static Configuration Of(SettingsValues values, TokenSource tokenSource, ConfigScope scope)
        {
            // The same resolver as a run's, with no parameters: what a command would use.
            var pick = new OptionResolver(values);
            return new Configuration
            {
                Scope = scope.ToString(),
                StorePath = UserStore.FilePath ?? string.Empty,
                TokenSource = tokenSource,
                Endpoint = pick.Endpoint(nameof(Configuration.Endpoint)),
                Threshold = pick.Pick(nameof(Configuration.Threshold), v => v.Threshold, Defaults.Threshold),
                ThrottleLimit = pick.Pick(nameof(Configuration.ThrottleLimit), v => v.ThrottleLimit, Defaults.ThrottleLimit),
                MaxRetries = pick.Pick(nameof(Configuration.MaxRetries), v => v.MaxRetries, Defaults.MaxRetries),
                TimeoutSec = pick.Pick(nameof(Configuration.TimeoutSec), v => v.TimeoutSec, Defaults.TimeoutSec),
                RequestsPerSecond = pick.Pick(nameof(Configuration.RequestsPerSecond), v => v.RequestsPerSecond, Defaults.RequestsPerSecond),
                ConfigKeyStyle = pick.Pick(nameof(Configuration.ConfigKeyStyle), v => v.ConfigKeyStyle, Defaults.KeyStyle),
                Sandbox = pick.Pick(nameof(Configuration.Sandbox), v => v.Sandbox, Defaults.Sandbox),
                SecretName = values.SecretName,
                // Shown without credentials: a value stored before they were refused may carry some (the run refuses it).
                StagingUri = Redacted(values.StagingUri),
                StagingEndpoint = Redacted(values.StagingEndpoint),
                StagingRegion = values.StagingRegion,
                StagingSecretName = values.StagingSecretName,
                HasStagingCredential = values.StagingCredential != null,
                Proxy = values.NoProxy == true ? null : values.Proxy,
                NoProxy = values.NoProxy ?? false,
                ProxyUser = values.NoProxy == true ? null : values.ProxyCredential?.UserName,
                Vault = values.Vault,
                IncludeFailed = pick.Pick(nameof(Configuration.IncludeFailed), v => v.IncludeFailed, Defaults.IncludeFailed),
                CopyWarn = (pick.Checks & WarningChecks.Copy) != 0,
                BorderCheckWarn = (pick.Checks & WarningChecks.BorderCheck) != 0,
                ReshootWarn = (pick.Checks & WarningChecks.Reshoot) != 0,
                DetectPsWarn = (pick.Checks & WarningChecks.DetectPs) != 0,
                TempIdWarn = (pick.Checks & WarningChecks.TempId) != 0,
                QualityWarn = (pick.Checks & WarningChecks.Quality) != 0,
            };
        }

        private static Uri? Redacted(Uri? uri) =>
            uri == null ? null : Uri.TryCreate(Redaction.Url(uri.OriginalString), UriKind.RelativeOrAbsolute, out var shown) ? shown : null;
    }
}
