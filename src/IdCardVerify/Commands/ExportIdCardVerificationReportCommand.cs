using System;
using System.Collections.Generic;
using System.Management.Automation;
using IdCardVerify.Commands;
using IdCardVerify.Report;

namespace IdCardVerify
{
    /// <summary>Writes one self-contained HTML page for the people who review the rows the module could not clear.</summary>
    [Cmdlet(VerbsData.Export, "IdCardVerificationReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(System.IO.FileInfo))]
    public sealed class ExportIdCardVerificationReportCommand : PSCmdlet, IDisposable
    {
        private ReviewReport? _report;
        private string _path = string.Empty;

        /// <summary>The HTML file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>A verification result (fresh, resumed from a journal, or a Verdict Error row of -IncludeFailed).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>Give matches cards with portraits too, instead of a compact list.</summary>
        [Parameter]
        public SwitchParameter IncludeMatches { get; set; }

        /// <summary>Show names, ID numbers, birth dates and addresses in full (masked by default).</summary>
        [Parameter]
        public SwitchParameter IncludePersonalData { get; set; }

        /// <summary>Leave the portraits out.</summary>
        [Parameter]
        public SwitchParameter NoPortrait { get; set; }

        /// <summary>The most cards the page holds; past it the page says how many rows were left out.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int MaxCards { get; set; } = 5000;

        /// <summary>The page's language (zh-CN, en-US …); the session's ($PSUICulture) when not given.</summary>
        [Parameter]
        [ValidateNotNull]
        public System.Globalization.CultureInfo? Culture { get; set; }

        protected override void BeginProcessing()
        {
            DebugSwitch.MakeSafe(this);
            _path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            _report = new ReviewReport(new ReportOptions
            {
                IncludeMatches = IncludeMatches,
                IncludePersonalData = IncludePersonalData,
                NoPortrait = NoPortrait,
                MaxCards = MaxCards,
                Culture = Culture,
            });
        }

        protected override void ProcessRecord()
        {
            if (!(InputObject?.BaseObject is VerificationResult result))
            {
                WriteError(ErrorRecords.InvalidInput(
                    "NotAVerificationResult",
                    Text.Report_NotAResult,
                    InputObject));
                return;
            }

            // The row's own columns (EmployeeId, ...), copied onto the result by Invoke-IdCardVerification.
            var columns = new List<KeyValuePair<string, object?>>();
            foreach (var property in InputObject.Properties)
            {
                if (property.MemberType == PSMemberTypes.NoteProperty)
                {
                    columns.Add(new KeyValuePair<string, object?>(property.Name, property.Value is PSObject wrapped && wrapped.BaseObject is string text ? text : property.Value));
                }
            }

            _report!.Add(result, columns);
        }

        protected override void EndProcessing()
        {
            if (!ShouldProcess(_path, "Write the review report"))
            {
                return;
            }

            try
            {
                _report!.WriteTo(_path);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "ReportUnwritable", ErrorCategory.WriteError, Path));
            }

            WriteObject(new System.IO.FileInfo(_path));
        }

        /// <summary>Deletes the temporary files the report was spooled to.</summary>
        public void Dispose() => _report?.Dispose();
    }
}
