using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace IdCardVerify.Sheets
{
    /// <summary>
    /// Colours a written workbook's Verdict column by conditional formatting (MiniExcel styles no single cell): Match
    /// green, Review amber, NoMatch and Warning and Failed orange, Error red. The rules live in the workbook, so a
    /// filtered or sorted sheet keeps them. Edits the package's sheet and styles parts in place.
    /// </summary>
    internal static class VerdictColours
    {
        // Fill colours (ARGB) a reviewer reads at a glance, one differential format each.
        private static readonly (string Verdict, string Fill)[] Rules =
        {
            ("Match", "FFC6EFCE"), ("Review", "FFFFEB9C"), ("NoMatch", "FFF8CBAD"), ("Warning", "FFF8CBAD"), ("Failed", "FFF8CBAD"), ("Error", "FFFFC7CE"),
        };

        /// <summary>Adds the rules for column <paramref name="column"/> (0-based) of the first worksheet of the package in <paramref name="stream"/>.</summary>
        /// <summary>The written workbook at <paramref name="path"/>, reopened to colour the verdicts: still this user's own private regular file, checked on the handle.</summary>
        public static void Apply(string path, int column)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            if (Files.PrivateFiles.OwnFileProblem(file.SafeFileHandle) is string problem)
            {
                throw new IOException(Words.Format(Text.Sheet_Changed, path, problem));
            }

            Apply(file, column);
        }

        public static void Apply(Stream stream, int column)
        {
            using var package = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true);
            var sheet = package.GetEntry("xl/worksheets/sheet1.xml");
            var styles = package.GetEntry("xl/styles.xml");
            if (sheet == null || styles == null)
            {
                return;
            }

            var stylesXml = Read(styles);
            var dxfs = new StringBuilder("<x:dxfs count=\"" + Rules.Length + "\">");
            foreach (var (_, fill) in Rules)
            {
                dxfs.Append("<x:dxf><x:fill><x:patternFill patternType=\"solid\"><x:fgColor rgb=\"").Append(fill).Append("\"/><x:bgColor rgb=\"").Append(fill).Append("\"/></x:patternFill></x:fill></x:dxf>");
            }

            dxfs.Append("</x:dxfs>");
            var prefix = stylesXml.Contains("<x:styleSheet") ? "x:" : string.Empty;
            var dxfsText = prefix.Length > 0 ? dxfs.ToString() : dxfs.ToString().Replace("x:", string.Empty);
            stylesXml = Insert(stylesXml, prefix, "dxfs", dxfsText, new[] { "tableStyles", "colors", "extLst" }, "styleSheet");

            var sheetXml = Read(sheet);
            var letter = Letter(column);
            var sheetPrefix = sheetXml.Contains("<x:worksheet") ? "x:" : string.Empty;
            var rules = new StringBuilder();
            rules.Append('<').Append(sheetPrefix).Append("conditionalFormatting sqref=\"").Append(letter).Append("2:").Append(letter).Append("1048576\">");
            for (var i = 0; i < Rules.Length; i++)
            {
                rules.Append('<').Append(sheetPrefix).Append("cfRule type=\"cellIs\" dxfId=\"").Append(i).Append("\" priority=\"").Append(i + 1).Append("\" operator=\"equal\"><")
                    .Append(sheetPrefix).Append("formula>\"").Append(Rules[i].Verdict).Append("\"</").Append(sheetPrefix).Append("formula></").Append(sheetPrefix).Append("cfRule>");
            }

            rules.Append("</").Append(sheetPrefix).Append("conditionalFormatting>");
            // After sheetData, autoFilter and mergeCells; before what the schema puts later.
            sheetXml = Insert(sheetXml, sheetPrefix, "conditionalFormatting", rules.ToString(), new[] { "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "drawing", "legacyDrawing", "tableParts", "extLst" }, "worksheet");
            Write(styles, stylesXml);
            Write(sheet, sheetXml);
        }

        /// <summary>A column's letters: 0 is A, 25 Z, 26 AA.</summary>
        internal static string Letter(int column)
        {
            var letters = string.Empty;
            for (var n = column + 1; n > 0; n = (n - 1) / 26)
            {
                letters = (char)('A' + ((n - 1) % 26)) + letters;
            }

            return letters;
        }

        // Replaces an existing element, else inserts before the first of the elements that must follow it, else before the root's end.
        private static string Insert(string xml, string prefix, string name, string element, string[] before, string root)
        {
            var open = "<" + prefix + name;
            var at = xml.IndexOf(open + ">", StringComparison.Ordinal) >= 0 ? xml.IndexOf(open + ">", StringComparison.Ordinal) : xml.IndexOf(open + " ", StringComparison.Ordinal);
            if (at >= 0)
            {
                var selfClosing = xml.IndexOf("/>", at, StringComparison.Ordinal);
                var closing = xml.IndexOf("</" + prefix + name + ">", at, StringComparison.Ordinal);
                var nextOpen = xml.IndexOf('>', at);
                var end = nextOpen > 0 && xml[nextOpen - 1] == '/' ? selfClosing + 2 : closing + ("</" + prefix + name + ">").Length;
                return xml.Substring(0, at) + element + xml.Substring(end);
            }

            foreach (var later in before)
            {
                var index = xml.IndexOf("<" + prefix + later, StringComparison.Ordinal);
                if (index >= 0)
                {
                    return xml.Insert(index, element);
                }
            }

            var last = xml.LastIndexOf("</" + prefix + root + ">", StringComparison.Ordinal);
            return last < 0 ? xml : xml.Insert(last, element);
        }

        private static string Read(ZipArchiveEntry entry)
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }

        private static void Write(ZipArchiveEntry entry, string xml)
        {
            using var stream = entry.Open();
            stream.SetLength(0);
            var bytes = new UTF8Encoding(false).GetBytes(xml);
            stream.Write(bytes, 0, bytes.Length);
        }
    }
}
