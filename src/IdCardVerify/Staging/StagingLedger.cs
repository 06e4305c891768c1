using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IdCardVerify.Files;

namespace IdCardVerify.Staging
{
    /// <summary>
    /// The objects a run has staged and not yet deleted, on disk, so that a run killed before its deletes (a closed
    /// window, a killed runbook) leaves a list the next run works through. One file a run, held open (and so locked)
    /// while the run lives: its first line names the store, then "+name" before each upload and "-name" after each
    /// delete. A file no run holds is an earlier run's: <see cref="Leftovers"/> reads what it left on a store.
    /// </summary>
    internal sealed class StagingLedger : IDisposable
    {
        private readonly object _gate = new object();
        private readonly FileStream _file;
        private readonly string _path;
        private int _open;

        private StagingLedger(string path, FileStream file)
        {
            _path = path;
            _file = file;
        }

        /// <summary>Begins this run's ledger in <paramref name="folder"/> for <paramref name="store"/>.</summary>
        public static StagingLedger Begin(string folder, Uri store)
        {
            PrivateFiles.CreateFolder(folder);
            if (NativeStat.OwnFolderProblem(folder) is string problem)
            {
                // A ledger lists object names only, but a folder someone else controls could swap it: none is kept there.
                throw new IOException(Words.Format(Text.Staging_LedgerFolder, folder, problem));
            }

            var path = Path.Combine(folder, "run-" + Guid.NewGuid().ToString("N") + ".staged");
            var ledger = new StagingLedger(path, PrivateFiles.CreateNew(path));
            ledger.Write(store.ToString());
            return ledger;
        }

        public void Staging(string name) => Write("+" + name, opens: 1);

        public void Deleted(string name) => Write("-" + name, opens: -1);

        /// <summary>The objects earlier runs left on <paramref name="store"/>, by ledger file; a ledger still held by a live run is not read.</summary>
        public static List<(string Ledger, List<string> Names)> Leftovers(string folder, Uri store)
        {
            var found = new List<(string, List<string>)>();
            if (!Directory.Exists(folder) || NativeStat.OwnFolderProblem(folder) != null)
            {
                return found;
            }

            foreach (var path in Directory.GetFiles(folder, "run-*.staged").Take(100))
            {
                try
                {
                    if (!PrivateFiles.IsPlainFile(path, 16L * 1024 * 1024))
                    {
                        continue;
                    }

                    // Opening for writing with no sharing fails while the run that owns it is alive.
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                    using var reader = new StreamReader(stream, Encoding.UTF8);
                    if (reader.ReadLine() != store.ToString())
                    {
                        continue;
                    }

                    // Staged in order, deleted as answers come: a set of the deleted, so a long ledger costs one pass.
                    var staged = new List<string>();
                    var deleted = new HashSet<string>(StringComparer.Ordinal);
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        if (line.StartsWith("+", StringComparison.Ordinal))
                        {
                            staged.Add(line.Substring(1));
                        }
                        else if (line.StartsWith("-", StringComparison.Ordinal))
                        {
                            deleted.Add(line.Substring(1));
                        }
                    }

                    found.Add((path, staged.Where(n => !deleted.Contains(n) && StagingNames.IsOurs(n)).Distinct(StringComparer.Ordinal).ToList()));
                }
                catch (IOException)
                {
                    // Held by a live run, or gone meanwhile.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            return found;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _file.Dispose();
                if (_open == 0)
                {
                    // Every staged object was deleted: nothing for a later run to do.
                    try
                    {
                        File.Delete(_path);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }

        private void Write(string line, int opens = 0)
        {
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            lock (_gate)
            {
                try
                {
                    _file.Write(bytes, 0, bytes.Length);
                    _file.Flush(flushToDisk: opens > 0);
                    _open += opens;
                }
                catch (ObjectDisposedException)
                {
                    // A delete that ends after the run did (Ctrl+C): the line is missing, so the next run tries it again.
                }
            }
        }
    }

    /// <summary>Object names: random, telling nothing of the file or the person (no file name, no ID number).</summary>
    internal static class StagingNames
    {
        private const string Start = "idcv-";

        public static string New(string contentType)
        {
            var bytes = new byte[16];
            using (var random = System.Security.Cryptography.RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return Start + SigV4.Hex(bytes) + (contentType == "image/png" ? ".png" : ".jpg");
        }

        /// <summary>Whether a name is one the module makes (a ledger line is never trusted to name anything else).</summary>
        public static bool IsOurs(string name) =>
            name.Length == Start.Length + 32 + 4 && name.StartsWith(Start, StringComparison.Ordinal)
            && name.Substring(Start.Length, 32).All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
            && (name.EndsWith(".jpg", StringComparison.Ordinal) || name.EndsWith(".png", StringComparison.Ordinal));
    }
}
