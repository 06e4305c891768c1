using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System;
using IdCardVerify.Bulk;
using IdCardVerify.Commands;
using IdCardVerify.Settings;

namespace IdCardVerify
{
    /// <summary>Sets the defaults Invoke-IdCardVerification uses: for this session (Process) or persisted for the user (CurrentUser).</summary>
    [Cmdlet(VerbsCommon.Set, "IdCardVerifyConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Configuration))]
    public sealed class SetIdCardVerifyConfigCommand : RunOptionsCmdlet
    {
        /// <summary>The SecretManagement secret that holds the token (its name is kept, never the secret); $null removes the reference.</summary>
        [Parameter]
        [AllowNull]
        [AllowEmptyString]
        public string? SecretName { get; set; }

        /// <summary>The vault of -SecretName; without it, the default vault.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>Forget every setting of the scope (the token included): the session's, or the stored file with -Scope CurrentUser.</summary>
        [Parameter]
        public SwitchParameter Reset { get; set; }

        [Parameter]
        public ConfigScope Scope { get; set; } = ConfigScope.Process;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => DebugSwitch.MakeSafe(this);

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
                    ThrowTerminatingError(new ErrorRecord(ex, "InvalidEndpoint", ErrorCategory.InvalidArgument, Endpoint == null ? null : Redaction.Url(Endpoint.OriginalString)));
                }
            }

            if (bound.ContainsKey(nameof(Token)) && Token != null && TokenChain.IsBlank(Token))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException(Text.Config_EmptyToken),
                    "EmptyToken",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            var tokenProblem = Token == null || TokenChain.IsBlank(Token) ? null : TokenChain.FormatProblem(TokenChain.Normalize(TokenChain.ToPlain(Token))!);
            if (tokenProblem != null)
            {
                // Refused now, as an empty token is, not at the first call of some later run.
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(tokenProblem), "InvalidTokenFormat", ErrorCategory.InvalidArgument, null));
            }

            var proxyProblem = Proxy == null ? null : SettingsValues.ProxyProblem(Proxy);
            if (proxyProblem != null)
            {
                // Refused before it is kept: a proxy URL with a password would show wherever the settings are shown.
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(proxyProblem), "InvalidProxy", ErrorCategory.InvalidArgument, Redaction.Url(Proxy!.OriginalString)));
            }

            CheckStaging();
            if (!ShouldProcess(Words.Format(Text.Config_Target, Scope), Reset ? Text.Config_ResetAndSet : Text.Config_Set))
            {
                return;
            }

            if (Scope == ConfigScope.CurrentUser && ProxyParameters.Any(MyInvocation.BoundParameters.ContainsKey))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException(Text.Config_ProxySessionOnly),
                    "ProxySessionOnly",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            if (Scope == ConfigScope.CurrentUser)
            {
                SetStored(endpoint);
            }
            else
            {
                if (Reset)
                {
                    SessionSettings.Reset(Session.Key);
                }

                // A session change to the warning checks starts from the stored ones, so -CopyWarn:$false drops only that check.
                var stored = UserStore.Load(out _);
                SessionSettings.Update(Session.Key, values => Apply(values, endpoint, stored));
            }

            if (PassThru)
            {
                WriteObject(GetIdCardVerifyConfigCommand.Describe(Scope, out _));
            }
        }

        private void SetStored(Uri? endpoint)
        {
            var path = UserStore.FilePath;
            if (path == null)
            {
                // Said when the store is needed, never at import: every other token source works without it.
                ThrowTerminatingError(new ErrorRecord(new StoreUnavailableException(UserStore.NoHome), "StoreUnavailable", ErrorCategory.ResourceUnavailable, null));
            }

            if (Reset && UserStore.Delete())
            {
                WriteVerbose(Words.Format(Text.Config_Removed, path));
            }

            var changes = MyInvocation.BoundParameters.Keys.Count(k => !NotSettings.Contains(k));
            if (changes == 0)
            {
                return;
            }

            var stored = UserStore.Load(out var warning);
            if (warning != null)
            {
                WriteWarning(warning);
            }

            Apply(stored, endpoint, null);
            try
            {
                UserStore.Save(stored);
                WriteVerbose(Words.Format(Text.Config_Stored, path));
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                var unwritable = ex is StoreUnavailableException;
                ThrowTerminatingError(new ErrorRecord(ex, unwritable ? "StoreUnavailable" : "StoreNotPrivate", unwritable ? ErrorCategory.WriteError : ErrorCategory.PermissionDenied, path));
            }
        }

        private static readonly string[] ProxyParameters = { nameof(Proxy), nameof(ProxyCredential), nameof(ProxyUseDefaultCredentials), nameof(NoProxy) };

        private static readonly string[] NotSettings =
        {
            nameof(Scope), nameof(PassThru), nameof(Reset), "WhatIf", "Confirm", "Verbose", "Debug", "ErrorAction", "WarningAction",
            "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        };

        private void Apply(SettingsValues values, Uri? endpoint, SettingsValues? inherited)
        {
            var bound = BoundParameters.Of(this);
            if (bound.ContainsKey(nameof(Token)))
            {
                values.Token = Token?.Copy();
                values.Token?.MakeReadOnly();
                WriteVerbose(Words.Format(Token == null ? Text.Config_TokenCleared : Text.Config_TokenSet, Scope));
            }

            if (endpoint != null) values.Endpoint = endpoint;
            if (bound.ContainsKey(nameof(SecretName)))
            {
                values.SecretName = string.IsNullOrWhiteSpace(SecretName) ? null : SecretName;
                values.Vault = values.SecretName == null ? null : Vault;
                WriteVerbose(values.SecretName == null ? Words.Format(Text.Config_SecretRemoved, Scope) : Words.Format(Text.Config_SecretSet, values.SecretName, Scope));
            }
            else if (bound.ContainsKey(nameof(Vault)))
            {
                values.Vault = Vault;
            }

            ApplyStaging(values, bound);
            ApplyRunOptions(values, bound, inherited);

        }

        private void CheckStaging()
        {
            var bound = MyInvocation.BoundParameters;
            if (Scope == ConfigScope.CurrentUser && bound.ContainsKey(nameof(StagingCredential)))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException(Text.Config_StagingCredentialSessionOnly),
                    "StagingCredentialSessionOnly",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            if (StagingEndpoint != null)
            {
                try
                {
                    StagingSetup.CheckEndpoint(StagingEndpoint);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "InvalidStagingEndpoint", ErrorCategory.InvalidArgument, null));
                }
            }

            if (StagingUri != null)
            {
                try
                {
                    StagingSetup.CheckUri(StagingUri, StagingEndpoint, StagingRegion);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "InvalidStagingUri", ErrorCategory.InvalidArgument, null));
                }
            }
        }

        private void ApplyStaging(SettingsValues values, IDictionary<string, object> bound)
        {
            if (bound.ContainsKey(nameof(StagingUri))) values.StagingUri = StagingUri;
            if (bound.ContainsKey(nameof(StagingEndpoint))) values.StagingEndpoint = StagingEndpoint;
            if (bound.ContainsKey(nameof(StagingRegion))) values.StagingRegion = string.IsNullOrWhiteSpace(StagingRegion) ? null : StagingRegion;
            if (bound.ContainsKey(nameof(StagingCredential))) values.StagingCredential = StagingCredential?.GetNetworkCredential();
            if (bound.ContainsKey(nameof(StagingSecretName))) values.StagingSecretName = string.IsNullOrWhiteSpace(StagingSecretName) ? null : StagingSecretName;
        }
    }
}
