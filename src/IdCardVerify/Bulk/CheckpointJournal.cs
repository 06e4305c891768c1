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
        private const int Version = 2;
        private const string JournalField = "journal";
        private const string VersionField = "version";
        private const string AnswersFromField = "answersFrom";
        private const string UrlField = "imageUrl";
        private const string ConfigField = "config";
        private const string VerifiedAtField = "verifiedAt";
        private const string PortraitPathField = "portraitPath";
        private const string MaskedField = "masked";
        private const string InconsistenciesField = "inconsistencies";
        private const string AnswerField = "answer";

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
            if (root.GetProperty(UrlField).GetString() != imageUrl)
            {
                // Two URLs with one 64-bit hash: not this input's entry; it is verified again.
                return false;
            }

            var recorded = root.TryGetProperty(InconsistenciesField, out var found) && found.ValueKind == JsonValueKind.String ? found.GetString() : null;
            result = Decisions.Judge(ResponseParser.ParseAnswer(root.GetProperty(AnswerField).GetRawText()), imageUrl, threshold, recordedInconsistencies: recorded);
            if (root.TryGetProperty(PortraitPathField, out var portrait) && portrait.ValueKind == JsonValueKind.String)
            {
                result.PortraitPath = portrait.GetString();
            }

            result.IsMasked = root.TryGetProperty(MaskedField, out var masked) && masked.ValueKind == JsonValueKind.True;
            result.FromCheckpoint = true;
            return true;
        }

        /// <summary>
        /// Appends one result and pushes it to the operating system before returning. The first write that
        /// fails throws <see cref="IOException"/> and stops the journal; later calls write nothing.
        /// </summary>
        public void Append(VerificationResult result)
        {
            var line = Serialize(result);
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
                var header = Encoding.UTF8.GetBytes(Header(answersFrom, config) + "\n");
                _stream.Write(header, 0, header.Length);
                _stream.Flush();
                return null;
            }

            var reader = new LineReader(_stream);
            var first = reader.Next(out _);
            var mismatch = Mismatch(first, answersFrom, config);
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
                    var url = root.GetProperty(UrlField).GetString() ?? string.Empty;
                    if (root.GetProperty(AnswerField).ValueKind != JsonValueKind.Object)
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

        private static string? Mismatch(string? header, string answersFrom, string? config)
        {
            try
            {
                using var doc = JsonDocument.Parse(header ?? string.Empty);
                var root = doc.RootElement;
                if (!root.TryGetProperty(JournalField, out _) || !root.TryGetProperty(VersionField, out var version) || version.GetInt32() != Version)
                {
                    return "by another version of the module, without the settings its answers came from";
                }

                var from = root.GetProperty(AnswersFromField).GetString();
                var written = root.TryGetProperty(ConfigField, out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                if (from != answersFrom)
                {
                    return $"with answers from {Describe(from)}, and this run asks {Describe(answersFrom)}";
                }

                return written != config
                    ? $"with the config {written ?? "(none)"}, and this run sends {config ?? "(none)"}"
                    : null;
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                return "in a form this module does not recognise (its first line is not a journal header)";
            }
        }

        private static string Describe(string? answersFrom) => answersFrom == SandboxSource ? "the sandbox" : $"'{answersFrom}'";

        /// <summary>What <c>answersFrom</c> says for a sandbox run.</summary>
        public const string SandboxSource = "sandbox";

        private static string Header(string answersFrom, string? config)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString(JournalField, "IdCardVerify");
                writer.WriteNumber(VersionField, Version);
                writer.WriteString(AnswersFromField, answersFrom);
                if (config != null)
                {
                    writer.WriteString(ConfigField, config);
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

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

        private static byte[] Serialize(VerificationResult r)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString(UrlField, r.ImageUrl);
                writer.WriteString(VerifiedAtField, DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
                if (r.PortraitPath != null)
                {
                    writer.WriteString(PortraitPathField, r.PortraitPath);
                }

                if (r.IsMasked)
                {
                    writer.WriteBoolean(MaskedField, true);
                    if (r.Inconsistencies.Length > 0)
                    {
                        // The masked answer can no longer be checked against itself: keep what was found.
                        writer.WriteString(InconsistenciesField, r.Inconsistencies);
                    }
                }

                writer.WriteStartObject(AnswerField);
                if (r.Similarity.HasValue)
                {
                    writer.WriteNumber(ApiFields.Similarity, r.Similarity.Value);
                }

                writer.WriteString(ApiFields.Result, r.Result);
                writer.WriteString(ApiFields.Description, r.Description);
                writer.WriteString(ApiFields.Name, r.Name);
                writer.WriteString(ApiFields.Sex, r.Sex);
                writer.WriteString(ApiFields.Nation, r.Nation);
                writer.WriteString(ApiFields.Birth, r.Birth);
                writer.WriteString(ApiFields.Address, r.Address);
                writer.WriteString(ApiFields.IdNumber, r.IdNumber);
                writer.WriteString(ApiFields.Warnings, r.WarningCodes);
                if (r.Quality.HasValue)
                {
                    writer.WriteNumber(ApiFields.Quality, r.Quality.Value);
                }

                if (r.Encryption != null)
                {
                    writer.WritePropertyName(ApiFields.Encryption);
                    using var encryption = JsonDocument.Parse(r.Encryption);
                    encryption.RootElement.WriteTo(writer);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
            return buffer.ToArray();
        }

        /// <summary>Reads UTF-8 lines from the current position, knowing where each starts; holds one line at a time.</summary>
        private sealed class LineReader
        {
            private readonly Stream _stream;
            private readonly byte[] _buffer;
            private readonly MemoryStream _line = new MemoryStream();
            private long _position;
            private int _count;
            private int _next;

            public LineReader(Stream stream, int bufferSize = 64 * 1024)
            {
                _stream = stream;
                _buffer = new byte[bufferSize];
                _position = stream.Position;
            }

            /// <summary>True once the end of the file was reached (so a line returned then had no newline).</summary>
            public bool AtEnd { get; private set; }

            public bool EndedWithNewline { get; private set; } = true;

            /// <summary>The next line without its newline, or null at the end; <paramref name="offset"/> is where it starts.</summary>
            public string? Next(out long offset)
            {
                offset = _position;
                _line.SetLength(0);
                while (true)
                {
                    if (_next == _count)
                    {
                        _count = _stream.Read(_buffer, 0, _buffer.Length);
                        _next = 0;
                        if (_count == 0)
                        {
                            AtEnd = true;
                            if (_line.Length == 0)
                            {
                                return null;
                            }

                            EndedWithNewline = false;
                            return Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length);
                        }
                    }

                    var newline = Array.IndexOf(_buffer, (byte)'\n', _next, _count - _next);
                    var end = newline < 0 ? _count : newline;
                    _line.Write(_buffer, _next, end - _next);
                    _position += end - _next;
                    _next = end;
                    if (newline >= 0)
                    {
                        _next++;
                        _position++;
                        return Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length);
                    }
                }
            }
        }
    }

    /// <summary>Another run holds the journal.</summary>
    internal sealed class JournalInUseException : IOException
    {
        public JournalInUseException(string path, Exception inner)
            : base($"The checkpoint journal '{path}' is in use by another run (it holds the journal's lock). Wait for that run to end, or give this run another -CheckpointPath.", inner)
        {
        }
    }

    /// <summary>The journal was written under other settings than this run's.</summary>
    internal sealed class JournalMismatchException : IOException
    {
        public JournalMismatchException(string path, string how)
            : base($"The checkpoint journal '{path}' was written {how}. Its answers are not this run's, so none was reused. Give this run another -CheckpointPath, or add -RestartCheckpoint to move the old journal aside and begin a new one.")
        {
        }
    }
}
