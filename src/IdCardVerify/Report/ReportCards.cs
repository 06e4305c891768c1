using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using IdCardVerify.Files;

namespace IdCardVerify.Report
{
    /// <summary>One card per row that needs a person: its heading, why, the row's own columns masked, the portrait the module wrote.</summary>
    internal sealed class ReportCards
    {
        private readonly ReportOptions _options;

        public ReportCards(ReportOptions options) => _options = options;

        public string Card(VerificationResult r, IReadOnlyList<KeyValuePair<string, object?>> columns, long row)
        {
            var html = new StringBuilder();
            html.Append(string.Format(CultureInfo.InvariantCulture, "<section class=\"card v-{0}\" data-verdict=\"{0}\" data-row=\"{1}\">\n", r.Verdict, row));
            var portrait = _options.NoPortrait ? null : Portrait(r);
            if (portrait is (byte[] bytes, string type))
            {
                html.Append("<img alt=\"").Append(Encode(IdCardVerify.Text.Report_Portrait)).Append("\" src=\"data:").Append(type).Append(";base64,").Append(Convert.ToBase64String(bytes)).Append("\">\n");
            }

            html.Append("<div>\n<h3><span class=\"badge\">").Append(Encode(ReviewReport.VerdictName(r.Verdict))).Append("</span> ").Append(Encode(Words.Format(IdCardVerify.Text.Report_Row, row)));
            html.Append(r.Verdict == Verdict.Error ? string.Empty : ": " + Encode(Verification.Reasons.Heading(r))).Append("</h3>\n<dl>\n");
            var names = NamesOf(r, columns);
            foreach (var column in columns)
            {
                Item(html, column.Key, Column(column, names), "input");
            }

            Item(html, IdCardVerify.Text.Report_ImageHeader, Image(r, names), "url");
            Item(html, IdCardVerify.Text.Report_Why, Text(Why(r)), "why");
            Item(html, IdCardVerify.Text.Report_Result, string.IsNullOrEmpty(r.Result) ? null : r.Result + (string.IsNullOrEmpty(r.Description) ? string.Empty : " (" + Text(r.Description) + ")"), null);
            Item(html, IdCardVerify.Text.Report_Warnings, r.Warnings == IdCardWarning.None ? null : r.Warnings + " (" + r.WarningCodes + ")", null);
            Item(html, IdCardVerify.Text.Report_Name, Shown(r.Name, PersonalData.MaskName), "pii");
            Item(html, IdCardVerify.Text.Report_IdNumber, Shown(r.IdNumber, PersonalData.MaskIdNumber), "pii");
            Item(html, IdCardVerify.Text.Report_Sex, r.Sex, null);
            Item(html, IdCardVerify.Text.Report_Nation, r.Nation, null);
            Item(html, IdCardVerify.Text.Report_Birth, Shown(r.Birth, PersonalData.MaskBirth), "pii");
            Item(html, IdCardVerify.Text.Report_Address, Shown(r.Address, PersonalData.MaskAddress), "pii");
            html.Append("</dl>\n</div>\n</section>\n");
            return html.ToString();
        }

        /// <summary>Why the row needs a person, and the next step: the result's Reason (the same words as the results and the help).</summary>
        private static string? Why(VerificationResult r)
        {
            // In the page's language, from the result's fields (the same words as its Reason in that language; a result
            // made elsewhere, by hand or deserialized, has the fields too).
            return Verification.Reasons.For(r);
        }

        public string MatchRow(VerificationResult r, IReadOnlyList<KeyValuePair<string, object?>> columns)
        {
            var names = NamesOf(r, columns);
            return string.Format(
                CultureInfo.InvariantCulture,
                "<tr data-verdict=\"Match\"><td>{0:0.##}</td><td>{1}</td><td>{2}</td></tr>\n",
                r.Similarity,
                Encode(string.Join(", ", columns.Select(c => c.Key + "=" + Column(c, names)))),
                Encode(Image(r, names)));
        }

        // A local file by its path (its staged URL is never kept), a URL without its query values; masked, the row's own
        // names inside it too (a scan named after its person).
        private string Image(VerificationResult r, IReadOnlyList<string?> names) => r.ImagePath != null
            ? (_options.IncludePersonalData ? r.ImagePath : PersonalData.MaskNamesIn(PersonalData.MaskIdNumbersIn(r.ImagePath), names))
            : PersonalData.MaskNamesIn(Redaction.ForDisplay(r.ImageUrl, maskIdNumbers: !_options.IncludePersonalData), _options.IncludePersonalData ? Array.Empty<string>() : names);

