using System;
using System.Collections.Generic;
using System.Globalization;
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
    internal sealed class VerificationRun : IDisposable
    {
        private readonly RunOptions _options;
        private readonly CancellationToken _stop;
        private readonly TimeProvider _time;
        private readonly long _started;
        private VerificationEngine? _engine;
        private Verifier? _verifier;
        private Staging.Stager? _stager;
        private readonly RunJournal _journalRun;
        private long _index;
        private long _inputErrors;

        /// <summary>True when <paramref name="failure"/> stops the whole run (a bad token, no balance): Resilience's one classifier says.</summary>
        public static bool StopsRun(IdCardVerifyApiException failure) => FailureClass.Of(failure).StopsRun;

        /// <summary>Inputs re-emitted from the checkpoint journal so far.</summary>
        public long Resumed => _journalRun.Resumed;
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
            _journalRun = new RunJournal(options, _time, Messages);
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
                Text.Run_EndpointUnreachable,
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
                Advice = Text.Run_EndpointUnreachableAdvice,
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
                    new IOException(Words.Format(Text.Run_PortraitFolder, folder, ex.Message), ex));
            }
        }

        /// <summary>
        /// Opens the checkpoint journal when one was asked for. Returns what could not be read in it, then a verbose line;
        /// throws <see cref="RunSetupException"/> saying what to do.
        /// </summary>
        public IReadOnlyList<string> OpenJournal(out string? verbose) => _journalRun.Open(out verbose);

        /// <summary>The input's result from the journal of an earlier run, when it holds one (no call, no cost).</summary>
        public WorkItem? Resume(long index, object? input, string imageUrl, ExpectedPerson? expected = null) => _journalRun.Resume(index, input, imageUrl, expected);

        /// <summary>A local file's journal key (<see cref="RunJournal.FileKey"/>).</summary>
        public static string FileKey(string path, byte[] bytes) => RunJournal.FileKey(path, bytes);

        // The sandbox's card carries the row's identity, unless a scenario word asks otherwise (Sandbox.RowIdentity).
        private static ApiAnswer FollowRow(ApiAnswer answer, WorkItem item) =>
            Client.Sandbox.RowIdentity.Follow(answer, item.ImagePath ?? item.ImageUrl, item.Expected.IdNumber, item.Expected.Name);

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
            var verifier = new Verifier(sender, _options.ConfigJson, _options.Threshold, _journalRun.Journal, _options.PortraitDirectory, _options.MaskPersonalData, Messages) { Time = _time, Stager = _stager, Resume = _journalRun.ResumeFile, FollowRow = _options.Sandbox ? FollowRow : (Func<ApiAnswer, WorkItem, ApiAnswer>?)null };
            _verifier = verifier;
            _engine = new VerificationEngine(verifier.VerifyAsync, _options.ThrottleLimit, _stop, onWait, () => sizer.Target, _time);
        }

        /// <summary>Starts one input; returns, in order, whatever completed and may be written now.</summary>
        public IReadOnlyList<Completion> Submit(WorkItem item) => Engine.Submit(item);

        /// <summary>Waits for every input still pending, yielding each completion in order.</summary>
        public IEnumerable<Completion> Drain() => _engine?.Drain() ?? Array.Empty<Completion>();

        private VerificationEngine Engine => _engine ?? throw new InvalidOperationException("Start the run before submitting inputs.");

        /// <summary>Stages the run's local files; set by the command at the first file (null until then).</summary>
        public Staging.Stager? Stager
        {
            get => _stager;
            set
            {
                _stager = value;
                if (_verifier != null)
                {
                    _verifier.Stager = value;
                }
            }
        }

        /// <summary>True once the run knows where its local files are staged.</summary>
        public bool HasStaging => _stager != null;

        /// <summary>
        /// At the run's first file: where files are staged (<see cref="StagingSetup"/>; the store is tried once, by the
        /// first file's worker). Returns the sentence -Verbose shows.
        /// </summary>
        public string StageFiles(System.Collections.Generic.IDictionary<string, object> bound, Settings.SettingsValues configured, Func<string, (string User, string Password)> readVault)
        {
            Stager = StagingSetup.Create(bound, configured, _options, readVault, _time);
            return Words.Format(Text.Run_StagedIn, Stager.Describe(), Stager.Lifetime.TotalMinutes);
        }

        /// <summary>The failure that stopped the run (no balance, a bad token, ...), or null while it goes on.</summary>
        public IdCardVerifyApiException? StoppedBy { get; private set; }

        /// <summary>The input the run stopped at.</summary>
        public long StoppedAt { get; private set; }

        /// <summary>
        /// Stops the run: no further call is made, the requests in flight are cancelled, and what is pending is
        /// still drained in order. Every later input is counted as left unverified.
        /// </summary>
        public void Stop(IdCardVerifyApiException reason, long index)
        {
            StoppedBy = reason;
            StoppedAt = index;
            _engine?.StopCalls();
        }

        /// <summary>Counts an input that was not verified because the run had stopped.</summary>
        public void CountUnverified() => Interlocked.Increment(ref _unverified);

        /// <summary>The one report of a stopped run: why, where, and how many inputs were left unverified.</summary>
        public string StopSummary() => RunSummary.Stopped(StoppedAt, StoppedBy?.Message, Interlocked.Read(ref _unverified));

        /// <summary>
        /// Stops the run at once (PowerShell's stop, a second Ctrl+C): no wait of the pipeline goes on, nothing more is
        /// sent; a request already on the wire still runs to its answer, which is journaled (<see cref="Dispose"/>).
        /// Safe from any thread, at any time.
        /// </summary>
        public void Cancel() => _engine?.Cancel();

        /// <summary>The warning that ends a run stopped with Ctrl+C: what it kept, how many inputs were left, how to go on.</summary>
        public string UserStopSummary(string? journal) => RunSummary.StoppedByUser(Succeeded, Interlocked.Read(ref _unverified), journal);

        /// <summary>True when the run was stopped gracefully by its user (the first Ctrl+C): its end is a warning, not an error.</summary>
        public bool StoppedByUser { get; private set; }

        /// <summary>
        /// The first Ctrl+C: nothing more is sent, the answers already paid for are awaited and written, the pipeline ends
        /// normally. Returns how many requests are on the wire.
        /// </summary>
        public int StopByUser()
        {
            StoppedByUser = true;
            Stop(new IdCardVerifyApiException(Text.Run_StoppedWithCtrlC) { ErrorId = "StoppedByUser", Kind = ApiFailureKind.Other }, _index);
            return InFlight;
        }

        /// <summary>
        /// Stops the engine and closes the journal; safe to call more than once. Requests still on the wire (a run stopped
        /// at once) are awaited in the background (<see cref="RunSettling"/>, at most <see cref="RunJournal.SettleBound"/>),
        /// their answers journaled, then given up. The pipeline does not wait. The token's budget is let go at once.
        /// </summary>
        public void Dispose()
        {
            var engine = _engine;
            _engine = null;
            _budget?.Dispose();
            _budget = null;
            Settling = RunSettling.Close(engine, _stager, _journalRun.Release(), RunJournal.SettleBound(_options), _abandon, _time) ?? Settling;
        }

        /// <summary>The background wait for a stopped run's requests on the wire (null when there was none): tests await it.</summary>
        internal System.Threading.Tasks.Task? Settling { get; private set; }

        /// <summary>One line for -Verbose at the end (<see cref="RunSummary"/>).</summary>
        public string Summary() => RunSummary.Done(Succeeded, Resumed, Failed, Elapsed, _options.Sandbox ? null : _limiter);
    }
}
