using System;
using System.Management.Automation;

namespace IdCardVerify
{
    /// <summary>
    /// One verification: what the API answered for one input, and the module's decision on it.
    /// Every answer the API gave with HTTP 200 becomes one of these, business failures included.
    /// </summary>
    public sealed class VerificationResult
    {
        private byte[]? _portrait;

        /// <summary>The image URL that was verified (empty for a local file: its staged URL is a credential, never kept).</summary>
        public string ImageUrl { get; set; } = string.Empty;

        /// <summary>The local file that was verified (-Path, -LiteralPath, Get-ChildItem, an ImagePath column), or null for a URL.</summary>
        public string? ImagePath { get; set; }

        /// <summary>The API's business code: <c>Success</c> or e.g. <c>FailedOperation.IdNameMisMatch</c>.</summary>
        public string Result { get; set; } = string.Empty;

        /// <summary>True when <see cref="Result"/> is <c>Success</c> (compared without case).</summary>
        public bool IsSuccess { get; set; }

        /// <summary>Similarity of the card portrait to the authoritative photo, 0-100; null when the API sent none.</summary>
        public double? Similarity { get; set; }

        /// <summary>The threshold <see cref="IsMatch"/> was decided with.</summary>
        public double Threshold { get; set; }

        /// <summary>True when the API compared successfully and <see cref="Similarity"/> reached <see cref="Threshold"/>.</summary>
        public bool IsMatch { get; set; }

        /// <summary>Match, NoMatch, Warning, Failed, Review, or Error (an input that ended in an error, with -IncludeFailed).</summary>
        public Verdict Verdict { get; set; }

        /// <summary>The API's human text for <see cref="Result"/>, often Chinese.</summary>
        public string Description { get; set; } = string.Empty;

        /// <summary>Name read from the card (OCR); empty when not recognised.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>Sex read from the card (OCR).</summary>
        public string Sex { get; set; } = string.Empty;

        /// <summary>Ethnic group read from the card (OCR).</summary>
        public string Nation { get; set; } = string.Empty;

        /// <summary>Birth date read from the card (OCR), as the API wrote it, e.g. 1990/01/01.</summary>
        public string Birth { get; set; } = string.Empty;

        /// <summary>Address read from the card (OCR).</summary>
        public string Address { get; set; } = string.Empty;

        /// <summary>ID number read from the card (OCR).</summary>
        public string IdNumber { get; set; } = string.Empty;

        /// <summary>The warnings the API reported, as flags.</summary>
        public IdCardWarning Warnings { get; set; }

        /// <summary>The warning codes exactly as the API sent them (e.g. <c>-9101|-9106</c>); unknown codes are kept here.</summary>
        public string WarningCodes { get; set; } = string.Empty;

        /// <summary>Image quality score 0-100; meaningful only when the quality check was asked for.</summary>
        public double? Quality { get; set; }

        /// <summary>The API's <c>encryption</c> field as raw JSON text; null when the API sent null or nothing.</summary>
        public string? Encryption { get; set; }

        /// <summary>
        /// What does not add up in the answer, joined by "; ": an ID number that fails its check
        /// character, a birth date or sex that differs from the ID number, a similarity outside 0-100.
        /// Empty when everything agrees. A run also writes them, together, as one warning for the input.
        /// </summary>
        public string Inconsistencies { get; set; } = string.Empty;

        /// <summary>
        /// Why the verdict is what it is, in words a reviewer acts on, and the next step (a photocopy: ask for a photo of
        /// the original card; not the row's person: ask for the applicant's own card; ...).
        /// </summary>
        public string Reason { get; set; } = string.Empty;

        /// <summary>Who the row is: the -KeyProperty column, else the row's first column that is neither the image nor personal data (an employee id, say).</summary>
        public string Key { get; set; } = string.Empty;

        /// <summary>
        /// Whether the card is the row's person (-ExpectedIdNumber, -ExpectedName, or the row's 身份证号/姓名 columns):
        /// Same, IdNumberDiffers, NameDiffers, BothDiffer, or NotChecked. A card that is not the row's is never a Match.
        /// </summary>
        public IdentityCheck Identity { get; set; }

        /// <summary>True when the API returned a cropped portrait; get it with <see cref="GetPortrait"/> or <see cref="SavePortrait"/>.</summary>
        public bool HasPortrait => _portrait != null && _portrait.Length > 0;

        /// <summary>The file the portrait was written to (with -PortraitDirectory); otherwise null.</summary>
        public string? PortraitPath { get; set; }