        // The row's own people: its name columns and the card's name, masked by content wherever else they stand.
        private static IReadOnlyList<string?> NamesOf(VerificationResult r, IReadOnlyList<KeyValuePair<string, object?>> columns) =>
            columns.Where(c => PersonalData.KindOf(c.Key) == PersonalData.ColumnKind.Name).Select(c => Convert.ToString(c.Value, CultureInfo.InvariantCulture))
                .Concat(new[] { r.NameAsRead ?? r.Name }).ToList();

        // Masking a masked value changes nothing, so every value is masked unless personal data was asked for: nothing
        // is taken for "already masked" because it holds a '*'.
        private string? Shown(string value, Func<string, string> mask) =>
            string.IsNullOrEmpty(value) ? null : _options.IncludePersonalData ? value : mask(value);

        /// <summary>A row's own column as the page shows it: masked by its name and content, and never a credential in a URL.</summary>
        private string? Column(KeyValuePair<string, object?> column, IReadOnlyList<string?> names)
        {
            // Text again: a value that is no string (a Uri, say) shows its URL only as text.
            var text = Redaction.Text(Convert.ToString(Redaction.Column(column.Key, column.Value, !_options.IncludePersonalData), CultureInfo.InvariantCulture));
            return _options.IncludePersonalData || PersonalData.KindOf(column.Key) != PersonalData.ColumnKind.Other ? text : PersonalData.MaskNamesIn(text, names);
        }

        /// <summary>A text from the answer or an error: never a credential in a URL, and ID numbers masked unless personal data was asked for.</summary>
        private string? Text(string? text) =>
            text == null ? null : _options.IncludePersonalData ? Redaction.Text(text) : PersonalData.MaskIdNumbersIn(Redaction.Text(text));

        /// <summary>The largest portrait file embedded: the API's crops are a few kilobytes.</summary>
        private const long MaxPortraitBytes = 2 * 1024 * 1024;

        private static readonly System.Text.RegularExpressions.Regex PortraitName =
            new System.Text.RegularExpressions.Regex("^portrait-[0-9a-f]{16}\\.jpg$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// The portrait to embed: the one in memory, or a file only when the module wrote it (<see
        /// cref="VerificationResult.PortraitWrittenByModule"/>) under its own name pattern, it is a regular file reached
        /// without a link, not too large, and its bytes are a JPEG or PNG. Anything else (a path edited to point at a
        /// settings file, a link planted at the name, a FIFO) is left out, and the card is shown without it.
        /// </summary>
        private static (byte[] Bytes, string Type)? Portrait(VerificationResult r)
        {
            if (r.HasPortrait)
            {
                var bytes = r.GetPortrait()!;
                return (bytes, ImageType(bytes) ?? "image/jpeg");
            }

            var path = r.PortraitPath;
            if (!r.PortraitWrittenByModule || path == null || !PortraitName.IsMatch(System.IO.Path.GetFileName(path)) || !PrivateFiles.IsPlainFile(path, MaxPortraitBytes))
            {
                return null;
            }

            try
            {
                var bytes = BoundedFile.Read(path, MaxPortraitBytes);
                return ImageType(bytes) is string type ? (bytes, type) : ((byte[], string)?)null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The media type the bytes begin with: JPEG or PNG, else null.</summary>
        private static string? ImageType(byte[] bytes)
        {
            if (bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
            {
                return "image/jpeg";
            }

            return bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G' && bytes[4] == 0x0D && bytes[5] == 0x0A && bytes[6] == 0x1A && bytes[7] == 0x0A
                ? "image/png"
                : null;
        }

        private static void Item(StringBuilder html, string label, string? value, string? cssClass)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            html.Append("<dt>").Append(Encode(label)).Append("</dt><dd");
            if (cssClass != null)
            {
                html.Append(" class=\"").Append(cssClass).Append("\" data-field=\"").Append(Encode(label)).Append('"');
            }

            html.Append('>').Append(Encode(value!)).Append("</dd>\n");
        }

        /// <summary>Text made safe to stand in the page (the one HTML encoding of the report).</summary>
        internal static string Encode(string text) => WebUtility.HtmlEncode(text);
    }
}
