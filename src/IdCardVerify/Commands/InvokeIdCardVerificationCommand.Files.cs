using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IdCardVerify.Commands;

namespace IdCardVerify
{
    /// <summary>Invoke-IdCardVerification's local files: -Path, -LiteralPath, -ImagePathProperty, and where they are staged for one run.</summary>
    public sealed partial class InvokeIdCardVerificationCommand
    {
        /// <summary>Local image files (wildcards allowed): each is checked, shrunk to the API's limit when needed, and staged privately for the API to download.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>Local image files, as written (no wildcards); Get-ChildItem's files bind here.</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>The column of the rows that holds a local file's path (照片路径, say), when it is not named ImagePath or Path.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImagePathProperty { get; set; }

        /// <summary>For this run: your own private store for local files (s3://bucket/prefix, or https://account.blob.core.windows.net/container/prefix).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? StagingUri { get; set; }

        /// <summary>For this run: the S3-compatible store's endpoint (COS, OSS, MinIO), when it is not AWS.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? StagingEndpoint { get; set; }

        /// <summary>For this run: the region S3 requests are signed for.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StagingRegion { get; set; }

        /// <summary>For this run: the store's credentials (S3: access key ID and secret key; Azure: account and key, or account and SAS).</summary>
        [Parameter]
        [ValidateNotNull]
        public PSCredential? StagingCredential { get; set; }

        /// <summary>For this run: the SecretManagement secret (a PSCredential) with the store's credentials.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StagingSecretName { get; set; }

        /// <summary>The inputs of this ProcessRecord call: -Path/-LiteralPath, or what the pipeline and -ImageUrl give.</summary>
        /// <summary>
        /// The folder a sheet's photo files are in: relative paths of a path column (ImagePath, -ImagePathProperty) resolve
        /// there instead of the current folder, and no path may leave it (ImageOutsideRoot).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImageRoot { get; set; }

        private IEnumerable<PipelineItem> Inputs()
        {
            var expected = new Verification.ExpectedPerson(ExpectedIdNumber, ExpectedName);
            var pipedFile = InputObject?.BaseObject is System.IO.FileSystemInfo;
            if (Path != null)
            {
                return PipelineInput.ReadPaths(Path.SelectMany(ExpandPath), InputObject, expected);
            }

            if (LiteralPath != null && !pipedFile)
            {
                return PipelineInput.ReadPaths(LiteralPath.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)), InputObject, expected);
            }

            return PipelineInput.Read(ImageUrl, InputObject, _columns!, expected, ToFileSystemPath);
        }

        // -Path: wildcards expanded by the file system provider; a pattern that matches nothing is one error, the run goes on.
        private IEnumerable<string> ExpandPath(string pattern)
        {
            System.Collections.ObjectModel.Collection<string>? found = null;
            try
            {
                found = GetResolvedProviderPathFromPSPath(pattern, out _);
            }
            catch (ItemNotFoundException) when (!WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                // A plain path: refused per input, with the path named.
                return new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(pattern) };
            }
            catch (ItemNotFoundException)
            {
            }

            if (found == null || found.Count == 0)
            {
                WriteError(new ErrorRecord(
                    new System.IO.FileNotFoundException($"-Path '{pattern}' matches no file. Check the folder and the pattern (Get-ChildItem '{pattern}' lists what it matches)."),
                    "ImageUnreadable",
                    ErrorCategory.ObjectNotFound,
                    pattern));
                return Array.Empty<string>();
            }

            return found;
        }

        private string? ToFileSystemPath(string path)
        {
            try
            {
                return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException || ex is ArgumentException || ex is PSInvalidOperationException)
            {
                return null;
            }
        }
    }
}
