using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Invoke-IdCardVerification's inputs of one ProcessRecord call: -Path (wildcards expanded by the file system
    /// provider; a pattern that matches nothing is one error and the run goes on), -LiteralPath, or what the pipeline and
    /// -ImageUrl give (<see cref="PipelineInput"/>).
    /// </summary>
    internal static class PathInputs
    {
        public static IEnumerable<PipelineItem> Read(InvokeIdCardVerificationCommand cmdlet, ColumnChoice columns)
        {
            var expected = new Verification.ExpectedPerson(cmdlet.ExpectedIdNumber, cmdlet.ExpectedName);
            var pipedFile = cmdlet.InputObject?.BaseObject is System.IO.FileSystemInfo;
            if (cmdlet.Path != null)
            {
                return PipelineInput.ReadPaths(cmdlet.Path.SelectMany(p => ExpandPath(cmdlet, p)), cmdlet.InputObject, expected);
            }

            if (cmdlet.LiteralPath != null && !pipedFile)
            {
                return PipelineInput.ReadPaths(cmdlet.LiteralPath.Select(p => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)), cmdlet.InputObject, expected);
            }

            return PipelineInput.Read(cmdlet.ImageUrl, cmdlet.InputObject, columns, expected, p => ToFileSystemPath(cmdlet, p));
        }

        // -Path: wildcards expanded by the file system provider; a pattern that matches nothing is one error, the run goes on.
        private static IEnumerable<string> ExpandPath(PSCmdlet cmdlet, string pattern)
        {
            System.Collections.ObjectModel.Collection<string>? found = null;
            try
            {
                found = cmdlet.GetResolvedProviderPathFromPSPath(pattern, out _);
            }
            catch (ItemNotFoundException) when (!WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                // A plain path: refused per input, with the path named.
                return new[] { cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(pattern) };
            }
            catch (ItemNotFoundException)
            {
            }

            if (found == null || found.Count == 0)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new System.IO.FileNotFoundException(Words.Format(Text.Input_NoMatch, pattern)),
                    "ImageUnreadable",
                    ErrorCategory.ObjectNotFound,
                    pattern));
                return Array.Empty<string>();
            }

            return found;
        }

        public static string? ToFileSystemPath(PSCmdlet cmdlet, string path)
        {
            try
            {
                return cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException || ex is ArgumentException || ex is PSInvalidOperationException)
            {
                return null;
            }
        }
    }
}
