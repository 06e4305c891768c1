using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.Contract;
using IdCardVerify.Settings;
using IdCardVerify.Verification;
using IdCardVerify.Files;

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
    /// Every entry is signed with the user's journal key (<see cref="JournalSigner"/>) and found by its URL's keyed
    /// hash: a line that was edited, or signed with another key, is verified again (one warning says how many), and the
    /// journal keeps no signed URL, only the URL as results show it.
    /// </summary>
    internal sealed class CheckpointJournal : IDisposable
    {

        private readonly object _gate = new object();
        private readonly string _path;
        private readonly FileStream _stream;
        private readonly JournalSigner _signer;
        private readonly JournalIndex _index;
        private bool _stopped;

        private readonly TimeProvider _time;

        private CheckpointJournal(string path, FileStream stream, JournalSigner signer, TimeProvider time)
        {
            _time = time;
            _path = path;
            _stream = stream;
            _signer = signer;
            _index = new JournalIndex(signer, path);
        }

        /// <summary>Inputs the journal already holds.</summary>
        public int Count => _index.Offsets.Count;

        /// <summary>The journal's full path.</summary>
        public string Path => _path;

        private bool _closed;


        /// <summary>
        /// What earlier runs sent and never journaled an answer for (killed, or the machine lost power, while the request
        /// was in flight): each may have been billed, and is verified again. How they are shown (URL without its query, a
        /// file's path), in the order sent.
        /// </summary>
        public IReadOnlyCollection<string> Unanswered => _index.Unanswered.Values;

        /// <summary>Whether an earlier run sent <paramref name="imageUrl"/> (its key) and never journaled its answer.</summary>
        public bool WasUnanswered(string imageUrl) => _index.Unanswered.ContainsKey(JournalSigner.Index(_signer.UrlKey(imageUrl)));

        /// <summary>
        /// Opens (or creates) the journal for a run whose answers come from <paramref name="answersFrom"/>
        /// with <paramref name="config"/>. <paramref name="warnings"/> gets what could not be read. With
        /// <paramref name="restart"/>, a journal written under other settings is moved aside and a new one begun.
        /// </summary>
        /// <param name="key">The journal key; the user's (<see cref="JournalKey"/>) when null.</param>
        public static CheckpointJournal Open(string path, string answersFrom, string? config, bool restart, List<string> warnings, byte[]? key = null, TimeProvider? time = null)
        {
            if (key == null)
            {
                key = JournalKey.Get(out var keyWarning);
                if (keyWarning != null)
                {
                    warnings.Add(keyWarning);
                }
            }

            var signer = new JournalSigner(key);
            var full = System.IO.Path.GetFullPath(path);
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                PrivateFiles.CreateFolder(directory);
            }

            var journal = new CheckpointJournal(full, JournalFile.Open(full), signer, time ?? Clock.System);
            try
            {
                var mismatch = journal._index.Load(journal._stream, answersFrom, config, warnings);
                if (mismatch == null)
                {
                    return journal;
                }

                if (!restart)
                {
                    throw new JournalMismatchException(full, mismatch);
                }

                journal.Dispose();
                var aside = full + ".replaced-" + (time ?? Clock.System).GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                File.Move(full, aside);
                warnings.Add(Words.Format(Text.Journal_MovedAside, full, mismatch, aside));
                journal = new CheckpointJournal(full, JournalFile.Open(full), signer, time ?? Clock.System);
                journal._index.Load(journal._stream, answersFrom, config, warnings);
                return journal;
            }
            catch
            {
                journal.Dispose();
                throw;
            }
        }

        /// <summary>The result journaled for <paramref name="imageUrl"/>, judged at <paramref name="threshold"/>.</summary>
        public bool TryGet(string imageUrl, double threshold, out VerificationResult? result, ExpectedPerson? expected = null)
        {
            result = null;
            var urlKey = _signer.UrlKey(imageUrl);
            string? line;
            lock (_gate)
            {
                if (!_index.Offsets.TryGetValue(JournalSigner.Index(urlKey), out var offset))
                {
                    return false;
                }

                line = ReadLineAt(offset);
            }

            using var doc = JsonDocument.Parse(line);
            var verified = JournalFormat.Verified(_signer, _index.Header, doc.RootElement);
            if (verified == null || verified.Value.Key != urlKey)
            {
                // Another URL with the same 64-bit index, or a line changed since it was indexed: verified again.
                return false;
            }

            var root = verified.Value.Entry;
            var recorded = root.TryGetProperty(JournalFormat.InconsistenciesField, out var found) && found.ValueKind == JsonValueKind.String ? found.GetString() : null;
            var identity = root.TryGetProperty(JournalFormat.IdentityField, out var checkedIdentity) && checkedIdentity.ValueKind == JsonValueKind.String
                && Enum.TryParse<IdentityCheck>(checkedIdentity.GetString(), out var parsed) ? parsed : IdentityCheck.NotChecked;
            result = Decisions.Judge(ResponseParser.ParseAnswer(root.GetProperty(JournalFormat.AnswerField).GetRawText()), imageUrl, threshold, recordedInconsistencies: recorded, expected: expected, recordedIdentity: identity, today: _time.GetLocalNow().Date);
            if (root.TryGetProperty(JournalFormat.PortraitPathField, out var portrait) && portrait.ValueKind == JsonValueKind.String)
            {
                // Signed with this user's key: the module wrote this path. The report still checks the file itself.
                result.PortraitPath = portrait.GetString();
                result.PortraitWrittenByModule = true;
            }

            result.IsMasked = root.TryGetProperty(JournalFormat.MaskedField, out var masked) && masked.ValueKind == JsonValueKind.True;
            if (result.IsMasked)
            {
                result.ImageUrl = PersonalData.MaskIdNumbersIn(result.ImageUrl);
            }

            result.FromCheckpoint = true;
            return true;
        }

        /// <summary>
        /// Appends one result for <paramref name="imageUrl"/> (the URL as sent; the result's own when null) and pushes it
        /// to the operating system before returning. The first write that fails throws <see cref="IOException"/> and
        /// stops the journal; later calls write nothing.
        /// </summary>
        public void Append(VerificationResult result, string? imageUrl = null)
        {
            var urlKey = _signer.UrlKey(imageUrl ?? result.ImageUrl);
            lock (_gate)
            {
                if (Write(JournalFormat.Line(_signer, _index.Header, urlKey, JournalFormat.Serialize(result, _time.GetUtcNow()))) is long offset)
                {
                    _index.Offsets[JournalSigner.Index(urlKey)] = offset;
                }
            }
        }

        /// <summary>
        /// Before a request goes out: a signed intent line for <paramref name="imageUrl"/> (its key), shown as
        /// <paramref name="shown"/>. If the run dies before the answer's line, the next run counts it as sent but never
        /// answered (<see cref="Unanswered"/>). A failed write stops the journal, as for <see cref="Append"/>.
        /// </summary>
        public void Intend(string imageUrl, string shown) => Note(imageUrl, JournalFormat.Intent(shown));

        /// <summary>
        /// A request that ended in an error (no result to journal; the input is verified again next time): its intent is
        /// settled, so the next run does not count it as possibly billed.
        /// </summary>
        public void Settle(string imageUrl, string errorId) => Note(imageUrl, JournalFormat.Settled(errorId));

        private void Note(string imageUrl, string entry)
        {
            var line = JournalFormat.Line(_signer, _index.Header, _signer.UrlKey(imageUrl), entry);
            lock (_gate)
            {
                Write(line);
            }
        }

        /// <summary>
        /// Appends one line and pushes it to the operating system; its offset, or null when the journal has stopped or is
        /// closed. The first write that fails stops the journal and throws <see cref="IOException"/>. Under <c>_gate</c>.
        /// </summary>
        private long? Write(byte[] line)
        {
            if (_stopped || _closed)
            {
                return null;
            }

            try
            {
                var offset = _stream.Seek(0, SeekOrigin.End);
                _stream.Write(line, 0, line.Length);
                _stream.Flush();
                return offset;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                _stopped = true;
                throw new IOException(Words.Format(Text.Journal_WriteFailed, _path, ex.Message), ex);
            }
        }

        /// <summary>Releases the lock. Never throws: nothing is buffered, and a journal that failed has said so.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                _closed = true;
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

        /// <summary>What <c>answersFrom</c> says for a sandbox run.</summary>
        public const string SandboxSource = "sandbox";

        private string ReadLineAt(long offset)
        {
            _stream.Seek(offset, SeekOrigin.Begin);
            // An entry is about a kilobyte: a small buffer, since this runs once per resumed input.
            return new LineReader(_stream, 4096).Next(out _) ?? string.Empty;
        }
    }
}
