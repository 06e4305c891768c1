using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Files;

namespace IdCardVerify.Bulk
{
    /// <summary>How a run stops: for a cause every later input would share, with Ctrl+C (gracefully, then at once), and its close.</summary>
    internal sealed partial class VerificationRun
    {
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
        public string StopSummary() => string.Format(
            CultureInfo.InvariantCulture,
            "The run stopped at input {0}: {1} {2} input(s) were left unverified; no call was made for them. Results obtained before it are in the output. Fix the cause and run the command again (with -CheckpointPath, only the inputs not yet verified are sent).",
            StoppedAt,
            StoppedBy?.Message,
            Interlocked.Read(ref _unverified));

        /// <summary>
        /// Stops the run at once (PowerShell's stop, a second Ctrl+C): no wait of the pipeline goes on, nothing more is
        /// sent; a request already on the wire still runs to its answer, which is journaled (<see cref="Dispose"/>).
        /// Safe from any thread, at any time.
        /// </summary>
        public void Cancel() => _engine?.Cancel();

        /// <summary>The warning that ends a run stopped with Ctrl+C: what it kept, how many inputs were left, how to go on.</summary>
        public string UserStopSummary(string? journal) => string.Format(
            CultureInfo.InvariantCulture,
            "Stopped with Ctrl+C: every answer already paid for is in the output ({0} verified). {1} input(s) were left unverified, with no call made for them. {2}",
            Succeeded,
            Interlocked.Read(ref _unverified),
            journal != null
                ? $"Run the same command again: the journal '{journal}' skips the inputs already verified."
                : "This run kept no journal: give -CheckpointPath <file> to runs you may stop, so that a rerun sends only what is left.");

        /// <summary>True when the run was stopped gracefully by its user (the first Ctrl+C): its end is a warning, not an error.</summary>
        public bool StoppedByUser { get; private set; }

        /// <summary>
        /// The first Ctrl+C: nothing more is sent, the answers already paid for are awaited and written, the pipeline ends
        /// normally. Returns how many requests are on the wire.
        /// </summary>
        public int StopByUser()
        {
            StoppedByUser = true;
            Stop(new IdCardVerifyApiException("The run was stopped with Ctrl+C.") { ErrorId = "StoppedByUser", Kind = ApiFailureKind.Other }, _index);
            return InFlight;
        }

        /// <summary>How long a stopped run's requests on the wire are awaited in the background before they are given up.</summary>
        private TimeSpan SettleBound => TimeSpan.FromSeconds(Math.Min(_options.TimeoutSec, 10));

        // Journals held by a stopped run that is still settling in this process: a new run on the same journal waits for it.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> SettlingJournals =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Task>(StringComparer.Ordinal);

        /// <summary>
        /// Stops the engine and closes the journal; safe to call more than once. Requests still on the wire (a run stopped
        /// at once) are awaited in the background, at most <see cref="SettleBound"/> (as staged objects' deletes are), their
        /// answers journaled, then given up; the journal and the staged objects' deletes are let go after them. The
        /// pipeline does not wait. The token's budget is let go at once (nothing more is sent).
        /// </summary>
        public void Dispose()
        {
            var engine = _engine;
            var stager = _stager;
            var journal = _journal;
            _engine = null;
            _journal = null;
            _budget?.Dispose();
            _budget = null;
            engine?.Cancel();
            bool Busy() => (engine != null && engine.InFlight > 0) || (stager != null && stager.Busy);
            if (!Busy())
            {
                Close(engine, stager, journal);
                return;
            }

            var bound = SettleBound;
            var abandon = _abandon;
            var time = _time;
            Settling = Task.Run(async () =>
            {
                var started = time.GetTimestamp();
                while (Busy() && time.GetElapsedTime(started) < bound)
                {
                    await time.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
                }

                // What has not answered by now is given up: its intent is settled as not verified, a rerun sends it again.
                abandon.Cancel();
                while (Busy() && time.GetElapsedTime(started) < bound + TimeSpan.FromSeconds(3))
                {
                    await time.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
                }

                Close(engine, stager, journal);
            });
            if (journal != null)
            {
                var key = journal.Path;
                SettlingJournals[key] = Settling;
                Settling.ContinueWith(_ => SettlingJournals.TryRemove(key, out var _), TaskScheduler.Default);
            }
        }

        /// <summary>Waits (boundedly) for a stopped run of this process that still holds the journal at <paramref name="fullPath"/>.</summary>
        private void AwaitSettling(string fullPath)
        {
            if (SettlingJournals.TryGetValue(fullPath, out var settling))
            {
                _time.Wait(settling, SettleBound + TimeSpan.FromSeconds(5));
            }
        }

        /// <summary>The background wait for a stopped run's requests on the wire (null when there was none): tests await it.</summary>
        internal Task? Settling { get; private set; }

        private static void Close(VerificationEngine? engine, Staging.Stager? stager, CheckpointJournal? journal)
        {
            engine?.Dispose();
            stager?.Dispose();
            journal?.Dispose();
        }
    }
}
