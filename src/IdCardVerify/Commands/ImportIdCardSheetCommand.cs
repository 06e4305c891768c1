using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using IdCardVerify.Commands;
using IdCardVerify.Sheets;

namespace IdCardVerify
{
    /// <summary>
    /// Reads an HR office's sheet as it comes (a workbook, or a CSV or text export in whatever encoding and separator) into
    /// one object per row, which pipes into Invoke-IdCardVerification as Import-Csv's rows do.
    /// </summary>
    [Cmdlet(VerbsData.Import, "IdCardSheet")]
    [OutputType(typeof(PSObject))]
    public sealed class ImportIdCardSheetCommand : PSCmdlet
    {
        /// <summary>The sheet: .xlsx, .csv or .txt.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>A workbook's worksheet, by name or number (1 is the first); the first by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Worksheet { get; set; }

        /// <summary>A text sheet's encoding (utf8, utf8BOM, gb18030, gbk, unicode, bigendianunicode, or a code page), when detection is not wanted.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EncodingNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Encoding { get; set; }

        /// <summary>A text sheet's separator, when detection is not wanted: ',' ';' or "`t".</summary>
        [Parameter]
        public char? Delimiter { get; set; }

        protected override void BeginProcessing() => DebugSwitch.MakeSafe(this);

        protected override void ProcessRecord()
        {
            var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            System.Text.Encoding? encoding = null;
            if (Encoding != null)
            {
                encoding = EncodingNameCompleter.Parse(Encoding) ?? throw new PSArgumentException(Words.Format(IdCardVerify.Text.Sheet_BadEncoding, Encoding));
            }

            var rows = 0;
            var destroyed = 0;
            try
            {
                foreach (var row in SheetReader.Read(full, Worksheet, encoding, Delimiter, IsIdColumn, IsPathColumn))
                {
                    rows++;
                    var output = new PSObject();
                    foreach (var cell in row.Cells)
                    {
                        if (output.Properties[cell.Key] == null)
                        {
                            output.Properties.Add(new PSNoteProperty(cell.Key, cell.Value));
                        }
                    }

                    if (row.Destroyed.Count > 0)
                    {
                        destroyed++;
                        WriteError(ErrorRecords.InvalidInput(
                            "IdNumberDestroyedBySpreadsheet",
                            Words.Format(IdCardVerify.Text.Sheet_Destroyed, row.Number, System.IO.Path.GetFileName(full), string.Join("', '", row.Destroyed)),
                            output));
                    }

                    WriteObject(output);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is ArgumentException || ex is InvalidDataException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "SheetUnreadable", ErrorCategory.ReadError, full)
                {
                    ErrorDetails = new ErrorDetails(Words.Format(IdCardVerify.Text.Sheet_Unreadable, full, ex.Message)) { RecommendedAction = Text.Sheet_UnreadableAction },
                });
            }

            WriteVerbose(Shown.Message(Words.Format(IdCardVerify.Text.Sheet_Read, rows, full, destroyed > 0 ? Words.Format(IdCardVerify.Text.Sheet_ReadDestroyed, destroyed) : Text.Reason_MatchPlain)));
        }

        private static bool IsIdColumn(string name) =>
            RowColumns.IdNumberNames.Contains(name, StringComparer.OrdinalIgnoreCase) || PersonalData.KindOf(name) == PersonalData.ColumnKind.IdNumber;

        private static bool IsPathColumn(string name) => PathColumns.Names.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Completes -Encoding with the names the sheets of Chinese HR systems come in.</summary>
    public sealed class EncodingNameCompleter : IArgumentCompleter
    {
        private static readonly string[] Names = { "utf8", "utf8BOM", "gb18030", "gbk", "unicode", "bigendianunicode" };

        public System.Collections.Generic.IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
            Names.Where(n => n.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase)).Select(n => new CompletionResult(n));

        internal static System.Text.Encoding? Parse(string name)
        {
            switch (name.Trim().ToLowerInvariant())
            {
                case "utf8": case "utf-8": case "utf8nobom": case "utf8bom": return new UTF8Encoding(false);
                case "gb18030": case "gbk": case "gb2312": case "936": case "54936": return System.Text.Encoding.GetEncoding("GB18030");
                case "unicode": case "utf-16": case "utf16": return System.Text.Encoding.Unicode;
                case "bigendianunicode": case "utf-16be": return System.Text.Encoding.BigEndianUnicode;
                default:
                    try
                    {
                        return int.TryParse(name, out var page) ? System.Text.Encoding.GetEncoding(page) : System.Text.Encoding.GetEncoding(name);
                    }
                    catch (ArgumentException)
                    {
                        return null;
                    }
            }
        }
    }
}
