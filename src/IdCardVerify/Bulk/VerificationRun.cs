using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Client;
using IdCardVerify.Client.Sandbox;
using IdCardVerify.Settings;
using IdCardVerify.Verification;
using IdCardVerify.Pacing;
using IdCardVerify.Files;
using IdCardVerify.Resilience;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// One run of Invoke-IdCardVerification, built from its <see cref="RunOptions"/>: the portrait
    /// folder and the checkpoint journal when it begins, then, at the first input that needs a call,
    /// client → sender → verifier → engine. Knows nothing of PowerShell; the cmdlet feeds it inputs on
    /// the pipeline thread and writes what comes back.
    /// </summary>
    internal sealed partial class VerificationRun : IDisposable
    {
        private readonly RunOptions _options;
        private readonly CancellationToken _stop;
        private readonly TimeProvider _time;
        private readonly long _started;
        private VerificationEngine? _engine;
        private Verifier? _verifier;
        private Staging.Stager? _stager;
        private CheckpointJournal? _journal;
        private long _index;
        private long _inputErrors;
        private long _resumed;

        /// <summary>True when <paramref name="failure"/> stops the whole run (a bad token, no balance): Resilience's one classifier says.</summary>
        public static bool StopsRun(IdCardVerifyApiException failure) => FailureClass.Of(failure).StopsRun;

        /// <summary>Inputs re-emitted from the checkpoint journal so far.</summary>
        public long Resumed => Interlocked.Read(ref _resumed);
        private long _unverified;

        // Given up: a stopped run's requests still on the wire after the settle bound (Dispose).
        private readonly CancellationTokenSource _abandon = new CancellationTokenSource();
        private RateController? _limiter;
        private RateBudgets.Lease? _budget;

        /// <param name="time">The run's clock, handed down to everything the run makes (<see cref="Clock.System"/>; a test passes its own).</param>
        public VerificationRun(RunOptions options, CancellationToken stop, TimeProvider? time = null)
        {
            _options = options;
            _stop = stop;
            _time = time ?? Clock.System;
            _started = _time.GetTimestamp();
            _breaker = new OutageBreaker(_time);
        }

        private readonly OutageBreaker _breaker;

        /// <summary>
        /// Hears how input <paramref name="index"/> failed; true when the outage breaker trips on it, and the run has
        /// then stopped (<see cref="Stop"/>) with <c>EndpointUnreachable</c>, naming the endpoint and the last cause. An
        /// answer of any kind (a result, an HTTP error) resets the breaker: call <see cref="Answered"/>.
        /// </summary>
        public bool NoteFailure(IdCardVerifyApiException failure, long index)
        {
            if (!FailureClass.Of(failure).NoAnswer)
            {
                _breaker.Answered();
                return false;
            }

            if (!_breaker.NoAnswer() || StoppedBy != null)
            {
                return false;
            }

            Stop(new IdCardVerifyApiException(string.Format(
                CultureInfo.InvariantCulture,
                "The API at {0} has not answered {1} inputs in a row for {2:0} s (each tried {3} time(s)), so the run stopped rather than try every other input. The last cause: {4}",
                Redaction.Url(_options.Endpoint.GetLeftPart(UriPartial.Authority)),
                _breaker.Count,
                _breaker.Duration.TotalSeconds,
                failure.Attempts,
                failure.BaseMessage))
            {
                // Its own ErrorId: the endpoint, not one row, is what failed.
                ErrorId = "EndpointUnreachable",
                Kind = failure.Kind,
                // The message says how often each input was tried; the stop itself is no attempt of its own.
                StopsRun = true,
                Advice = "Check the network, a proxy, or -Endpoint; then run the command again (with -CheckpointPath, only the inputs not yet verified are sent).",
            }, index);
            return true;
        }

        /// <summary>An input got an answer: the endpoint is up, the outage breaker starts again.</summary>
        public void Answered() => _breaker.Answered();

        /// <summary>What workers have to say; the pipeline thread writes it.</summary>
        public RunMessages Messages { get; } = new RunMessages();

        /// <summary>True once the engine exists (the token has been resolved).</summary>
        public bool IsStarted => _engine != null;

        public TimeSpan Elapsed => _time.GetElapsedTime(_started);

        public long Succeeded => _engine?.Succeeded ?? 0;

        /// <summary>Inputs that ended in an error, refused inputs included.</summary>
        public long Failed => (_engine?.Failed ?? 0) + Interlocked.Read(ref _inputErrors);

        public int InFlight => _engine?.InFlight ?? 0;

        /// <summary>Numbers the next input (1-based).</summary>
        public long NextIndex() => ++_index;

        /// <summary>Inputs seen so far.</summary>
        public long InputCount => _index;

        /// <summary>Counts an input refused before any call.</summary>
        public void CountInputError() => Interlocked.Increment(ref _inputErrors);

        /// <summary>Creates the portrait folder when one was asked for; throws <see cref="RunSetupException"/> saying what to do.</summary>
        public void PreparePortraitDirectory()
        {
            var folder = _options.PortraitDirectory;
            if (folder == null)
            {
                return;
            }

            try
            {
                PrivateFiles.CreateFolder(folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunSetupException(
                    "PortraitDirectoryUnusable",
                    SetupFailure.WriteError,
                    new IOException($"The portrait folder '{folder}' cannot be created: {ex.Message} Pick a folder you can write to.", ex));
            }
        }

        /// <summary>
        /// Opens the checkpoint journal when one was asked for. Returns what could not be read in it,
        /// then a verbose line; throws <see cref="RunSetupException"/> saying what to do.
        /// </summary>
        public IReadOnlyList<string> OpenJournal(out string? verbose)
        {
            var warnings = new List<string>();
            verbose = null;
            var path = _options.CheckpointPath;
            if (path == null)
            {
                return warnings;
            }

            var answersFrom = _options.Sandbox ? CheckpointJournal.SandboxSource : Redaction.Url(_options.Endpoint.AbsoluteUri);
            AwaitSettling(System.IO.Path.GetFullPath(path));
            try
            {
                _journal = CheckpointJournal.Open(path, answersFrom, _options.ConfigJson, _options.RestartCheckpoint, warnings, time: _time);
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
                    new IOException($"The checkpoint journal '{path}' cannot be opened: {ex.Message} Is another run using it? Pick another path or wait for that run to end.", ex));
            }

            verbose = string.Format(CultureInfo.InvariantCulture, "Checkpoint journal '{0}' holds {1} verified input(s); those are re-emitted without calling the API.", path, _journal.Count);
            var unanswered = _journal.Unanswered;
            if (unanswered.Count > 0)
            {
                // A run killed with requests in flight (kill -9, a closed window, a lost machine): those may have been billed.
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "Checkpoint journal '{0}': {1} input(s) were sent by an earlier run that ended before their answers were written (it was killed, or the machine stopped): the API may have billed them, and they are verified again now. -Verbose lists them.",
                    path,
                    unanswered.Count));
                var urls = unanswered.Where(u => u.Length > 0).ToList();
                var files = unanswered.Count - urls.Count;
                verbose += " Sent before but never answered in the journal: " + string.Join("; ", urls.Take(200)) + (urls.Count > 200 ? "; …" : string.Empty)
                    + (files > 0 ? string.Format(CultureInfo.InvariantCulture, "{0}{1} local file(s) (the journal keeps no path: each is named as this run meets it)", urls.Count > 0 ? "; and " : string.Empty, files) : string.Empty) + ".";
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
        private VerificationResult? FromJournal(long index, string key, string shown, ExpectedPerson expected)
        {
            SayIfUnanswered(index, key, shown);
            if (_journal == null || !_journal.TryGet(key, _options.Threshold, out var resumed, expected))
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

        // The sandbox's card carries the row's identity, unless a scenario word asks otherwise (Sandbox.RowIdentity).
        private static ApiAnswer FollowRow(ApiAnswer answer, WorkItem item) =>
            Client.Sandbox.RowIdentity.Follow(answer, item.ImagePath ?? item.ImageUrl, item.Expected.IdNumber, item.Expected.Name);

        /// <summary>An input an earlier run sent and never journaled an answer for: named, in -Verbose, as this run meets it.</summary>
        internal void SayIfUnanswered(long index, string key, string shown)
        {
            if (_journal != null && _journal.WasUnanswered(key))
            {
                Messages.Verbose(string.Format(CultureInfo.InvariantCulture, "Input {0} ('{1}') was sent by an earlier run that ended before its answer was written (it may have been billed): sending it again.", index, shown));
            }
        }

        /// <summary>The limit the rate controller holds to (what the API has shown, else the ceiling; infinity when unlimited), for progress.</summary>
        public double FoundLimit => _limiter?.FoundLimit ?? double.PositiveInfinity;

        /// <summary>Runs on the token in other processes now, for progress.</summary>
        public int Peers => _limiter?.Peers ?? 0;

        /// <summary>
        /// Builds the engine; <paramref name="token"/> is null in the sandbox (which has no rate limit: there is
        /// no API behind it). A real run draws on the process's budget for its token and endpoint, shared with
        /// any other run on them. <paramref name="onWait"/> runs on the pipeline thread while it waits.
        /// </summary>
        public void Start(string? token, Action onWait)
        {
            var client = new IdCardVerifyClient(
                _options.Sandbox ? SandboxHandler.Invoker : HttpClients.For(_options.Proxy), _options.Endpoint, token, TimeSpan.FromSeconds(_options.TimeoutSec), _time);
            if (_options.Sandbox)
            {
                _limiter = new RateController(0, _time);
            }
            else
            {
                _budget = RateBudgets.Acquire(_options.Endpoint, token, _options.RequestsPerSecond, _time);
                _limiter = _budget.Controller;
            }

            var limiter = _limiter;
            var sizer = new ConcurrencySizer(_options.ThrottleLimit, () => limiter.CurrentRate);
            // A request on the wire is paid for: stopping the run never throws its answer away (KeepSent).
            var sender = new ResilientSender(client, new RetryPolicy { MaxRetries = _options.MaxRetries }, limiter, Messages.Verbose, _time) { Held = sizer.Observe, KeepSent = true, Abandon = _abandon.Token };
            var verifier = new Verifier(sender, _options.ConfigJson, _options.Threshold, _journal, _options.PortraitDirectory, _options.MaskPersonalData, Messages) { Time = _time, Stager = _stager, Resume = ResumeFile, FollowRow = _options.Sandbox ? FollowRow : (Func<ApiAnswer, WorkItem, ApiAnswer>?)null };
            _verifier = verifier;
            _engine = new VerificationEngine(verifier.VerifyAsync, _options.ThrottleLimit, _stop, onWait, () => sizer.Target, _time);
        }

        /// <summary>Starts one input; returns, in order, whatever completed and may be written now.</summary>
        public IReadOnlyList<Completion> Submit(WorkItem item) => Engine.Submit(item);

        /// <summary>Waits for every input still pending, yielding each completion in order.</summary>
        public IEnumerable<Completion> Drain() => _engine?.Drain() ?? Array.Empty<Completion>();

        private VerificationEngine Engine => _engine ?? throw new InvalidOperationException("Start the run before submitting inputs.");
    }
}