        /// <summary>With -IncludeFailed, on a <c>Verdict Error</c> row: the ErrorId of the error record written for the input (e.g. <c>InvalidImageUrl</c>, <c>ApiError</c>, <c>NotVerified</c>).</summary>
        public string? ErrorId { get; set; }

        /// <summary>With -IncludeFailed, on a <c>Verdict Error</c> row: the error's message, masked like every message.</summary>
        public string? ErrorMessage { get; set; }

        /// <summary>With -IncludeFailed, on a <c>Verdict Error</c> row: the HTTP status, when the API answered one.</summary>
        public int? StatusCode { get; set; }

        /// <summary>True when this result was read back from a -CheckpointPath journal instead of calling the API again.</summary>
        public bool FromCheckpoint { get; set; }

        /// <summary>
        /// The pipeline object this result came from (a CSV row, a string). Hidden from Get-Member,
        /// Format-List and Export-Csv so that a CSV export does not repeat the whole input row in one
        /// cell; read it as <c>$result.InputObject</c>.
        /// </summary>
        [Hidden]
        public object? InputObject { get; set; }

        /// <summary>The cropped portrait as JPEG bytes, or null. A method, not a property, so exports never dump it as base64.</summary>
        public byte[]? GetPortrait() => _portrait == null ? null : (byte[])_portrait.Clone();

        /// <summary>Writes the portrait to <paramref name="path"/> as a JPEG file, readable by its owner alone, and returns the full path.</summary>
        public string SavePortrait(string path)
        {
            if (!HasPortrait)
            {
                throw new InvalidOperationException(Words.Format(Text.Result_NoPortrait, ImageUrl));
            }

            var full = System.IO.Path.GetFullPath(path);
            // A face is personal data: the file is its owner's alone (0600) from the start.
            Files.PrivateFiles.WriteAllBytes(full, _portrait!);
            return full;
        }

        internal void SetPortrait(byte[]? jpeg) => _portrait = jpeg;

        /// <summary>
        /// True when <see cref="PortraitPath"/> is a file the module wrote (this run, or a journal line that carries this
        /// user's key): only such a file is embedded in a review report. A path set by hand, or read from an edited
        /// journal line, is never read.
        /// </summary>
        internal bool PortraitWrittenByModule { get; set; }

        /// <summary>The row an input that ended in an error yields in its place with -IncludeFailed.</summary>
        internal static VerificationResult ForError(string? imageUrl, double threshold, string errorId, string message, int? statusCode, object? input) => new VerificationResult
        {
            ImageUrl = imageUrl ?? string.Empty,
            Threshold = threshold,
            Verdict = Verdict.Error,
            ErrorId = errorId,
            ErrorMessage = message,
            StatusCode = statusCode,
            InputObject = input,
        };

        /// <summary>
        /// Replaces the personal data in this object with masked values (-MaskPersonalData): name and
        /// ID number masked, birth date to its year, address to its first characters, ID numbers masked
        /// wherever else they stand (the image URL, the API's description, an error's message), portrait
        /// dropped (and the path of a portrait file an earlier run wrote: a face is personal data). Masking
        /// a masked value changes nothing, so nothing is ever guessed "already masked".
        /// </summary>
        internal void MaskPersonalData()
        {
            if (!IsMasked)
            {
                // The card's name as read, in memory only: masked by content wherever else it stands (a file's name, a column).
                NameAsRead = Name;
            }

            var names = new[] { NameAsRead };
            PortraitPath = null;
            ImageUrl = PersonalData.MaskNamesIn(PersonalData.MaskIdNumbersIn(ImageUrl), names);
            ImagePath = ImagePath == null ? null : PersonalData.MaskNamesIn(PersonalData.MaskIdNumbersIn(ImagePath), names);
            Description = PersonalData.MaskIdNumbersIn(Description);
            ErrorMessage = ErrorMessage == null ? null : PersonalData.MaskIdNumbersIn(ErrorMessage);
            Name = PersonalData.MaskName(Name);
            IdNumber = PersonalData.MaskIdNumber(IdNumber);
            Birth = PersonalData.MaskBirth(Birth);
            Address = PersonalData.MaskAddress(Address);
            _portrait = null;
            IsMasked = true;
        }

        /// <summary>The name the card bore before it was masked (never a property: not shown, not exported).</summary>
        internal string? NameAsRead { get; private set; }

        /// <summary>True when the personal data in this object was masked (-MaskPersonalData).</summary>
        public bool IsMasked { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{Verdict} {Similarity?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {ImagePath ?? ImageUrl}";
    }
}
