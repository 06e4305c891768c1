using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using IdCardVerify.Settings;
using IdCardVerify.Verification;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// A run's checkpoint journal: opened at the start (waiting for a stopped run of this process that still holds it),
    /// and asked for each input's result from an earlier run (no call, no cost), URLs by their text and local files by
    /// their path and the hash of the bytes read; inputs an earlier run sent and never answered are said in -Verbose.
    /// </summary>
    internal sealed class RunJournal
    {
        private readonly RunOptions _options;
        private readonly TimeProvider _time;
        private readonly RunMessages _messages;
        private long _resumed;

        public RunJournal(RunOptions options, TimeProvider time, RunMessages messages)
        {
            _options = options;
            _time = time;
            _messages = messages;
        }

        /// <summary>The journal, once opened (null when none was asked for, and after the run let it go).</summary>
        public CheckpointJournal? Journal { get; private set; }

        /// <summary>Inputs re-emitted from the journal so far.</summary>
        public long Resumed => Interlocked.Read(ref _resumed);

        /// <summary>How long a stopped run's requests on the wire are awaited in the background before they are given up.</summary>
        public static TimeSpan SettleBound(RunOptions options) => TimeSpan.FromSeconds(Math.Min(options.TimeoutSec, 10));

        /// <summary>Hands the journal over to the run's close (<see cref="RunSettling"/>); null from then on.</summary>
        public CheckpointJournal? Release()
        {
            var journal = Journal;
            Journal = null;
            return journal;
        }

        /// <summary>
        /// Opens the checkpoint journal when one was asked for. Returns what could not be read in it,
        /// then a verbose line; throws <see cref="RunSetupException"/> saying what to do.
        /// </summary>
        public IReadOnlyList<string> Open(out string? verbose)
        {
            var warnings = new List<string>();
            verbose = null;
            var path = _options.CheckpointPath;
            if (path == null)
            {
                return warnings;
            }

            var answersFrom = _options.Sandbox ? CheckpointJournal.SandboxSource : Redaction.Url(_options.Endpoint.AbsoluteUri);
            RunSettling.Await(System.IO.Path.GetFullPath(path), SettleBound(_options) + TimeSpan.FromSeconds(5), _time);
            try
            {
                Journal = CheckpointJournal.Open(path, answersFrom, _options.ConfigJson, _options.RestartCheckpoint, warnings, time: _time);
            }
            catch (JournalInUseException ex)
            {
                throw new RunSetupException("CheckpointInUse", SetupFailure.ResourceBusy, ex);
            }
            catch (JournalMismatchException ex)
            {
                throw new RunSetupException("CheckpointMismatch", SetupFailure.InvalidData, ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunSetupException(
                    "CheckpointUnusable",
                    SetupFailure.OpenError,
                    new IOException(Words.Format(Text.Journal_CannotOpen, path, ex.Message), ex));
            }

            verbose = string.Format(CultureInfo.InvariantCulture, Text.Journal_Holds, path, Journal.Count);
            var unanswered = Journal.Unanswered;
            if (unanswered.Count > 0)
            {
                // A run killed with requests in flight (kill -9, a closed window, a lost machine): those may have been billed.
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Journal_Unanswered,
                    path,
                    unanswered.Count));
                var urls = unanswered.Where(u => u.Length > 0).ToList();
                var files = unanswered.Count - urls.Count;
                verbose += Text.Journal_SentNeverAnswered + string.Join("; ", urls.Take(200)) + (urls.Count > 200 ? "; …" : string.Empty)
                    + (files > 0 ? string.Format(CultureInfo.InvariantCulture, Text.Journal_UnansweredFiles, urls.Count > 0 ? Text.Journal_And : string.Empty, files) : string.Empty) + ".";
            }
            return warnings;
        }

        /// <summary>The input's result from the journal of an earlier run, when it holds one (no call, no cost).</summary>
        public WorkItem? Resume(long index, object? input, string imageUrl, ExpectedPerson? expected = null) =>
            FromJournal(index, imageUrl, Redaction.ForDisplay(imageUrl), expected ?? ExpectedPerson.None) is VerificationResult resumed
                ? new WorkItem(index, input, imageUrl, resumed, expected)
                : null;

        /// <summary>
        /// The journal's result for <paramref name="key"/> (a URL, or a file's path and hash), masked as this run masks, and
        /// counted; null when the journal holds none (an input an earlier run sent and never answered is said in -Verbose).
        /// </summary>
        public VerificationResult? FromJournal(long index, string key, string shown, ExpectedPerson expected)
        {
            SayIfUnanswered(index, key, shown);
            if (Journal == null || !Journal.TryGet(key, _options.Threshold, out var resumed, expected))
            {
                return null;
            }

            if (_options.MaskPersonalData && !resumed!.IsMasked)
            {
                // Written unmasked by an earlier run: every output path masks alike.
                resumed.MaskPersonalData();
            }

            Interlocked.Increment(ref _resumed);
            return resumed;
        }

        /// <summary>An input an earlier run sent and never journaled an answer for: named, in -Verbose, as this run meets it.</summary>
        internal void SayIfUnanswered(long index, string key, string shown)
        {
            if (Journal != null && Journal.WasUnanswered(key))
            {
                _messages.Verbose(string.Format(CultureInfo.InvariantCulture, Text.Journal_ResendingUnanswered, index, shown));
            }
        }

        /// <summary>
        /// A local file's journal key: "file:", its full path, and the SHA-256 of the bytes read for this run (the bytes
        /// checked and sent), so that a file changed since an earlier run is verified again, and a file swapped after it
        /// was hashed cannot be answered with another file's result. The journal keeps only a keyed hash of the key.
        /// </summary>
        public static string FileKey(string path, byte[] bytes)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            return "file:" + path + "#sha256:" + Convert.ToBase64String(sha.ComputeHash(bytes));
        }

        /// <summary>A file's result from the journal (on the worker that read the file), or null; counted as resumed.</summary>
        public VerificationResult? ResumeFile(long index, string path, string key, ExpectedPerson expected) =>
            FromJournal(index, key, Staging.Images.ImagePreflight.ForDisplay(path), expected);
    }
}
