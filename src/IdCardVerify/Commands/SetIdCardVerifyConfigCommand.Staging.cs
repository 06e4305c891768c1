using System;
using System.Collections.Generic;
using System.Management.Automation;
using IdCardVerify.Settings;
using IdCardVerify.Bulk;

namespace IdCardVerify
{
    /// <summary>Set-IdCardVerifyConfig's staging settings: where local files are staged for the API to download.</summary>
    public sealed partial class SetIdCardVerifyConfigCommand
    {
        private void CheckStaging()
        {
            var bound = MyInvocation.BoundParameters;
            if (Scope == ConfigScope.CurrentUser && bound.ContainsKey(nameof(StagingCredential)))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("A staging credential is kept for the session only, so it is never written to disk: drop -Scope CurrentUser, or keep it in a secret vault and store its name with -StagingSecretName."),
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
