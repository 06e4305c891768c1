using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using IdCardVerify.Files;
using MiniExcelLibs;
using MiniExcelLibs.Csv;

namespace IdCardVerify.Sheets
{
    /// <summary>One row of a sheet: its number in the file, its cells under the header's names, and what it could not keep.</summary>
    internal sealed class SheetRow
    {
        public SheetRow(int number, List<KeyValuePair<string, object?>> cells)
        {
            Number = number;
            Cells = cells;
        }

        /// <summary>The row's number as a spreadsheet shows it (1-based, the header counted).</summary>
        public int Number { get; }

        public List<KeyValuePair<string, object?>> Cells { get; }

        /// <summary>Columns whose ID number a spreadsheet destroyed (a number, scientific notation, trailing 000s): emptied.</summary>
        public List<string> Destroyed { get; } = new List<string>();
    }

    /// <summary>
    /// Reads an HR office's sheet as it comes: a workbook (.xlsx, first worksheet or one named or numbered) or a text file
    /// (.csv, .txt) in UTF-8 with or without BOM, UTF-16 with BOM or GB18030/GBK, comma, TAB or semicolon separated,
    /// detected (or given). Rows stream (MiniExcel reads both forms without loading the file). A title row above the
    /// header is skipped (the header is the first row with two or more cells filled); empty rows make no row; every value
    /// is text as the sheet shows it, ID numbers included, and an ID number a spreadsheet already turned into a number is
    /// reported on its row and never passed on. Photo paths resolve against the sheet's own folder.
    /// </summary>
    internal static class SheetReader
    {
        /// <summary>The file's kind from its name: a workbook, or a text sheet.</summary>
        public static bool IsWorkbook(string path) => path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase);

        public static IEnumerable<SheetRow> Read(string path, string? worksheet, Encoding? encoding, char? delimiter, Func<string, bool> isIdColumn, Func<string, bool> isPathColumn)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            IEnumerable<IDictionary<string, object?>> raw;
            Stream stream;
            if (IsWorkbook(path))
            {
                stream = BoundedFile.Open(path, long.MaxValue, out _);
                raw = MiniExcel.Query(stream, useHeaderRow: false, sheetName: SheetName(stream, worksheet), excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>();
            }
            else
            {
                var head = Head(path);
                var chosen = encoding ?? Detect(head);
                var separator = delimiter ?? Separator(chosen.GetString(head));
                stream = BoundedFile.Open(path, long.MaxValue, out _);
                var configuration = new CsvConfiguration { Seperator = separator, StreamReaderFunc = s => new StreamReader(s, chosen, detectEncodingFromByteOrderMarks: true) };
                raw = MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.CSV, configuration: configuration).Cast<IDictionary<string, object?>>();
            }

