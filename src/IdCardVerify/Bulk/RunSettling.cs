using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Files;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// A stopped run's close: requests still on the wire (a run stopped at once) are awaited in the background, at most
    /// a bound, their answers journaled, then given up; the engine, the stager (its deletes) and the journal are let go
    /// after them. A new run in this process on the same journal waits for it.
    /// </summary>
    internal static class RunSettling
    {
        // Journals held by a stopped run that is still settling in this process.
        private static readonly ConcurrentDictionary<string, Task> SettlingJournals = new ConcurrentDictionary<string, Task>(StringComparer.Ordinal);

        /// <summary>
        /// Closes what a run held, at once when nothing is on the wire; else in the background (the returned task, which
        /// tests await): waits up to <paramref name="bound"/>, gives up what is left through <paramref name="abandon"/>.
        /// </summary>
        public static Task? Close(VerificationEngine? engine, Staging.Stager? stager, CheckpointJournal? journal, TimeSpan bound, CancellationTokenSource abandon, TimeProvider time)
        {
            engine?.Cancel();
            bool Busy() => (engine != null && engine.InFlight > 0) || (stager != null && stager.Busy);
            if (!Busy())
            {
                Release(engine, stager, journal);
                return null;
            }

            var settling = Task.Run(async () =>
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

                Release(engine, stager, journal);
            });
            if (journal != null)
            {
                var key = journal.Path;
                SettlingJournals[key] = settling;
                settling.ContinueWith(_ => SettlingJournals.TryRemove(key, out var _), TaskScheduler.Default);
            }

            return settling;
        }

        /// <summary>Waits (at most <paramref name="bound"/>) for a stopped run of this process that still holds the journal at <paramref name="fullPath"/>.</summary>
        public static void Await(string fullPath, TimeSpan bound, TimeProvider time)
        {
            if (SettlingJournals.TryGetValue(fullPath, out var settling))
            {
                time.Wait(settling, bound);
            }
        }

        private static void Release(VerificationEngine? engine, Staging.Stager? stager, CheckpointJournal? journal)
        {
            engine?.Dispose();
            stager?.Dispose();
            journal?.Dispose();
        }
    }
}
