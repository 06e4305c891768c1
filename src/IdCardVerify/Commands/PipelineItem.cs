using System;
using System.Globalization;
using System.Management.Automation;
using IdCardVerify.Bulk;
using IdCardVerify.Verification;

namespace IdCardVerify.Commands
{
    /// <summary>One input as the pipeline gave it: its URL, the object to carry to the result, or why it cannot be sent.</summary>
    internal sealed class PipelineItem
    {
        public PipelineItem(string? url, object? input, string? columns = null, string? localPath = null)
        {
            Url = url;
            Input = input;
            Columns = columns;
            LocalPath = localPath;
        }

        /// <summary>Who the row says the card's person is.</summary>
        public ExpectedPerson Expected { get; set; } = ExpectedPerson.None;

        /// <summary>Set when the row's column names or values hold U+FFFD: the file was read in the wrong encoding.</summary>
        public bool Garbled { get; set; }

        /// <summary>Set when the row has several columns of http(s) URLs and none was named: their names.</summary>
        public string? Ambiguous { get; set; }

        /// <summary>Set when -ImageUrlProperty names a column the row does not have.</summary>
        public string? MissingNamed { get; set; }

        /// <summary>Set when a path column's value leaves -ImageRoot: the root.</summary>
        public string? OutsideRoot { get; set; }

        /// <summary>Set when the input is a file on this computer (-Path, -LiteralPath, Get-ChildItem, an ImagePath column): its full path.</summary>
        public string? LocalPath { get; }

        /// <summary>Set when the input is a folder, not a file: its path.</summary>
        public string? Folder { get; set; }

        /// <summary>What all inputs refused for the same reason share: the columns of rows without a URL, or "folders".</summary>
        public string? Shape => Folder != null ? "\0folders" : Garbled ? "\0garbled" : Ambiguous != null ? "\0ambiguous" + Ambiguous : MissingNamed != null ? "\0named" + Columns : Columns;

        public string? Url { get; }

        /// <summary>The string or Uri itself, or the whole row (a PSObject, columns and all).</summary>
        public object? Input { get; }

        /// <summary>Set when the row has no URL column at all: the columns it has.</summary>
        public string? Columns { get; }

        /// <summary>The error to write instead of sending input <paramref name="index"/>, or null when it can be sent.</summary>
        public ErrorRecord? Refusal(long index)
        {
            if (Folder != null)
            {
                return ErrorRecords.InvalidInput("ImageUnreadable", string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Input_Folder,
                    index,
                    PersonalData.MaskIdNumbersIn(Folder)), Input);
            }

            if (OutsideRoot != null)
            {
                return ErrorRecords.InvalidInput("ImageOutsideRoot", string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Input_OutsideRoot,
                    index,
                    PersonalData.MaskIdNumbersIn(OutsideRoot)), Input);
            }

            if (LocalPath != null)
            {
                return System.IO.File.Exists(LocalPath) ? null : ErrorRecords.InvalidInput("ImageUnreadable", string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Input_NoFile,
                    index,
                    PersonalData.MaskIdNumbersIn(LocalPath)), Input);
            }

            if (Garbled)
            {
                return ErrorRecords.InvalidInput("InputEncoding", string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Input_Garbled,
                    index), Input);
            }

            if (Ambiguous != null)
            {
                return ErrorRecords.InvalidInput("AmbiguousImageUrl", string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Input_Ambiguous,
                    index,
                    Ambiguous,
                    Ambiguous.Split(',')[0].Trim()), Input);
            }

            if (MissingNamed != null)
            {
                return ErrorRecords.InvalidInput("MissingImageUrl", string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Input_NoNamedColumn,
                    index,
                    MissingNamed,
                    Columns), Input);
            }

            if (Columns != null)
            {
                return ErrorRecords.InvalidInput("MissingImageUrl", string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Input_NoUrl,
                    index,
                    Columns,
                    string.Join(", ", PipelineInput.UrlPropertyNames),
                    PipelineInput.Fix(Input as PSObject)), Input);
            }

            var problem = WorkItem.UrlProblem(Url);
            if (problem != null)
            {
                return ErrorRecords.InvalidInput(
                    "InvalidImageUrl",
                    Url == null ? Words.Format(Text.Input_EmptyUrl, index) : Words.Format(Text.Input_BadUrl, index, Redaction.ForDisplay(Url), problem),
                    Input);
            }

            // The row's own ID number is checked before paying: a number that fails GB 11643 cannot be the card's.
            var expectedProblem = Expected.IdNumber == null ? null : Identity.ExpectedNumberProblem(Expected.IdNumber);
            return expectedProblem == null ? null
                : ErrorRecords.InvalidInput("InvalidExpectedIdNumber", Words.Format(Text.Input_NotSentBecause, index, expectedProblem), Input);
        }
    }
}