            using (stream)
            {
                List<(string Letter, string Name)>? header = null;
                var number = 0;
                foreach (var cells in raw)
                {
                    number++;
                    var filled = cells.Values.Count(v => v != null && !string.IsNullOrWhiteSpace(Text(v)));
                    if (header == null)
                    {
                        // A title row ("2026年入职员工名单", merged across the columns) fills one cell: the header names two or more.
                        if (filled >= 2)
                        {
                            header = cells.Where(c => c.Value != null && !string.IsNullOrWhiteSpace(Text(c.Value))).Select(c => (c.Key, Text(c.Value!).Trim())).ToList();
                        }

                        continue;
                    }

                    if (filled == 0)
                    {
                        continue;
                    }

                    var row = new SheetRow(number, new List<KeyValuePair<string, object?>>(header.Count));
                    foreach (var (letter, name) in header)
                    {
                        cells.TryGetValue(letter, out var value);
                        var text = value == null ? null : Text(value);
                        if (text != null && isIdColumn(name))
                        {
                            text = IdCell(value!, text, out var destroyed);
                            if (destroyed)
                            {
                                row.Destroyed.Add(name);
                                text = null;
                            }
                        }
                        else if (text != null && isPathColumn(name) && text.Length > 0 && !text.Contains("://") && !Path.IsPathRooted(text))
                        {
                            // A photo named in the sheet is next to the sheet, not in the current folder.
                            text = Path.Combine(folder, text);
                        }

                        row.Cells.Add(new KeyValuePair<string, object?>(name, text));
                    }

                    yield return row;
                }
            }
        }

        /// <summary>
        /// An ID number's cell as text: a formula-quoted text (<c>="…"</c>) unwrapped; a number (a workbook's numeric cell,
        /// scientific notation, or 18 digits ending in 000 where Excel's 15 significant digits ran out) is destroyed.
        /// </summary>
        internal static string IdCell(object value, string text, out bool destroyed)
        {
            destroyed = false;
            var trimmed = text.Trim();
            if (trimmed.StartsWith("=", StringComparison.Ordinal))
            {
                // ="110101…" (the CSV trick that keeps a number as text), however the CSV reader left its quotes.
                return trimmed.Substring(1).Trim().Trim('"');
            }

            if (value is double || value is decimal || value is float || value is long || value is int)
            {
                destroyed = trimmed.Length >= 15 || trimmed.IndexOfAny(new[] { 'E', 'e' }) >= 0;
                return trimmed;
            }

            if (System.Text.RegularExpressions.Regex.IsMatch(trimmed, @"^\d(\.\d+)?[Ee]\+?\d+$")
                || (trimmed.Length == 18 && trimmed.All(char.IsDigit) && trimmed.EndsWith("000", StringComparison.Ordinal) && !Valid(trimmed)))
            {
                destroyed = true;
            }

            return trimmed;
        }

        private static bool Valid(string number) => IdNumbers.IdNumberValidator.Check(number).IsValid;

        private static string Text(object value) => value switch
        {
            string s => s,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        private static string? SheetName(Stream stream, string? worksheet)
        {
            if (worksheet == null)
            {
                return null;
            }

            var names = MiniExcel.GetSheetNames(stream);
            stream.Position = 0;
            if (int.TryParse(worksheet, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return index >= 1 && index <= names.Count ? names[index - 1] : throw new ArgumentException(Words.Format(IdCardVerify.Text.Sheet_NoWorksheetNumber, names.Count, worksheet, string.Join(", ", names)));
            }

            return names.Contains(worksheet) ? worksheet : throw new ArgumentException(Words.Format(IdCardVerify.Text.Sheet_NoWorksheet, worksheet, string.Join(", ", names)));
        }

        private static byte[] Head(string path)
        {
            using var stream = BoundedFile.Open(path, long.MaxValue, out _);
            var buffer = new byte[64 * 1024];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
            }

            Array.Resize(ref buffer, read);
            return buffer;
        }

        /// <summary>The text's encoding: a byte-order mark (UTF-8, UTF-16), else UTF-8 when the bytes are valid UTF-8, else GB18030.</summary>
        internal static Encoding Detect(byte[] head)
        {
            if (head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
            {
                return new UTF8Encoding(false);
            }

            if (head.Length >= 2 && head[0] == 0xFF && head[1] == 0xFE)
            {
                return Encoding.Unicode;
            }

            if (head.Length >= 2 && head[0] == 0xFE && head[1] == 0xFF)
            {
                return Encoding.BigEndianUnicode;
            }

            try
            {
                // A cut at 64 KB may split a character: the last few bytes are left out of the test.
                new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(head, 0, Math.Max(0, head.Length - 4));
                return new UTF8Encoding(false);
            }
            catch (DecoderFallbackException)
            {
                return Encoding.GetEncoding("GB18030");
            }
        }

        /// <summary>The separator the first lines use most: comma, TAB or semicolon.</summary>
        internal static char Separator(string head)
        {
            var lines = head.Split('\n').Take(5).ToList();
            char best = ',';
            var bestCount = -1;
            foreach (var candidate in new[] { ',', '\t', ';' })
            {
                var count = lines.Sum(l => l.Count(c => c == candidate));
                if (count > bestCount)
                {
                    best = candidate;
                    bestCount = count;
                }
            }

            return best;
        }
    }
}
