using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using IdCardVerify.Commands;
using IdCardVerify.Files;
using IdCardVerify.Sheets;

namespace IdCardVerify
{
    /// <summary>
    /// Writes verification results to a workbook an HR office can open: the row's own columns, then the module's; every ID
    /// number and every text a text cell (never a number Excel would round, never a formula); the header frozen with a filter.
    /// </summary>
    [Cmdlet(VerbsData.Export, "IdCardSheet")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportIdCardSheetCommand : PSCmdlet, IDisposable
    {
        private static readonly HashSet<string> ResultNames = new HashSet<string>(typeof(VerificationResult).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

        private static readonly string[] ModuleColumns =
        {
            nameof(VerificationResult.Verdict), nameof(VerificationResult.Reason), nameof(VerificationResult.Identity), nameof(VerificationResult.Similarity),
            nameof(VerificationResult.IdNumber), nameof(VerificationResult.Name), nameof(VerificationResult.Sex), nameof(VerificationResult.Birth),
            nameof(VerificationResult.Address), nameof(VerificationResult.Warnings), nameof(VerificationResult.Inconsistencies),
            nameof(VerificationResult.ImagePath), nameof(VerificationResult.ImageUrl), nameof(VerificationResult.ErrorId), nameof(VerificationResult.ErrorMessage),
        };

        private SheetWriter? _writer;
        private string? _full;
        private int _verdictColumn = -1;

        /// <summary>The workbook to write (.xlsx); replaced when it exists.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The verification results, from the pipeline.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>Mask personal data as the review page does: the card's and the row's own columns.</summary>
        [Parameter]
        public SwitchParameter MaskPersonalData { get; set; }

        protected override void BeginProcessing()
        {
            DebugSwitch.MakeSafe(this);
            _full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                // It holds names and ID numbers: the user's alone from its creation, never written through a link.
                _writer = SheetWriter.CreateNew(_full, "Verified");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "SheetUnwritable", ErrorCategory.WriteError, _full));
            }
        }

        protected override void ProcessRecord()
        {
            if (!(InputObject?.BaseObject is VerificationResult result))
            {
                WriteError(ErrorRecords.InvalidInput("NotAVerificationResult", IdCardVerify.Text.Sheet_NotAResult, InputObject));
                return;
            }

            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in InputObject.Properties.Where(p => p.MemberType == PSMemberTypes.NoteProperty))
            {
                var name = property.Name;
                if (!ResultNames.Contains(name) && !row.ContainsKey(name))
                {
                    var value = property.Value is PSObject wrapped ? wrapped.BaseObject : property.Value;
                    row[name] = Text(Redaction.Column(name, value, MaskPersonalData || result.IsMasked));
                }
            }

            var mask = MaskPersonalData && !result.IsMasked;
            foreach (var column in ModuleColumns)
            {
                object? value = column switch
                {
                    nameof(VerificationResult.Verdict) => result.Verdict.ToString(),
                    nameof(VerificationResult.Reason) => result.Reason,
                    nameof(VerificationResult.Identity) => result.Identity.ToString(),
                    nameof(VerificationResult.Similarity) => result.Similarity,
                    nameof(VerificationResult.IdNumber) => mask ? PersonalData.MaskIdNumber(result.IdNumber) : result.IdNumber,
                    nameof(VerificationResult.Name) => mask ? PersonalData.MaskName(result.Name) : result.Name,
                    nameof(VerificationResult.Sex) => result.Sex,
                    nameof(VerificationResult.Birth) => mask ? PersonalData.MaskBirth(result.Birth) : result.Birth,
                    nameof(VerificationResult.Address) => mask ? PersonalData.MaskAddress(result.Address) : result.Address,
                    nameof(VerificationResult.Warnings) => result.Warnings == IdCardWarning.None ? string.Empty : result.Warnings.ToString(),
                    nameof(VerificationResult.Inconsistencies) => result.Inconsistencies,
                    nameof(VerificationResult.ImagePath) => result.ImagePath == null ? null : mask ? PersonalData.MaskIdNumbersIn(result.ImagePath) : result.ImagePath,
                    nameof(VerificationResult.ImageUrl) => Redaction.Url(result.ImageUrl),
                    nameof(VerificationResult.ErrorId) => result.ErrorId,
                    nameof(VerificationResult.ErrorMessage) => result.ErrorMessage,
                    _ => null,
                };
                row[column] = value is double number ? (object)number : Text(value);
            }

            if (_verdictColumn < 0)
            {
                // The first row's columns are the workbook's.
                _verdictColumn = row.Keys.ToList().IndexOf(nameof(VerificationResult.Verdict));
            }

            _writer!.Add(row);
        }

        protected override void EndProcessing()
        {
            if (_writer == null)
            {
                return;
            }

            try
            {
                _writer.Finish();
                if (_verdictColumn >= 0)
                {
                    VerdictColours.Apply(_full!, _verdictColumn);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is UnauthorizedAccessException || ex is InvalidDataException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "SheetUnwritable", ErrorCategory.WriteError, _full));
            }

            WriteVerbose(string.Format(CultureInfo.InvariantCulture, IdCardVerify.Text.Sheet_Wrote, _writer.Count, _full));
            WriteObject(new FileInfo(_full!));
            _writer = null;
        }

        public void Dispose() => _writer?.Dispose();

        /// <summary>A value as the cell's text: a string cell (never a number Excel would round, never a formula).</summary>
        private static string? Text(object? value) => value == null ? null : value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture);
    }
}
