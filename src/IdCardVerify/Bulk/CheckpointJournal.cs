using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.Contract;
using IdCardVerify.Settings;
using IdCardVerify.Verification;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// An append-only journal of verified inputs (one JSON line each, written to the OS as each result
    /// completes) so that rerunning the same command skips what was already paid for. It is a ledger:
    /// <list type="bullet">
    /// <item>Its first line says where its answers came from (the endpoint, or the sandbox) and the config
    /// they were asked with; a run under other settings gets <see cref="JournalMismatchException"/>, never
    /// another run's answers.</item>
    /// <item>One run holds it at a time: an exclusive lock (flock on Linux and macOS, a share mode on
    /// Windows) makes a second run fail at once with <see cref="JournalInUseException"/>.</item>
    /// <item>When a write fails (a full disk), the journal stops, says so once, and never throws again,
    /// so no result already obtained is lost.</item>
    /// <item>Resuming keeps only a hash and an offset per entry in memory, and reads an entry back when
    /// its input comes.</item>
    /// </list>
    /// Only results are journaled: an input that ended in an error is tried again on the rerun. Each
    /// answer is kept in the API's own shape (<see cref="ApiFields"/>), so resuming reuses the response
    /// parser and the resuming run's threshold decides the verdict again. Portraits are not journaled.
    /// </summary>
    internal sealed class CheckpointJournal : IDisposable
    {

        private readonly Dictionary<ulong, long> _offsets = new Dictionary<ulong, long>();
        private readonly object _gate = new object();
        private readonly string _path;
        private readonly FileStream _stream;
        private bool _stopped;

        private CheckpointJournal(string path, FileStream stream)
        {
            _path = path;
            _stream = stream;
        }

        /// <summary>Inputs the journal already holds.</summary>
        public int Count => _offsets.Count;

        /// <summary>
        /// Opens (or creates) the journal for a run whose answers come from <paramref name="answersFrom"/>
        /// with <paramref name="config"/>. <paramref name="warnings"/> gets what could not be read. With
        /// <paramref name="restart"/>, a journal written under other settings is moved aside and a new one begun.
        /// </summary>
        public static CheckpointJournal Open(string path, string answersFrom, string? config, bool restart, List<string> warnings)
        {
            var full = System.IO.Path.GetFullPath(path);
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                PrivateFiles.CreateFolder(directory);
            }

            var journal = new CheckpointJournal(full, Lock(full));
            try
            {
                var mismatch = journal.Load(answersFrom, config, warnings);
                if (mismatch == null)
                {
                    return journal;
                }

                if (!restart)
                {
                    throw new JournalMismatchException(full, mismatch);
                }

                journal.Dispose();
                var aside = full + ".replaced-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                File.Move(full, aside);
                warnings.Add($"Checkpoint journal '{full}' was written {mismatch}; it was moved to '{aside}' and a new journal begun.");
                journal = new CheckpointJournal(full, Lock(full));
                journal.Load(answersFrom, config, warnings);
                return journal;
            }
            catch
            {
                journal.Dispose();
                throw;
            }
        }

        /// <summary>The result journaled for <paramref name="imageUrl"/>, judged at <paramref name="threshold"/>.</summary>
        public bool TryGet(string imageUrl, double threshold, out VerificationResult? result)
        {
            result = null;
            string? line;
            lock (_gate)
            {
                if (!_offsets.TryGetValue(Hash(imageUrl), out var offset))
                {
                    return false;
                }

                line = ReadLineAt(offset);
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.GetProperty(JournalFormat.UrlField).GetString() != imageUrl)
            {
                // Two URLs with one 64-bit hash: not this input's entry; it is verified again.
                return false;
            }

            var recorded = root.TryGetProperty(JournalFormat.InconsistenciesField, out var found) && found.ValueKind == JsonValueKind.String ? found.GetString() : null;
            result = Decisions.Judge(ResponseParser.ParseAnswer(root.GetProperty(JournalFormat.AnswerField).GetRawText()), imageUrl, threshold, recordedInconsistencies: recorded);
            if (root.TryGetProperty(JournalFormat.PortraitPathField, out var portrait) && portrait.ValueKind == JsonValueKind.String)
            {
                result.PortraitPath = portrait.GetString();
            }

            result.IsMasked = root.TryGetProperty(JournalFormat.MaskedField, out var masked) && masked.ValueKind == JsonValueKind.True;
            result.FromCheckpoint = true;
            return true;
        }

        /// <summary>
        /// Appends one result and pushes it to the operating system before returning. The first write that
        /// fails throws <see cref="IOException"/> and stops the journal; later calls write nothing.
        /// </summary>
        public void Append(VerificationResult result)
        {
            var line = JournalFormat.Serialize(result);
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                try
                {
                    var offset = _stream.Seek(0, SeekOrigin.End);
                    _stream.Write(line, 0, line.Length);
                    _stream.Flush();
                    _offsets[Hash(result.ImageUrl)] = offset;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
                {
                    _stopped = true;
                    throw new IOException($"The checkpoint journal '{_path}' could not be written ({ex.Message}), so journaling stopped for this run.", ex);
                }
            }
        }

        /// <summary>Releases the lock. Never throws: nothing is buffered, and a journal that failed has said so.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                try
                {
                    _stream.Dispose();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Already reported by the write that failed.
                }
            }
        }

        private static FileStream Lock(string path)
        {
            try
            {
                // Unbuffered, so every Append reaches the OS and nothing is left to fail on close.
                var created = !File.Exists(path);
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                if (created)
                {
                    // It will hold names and ID numbers: its owner's alone, before the first line.
                    PrivateFiles.Restrict(path);
                }

                return stream;
            }
            catch (IOException ex) when (IsLocked(ex))
            {
                throw new JournalInUseException(path, ex);
            }
        }

        /// <summary>The lock is held elsewhere: EWOULDBLOCK from flock (11 on Linux, 35 on macOS), or a sharing or lock violation on Windows.</summary>
        private static bool IsLocked(IOException ex) =>
            ex.HResult == 11 || ex.HResult == 35 || (ex.HResult & 0xFFFF) == 32 || (ex.HResult & 0xFFFF) == 33;

        /// <summary>Indexes the entries; returns how the journal's settings differ from the run's, or null when they agree.</summary>
        private string? Load(string answersFrom, string? config, List<string> warnings)
        {
            if (_stream.Length == 0)
            {
                var header = Encoding.UTF8.GetBytes(JournalFormat.Header(answersFrom, config) + "\n");
                _stream.Write(header, 0, header.Length);
                _stream.Flush();
                return null;
            }

            var reader = new LineReader(_stream);
            var first = reader.Next(out _);
            var mismatch = JournalFormat.Mismatch(first, answersFrom, config);
            if (mismatch != null)
            {
                return mismatch;
            }

            var lineNumber = 1;
            while (reader.Next(out var offset) is string text)
            {
                lineNumber++;
                if (text.Length == 0)
                {
                    continue;
                }

                try
                {
                    using var doc = JsonDocument.Parse(text);
                    var root = doc.RootElement;
                    var url = root.GetProperty(JournalFormat.UrlField).GetString() ?? string.Empty;
                    if (root.GetProperty(JournalFormat.AnswerField).ValueKind != JsonValueKind.Object)
                    {
                        throw new JsonException("answer is not an object");
                    }

                    _offsets[Hash(url)] = offset;
                }
                catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
                {
                    warnings.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "Checkpoint journal '{0}': line {1} is {2} and was skipped; that input will be verified again.",
                        _path,
                        lineNumber,
                        reader.AtEnd && !reader.EndedWithNewline ? "truncated (the last run was probably killed while writing it)" : "not a journal entry"));
                }
            }

            if (!reader.EndedWithNewline)
            {
                // A run killed mid-write left half a line: start the next entry on a line of its own.
                _stream.Seek(0, SeekOrigin.End);
                _stream.WriteByte((byte)'\n');
                _stream.Flush();
            }

            return null;
        }

        /// <summary>What <c>answersFrom</c> says for a sandbox run.</summary>
        public const string SandboxSource = "sandbox";

        private string ReadLineAt(long offset)
        {
            _stream.Seek(offset, SeekOrigin.Begin);
            // An entry is about a kilobyte: a small buffer, since this runs once per resumed input.
            return new LineReader(_stream, 4096).Next(out _) ?? string.Empty;
        }

        /// <summary>FNV-1a, 64 bits: stable, and small enough to keep one per entry for any journal size.</summary>
        private static ulong Hash(string imageUrl)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in imageUrl)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash;
        }

    }
}
