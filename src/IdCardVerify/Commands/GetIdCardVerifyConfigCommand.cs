using System.Management.Automation;
using IdCardVerify.Client;
using IdCardVerify.Settings;

namespace IdCardVerify.Commands
{
    /// <summary>Shows the settings in effect and where the token comes from; never the token.</summary>
    [Cmdlet(VerbsCommon.Get, "IdCardVerifyConfig")]
    [OutputType(typeof(Configuration))]
    public sealed class GetIdCardVerifyConfigCommand : PSCmdlet
    {
        [Parameter]
        public ConfigScope Scope { get; set; } = ConfigScope.Process;

        protected override void EndProcessing()
        {
            WriteObject(Describe(Scope, out var warning));
            if (warning != null)
            {
                WriteWarning(warning);
            }
        }

        internal static Configuration Describe(ConfigScope scope, out string? warning)
        {
            if (scope == ConfigScope.CurrentUser)
            {
                var stored = UserStore.Load(out warning);
                return Describe(stored, stored.Token != null ? TokenSource.CurrentUser : TokenSource.None, scope);
            }

            var effective = EffectiveSettings.Load(out var storedValues, out warning);
            return Describe(effective, TokenChain.SourceOf(effective, storedValues), scope);
        }

        private static Configuration Describe(SettingsValues values, TokenSource tokenSource, ConfigScope scope)
        {
            var checks = values.WarningChecks ?? WarningChecks.None;
            return new Configuration
            {
                Scope = scope.ToString(),
                StorePath = UserStore.FilePath,
                TokenSource = tokenSource,
                Endpoint = values.Endpoint ?? IdCardVerifyClient.DefaultEndpoint,
                Threshold = values.Threshold ?? Defaults.Threshold,
                ThrottleLimit = values.ThrottleLimit ?? Defaults.ThrottleLimit,
                MaxRetries = values.MaxRetries ?? Defaults.MaxRetries,
                TimeoutSec = values.TimeoutSec ?? Defaults.TimeoutSec,
                RequestsPerSecond = values.RequestsPerSecond ?? Defaults.RequestsPerSecond,
                ConfigKeyStyle = values.ConfigKeyStyle ?? ConfigKeyStyle.Documented,
                Sandbox = values.Sandbox ?? false,
                CopyWarn = (checks & WarningChecks.Copy) != 0,
                BorderCheckWarn = (checks & WarningChecks.BorderCheck) != 0,
                ReshootWarn = (checks & WarningChecks.Reshoot) != 0,
                DetectPsWarn = (checks & WarningChecks.DetectPs) != 0,
                TempIdWarn = (checks & WarningChecks.TempId) != 0,
                QualityWarn = (checks & WarningChecks.Quality) != 0,
            };
        }
    }
}
