using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using IdCardVerify.Files;

namespace IdCardVerify.Sheets
{
    /// <summary>
    /// Writes rows to a workbook as they come (MiniExcel on a background task, fed through a bounded queue, so memory stays
    /// flat however many rows): every value a text cell unless it is a number the module computed, never a formula; the
    /// header row frozen, with a filter. The stream is the caller's (a file created 0600: it holds personal data).
    /// </summary>
    internal sealed class SheetWriter : IDisposable
    {
        private readonly BlockingCollection<IDictionary<string, object?>> _rows = new BlockingCollection<IDictionary<string, object?>>(256);
        private readonly Task _writing;
        private readonly Stream _stream;

        /// <summary>A writer into a new file at <paramref name="path"/>: it holds names and ID numbers, so it is the user's alone from its creation, never written through a link.</summary>
        public static SheetWriter CreateNew(string path, string sheetName) => new SheetWriter(Files.PrivateFiles.CreateNew(path), sheetName);

        public SheetWriter(Stream stream, string sheetName)
        {
            _stream = stream;
            var configuration = new OpenXmlConfiguration { FreezeRowCount = 1, AutoFilter = true, EnableWriteFilePath = false, FastMode = false };
            _writing = Task.Run(() => MiniExcel.SaveAs(_stream, _rows.GetConsumingEnumerable(), printHeader: true, sheetName: sheetName, excelType: ExcelType.XLSX, configuration: configuration));
        }

        /// <summary>Rows written so far (handed to the writer).</summary>
        public long Count { get; private set; }

        /// <summary>Hands one row to the writer; waits while the queue is full. Throws the writer's failure, if it failed.</summary>
        public void Add(IDictionary<string, object?> row)
        {
            if (_writing.IsFaulted)
            {
                Finish();
            }

            _rows.Add(row);
            Count++;
        }

        /// <summary>Ends the sheet and waits for the workbook to be written; throws what the writer met.</summary>
        public void Finish()
        {
            if (!_rows.IsAddingCompleted)
            {
                _rows.CompleteAdding();
            }

            try
            {
                _writing.GetAwaiter().GetResult();
            }
            finally
            {
                _stream.Dispose();
            }
        }

        public void Dispose()
        {
            if (!_rows.IsAddingCompleted)
            {
                _rows.CompleteAdding();
            }

            try
            {
                Clock.System.Wait(_writing, TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // A stopped export: what was written stands; the error was the caller's to report.
            }

            _stream.Dispose();
            _rows.Dispose();
        }
    }
}
