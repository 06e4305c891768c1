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
        /// <summary>Your own private store for local files: s3://bucket/prefix (AWS S3, COS, OSS, MinIO) or https://account.blob.core.windows.net/container/prefix; $null removes it.</summary>
        [Parameter]
        [AllowNull]
        public Uri? StagingUri { get; set; }

        /// <summary>The S3-compatible store's endpoint when it is not AWS (https://cos.ap-guangzhou.myqcloud.com, https://oss-cn-hangzhou.aliyuncs.com, a MinIO URL).</summary>
        [Parameter]
        [AllowNull]
        public Uri? StagingEndpoint { get; set; }

        /// <summary>The region the S3 requests are signed for (ap-guangzhou, cn-hangzhou, us-east-1 …).</summary>
        [Parameter]
        [AllowNull]
        public string? StagingRegion { get; set; }

        /// <summary>The store's credentials for this session (never stored): S3 access key ID and secret key; Azure account and key, or account and SAS.</summary>
        [Parameter]
        [AllowNull]
        public PSCredential? StagingCredential { get; set; }

        /// <summary>The SecretManagement secret (a PSCredential) holding the store's credentials: its name is kept, never the secret.</summary>
        [Parameter]
        [AllowNull]
        public string? StagingSecretName { get; set; }

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
