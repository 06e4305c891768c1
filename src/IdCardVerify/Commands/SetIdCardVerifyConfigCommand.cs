using System;
using System.Management.Automation;
using System.Security;
using IdCardVerify.Client;
using IdCardVerify.Settings;

namespace IdCardVerify.Commands
{
    /// <summary>Where settings are kept.</summary>
    public enum ConfigScope
    {
        /// <summary>This PowerShell session only.</summary>
        Process,
    }

    /// <summary>Sets the defaults Invoke-IdCardVerification uses in this session.</summary>
    [Cmdlet(VerbsCommon.Set, "IdCardVerifyConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Configuration))]
    public sealed class SetIdCardVerifyConfigCommand : PSCmdlet
    {
        [Parameter]
        [SecureStringTransformation]
        [AllowNull]
        public SecureString? Token { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EndpointCompleter))]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ThresholdCompleter))]
        [ValidateRange(0.0, 100.0)]
        public double Threshold { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; }

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; }

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; }

        [Parameter]
        [ValidateRange(0.0, 10000.0)]
        public double RequestsPerSecond { get; set; }

        [Parameter]
        public ConfigKeyStyle ConfigKeyStyle { get; set; }

        [Parameter]
        public SwitchParameter Sandbox { get; set; }

        [Parameter]
        public SwitchParameter CopyWarn { get; set; }

        [Parameter]
        public SwitchParameter BorderCheckWarn { get; set; }

        [Parameter]
        public SwitchParameter ReshootWarn { get; set; }

        [Parameter]
        public SwitchParameter DetectPsWarn { get; set; }

        [Parameter]
        public SwitchParameter TempIdWarn { get; set; }

        [Parameter]
        public SwitchParameter QualityWarn { get; set; }

        /// <summary>Forget every setting made in this session (the token included).</summary>
        [Parameter]
        public SwitchParameter Reset { get; set; }

        [Parameter]
        public ConfigScope Scope { get; set; } = ConfigScope.Process;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var bound = MyInvocation.BoundParameters;
            Uri? endpoint = null;
            if (Endpoint != null)
            {
                try
                {
                    endpoint = EndpointPolicy.Validate(Endpoint);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "InvalidEndpoint", ErrorCategory.InvalidArgument, Endpoint));
                }
            }

            if (bound.ContainsKey(nameof(Token)) && Token != null && TokenChain.Normalize(TokenChain.ToPlain(Token)) == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("The token is empty (or only whitespace). Pass the token the vendor issued, or -Reset to forget the session's token."),
                    "EmptyToken",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            if (!ShouldProcess("IdCardVerify settings (" + Scope + " scope)", "Set"))
            {
                return;
            }

            if (Reset)
            {
                SessionSettings.Reset();
            }

            SessionSettings.Update(values =>
            {
                if (bound.ContainsKey(nameof(Token)))
                {
                    values.Token = Token?.Copy();
                    values.Token?.MakeReadOnly();
                    WriteVerbose(Token == null ? "Token cleared for this session." : "Token set for this session.");
                }

                if (endpoint != null) values.Endpoint = endpoint;
                if (bound.ContainsKey(nameof(Threshold))) values.Threshold = Threshold;
                if (bound.ContainsKey(nameof(ThrottleLimit))) values.ThrottleLimit = ThrottleLimit;
                if (bound.ContainsKey(nameof(MaxRetries))) values.MaxRetries = MaxRetries;
                if (bound.ContainsKey(nameof(TimeoutSec))) values.TimeoutSec = TimeoutSec;
                if (bound.ContainsKey(nameof(RequestsPerSecond))) values.RequestsPerSecond = RequestsPerSecond;
                if (bound.ContainsKey(nameof(ConfigKeyStyle))) values.ConfigKeyStyle = ConfigKeyStyle;
                if (bound.ContainsKey(nameof(Sandbox))) values.Sandbox = Sandbox.IsPresent;

                var checks = values.WarningChecks ?? WarningChecks.None;
                checks = Apply(bound, nameof(CopyWarn), CopyWarn, WarningChecks.Copy, checks);
                checks = Apply(bound, nameof(BorderCheckWarn), BorderCheckWarn, WarningChecks.BorderCheck, checks);
                checks = Apply(bound, nameof(ReshootWarn), ReshootWarn, WarningChecks.Reshoot, checks);
                checks = Apply(bound, nameof(DetectPsWarn), DetectPsWarn, WarningChecks.DetectPs, checks);
                checks = Apply(bound, nameof(TempIdWarn), TempIdWarn, WarningChecks.TempId, checks);
                checks = Apply(bound, nameof(QualityWarn), QualityWarn, WarningChecks.Quality, checks);
                values.WarningChecks = checks;
            });

            if (PassThru)
            {
                WriteObject(GetIdCardVerifyConfigCommand.Describe(SessionSettings.Current));
            }
        }

        private static WarningChecks Apply(System.Collections.Generic.Dictionary<string, object> bound, string name, SwitchParameter value, WarningChecks check, WarningChecks checks)
        {
            if (!bound.ContainsKey(name))
            {
                return checks;
            }

            return value.IsPresent ? checks | check : checks & ~check;
        }
    }
}
