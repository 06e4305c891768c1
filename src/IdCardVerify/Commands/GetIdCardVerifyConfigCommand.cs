using System;
using System.Management.Automation;
using IdCardVerify.Commands;
using IdCardVerify.Settings;

namespace IdCardVerify
{
    /// <summary>Shows the settings in effect and where the token comes from; never the token.</summary>
    [Cmdlet(VerbsCommon.Get, "IdCardVerifyConfig")]
    [OutputType(typeof(Configuration))]
    public sealed class GetIdCardVerifyConfigCommand : PSCmdlet
    {
        [Parameter]
        public ConfigScope Scope { get; set; } = ConfigScope.Process;

        protected override void BeginProcessing() => DebugSwitch.MakeSafe(this);

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
                warning ??= stored.InvalidStored;
                return ConfigurationView.Of(stored, !string.IsNullOrEmpty(stored.SecretName) ? TokenSource.Vault : stored.Token != null ? TokenSource.CurrentUser : TokenSource.None, scope);
            }

            var effective = EffectiveSettings.Load(Session.Key, out var storedValues, out warning);
            warning ??= storedValues.InvalidStored;
            return ConfigurationView.Of(effective, TokenChain.SourceOf(effective, storedValues), scope);
        }
    }
}
