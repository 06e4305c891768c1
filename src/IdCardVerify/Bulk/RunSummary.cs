using System;
using System.Globalization;
using IdCardVerify.Pacing;

namespace IdCardVerify.Bulk
{
    /// <summary>What a run says at its end: the line for -Verbose (what was verified, what the rate controller found), and a stopped run's report.</summary>
    internal static class RunSummary
    {
        /// <summary>The line; <paramref name="limiter"/> is null for the sandbox (no API, no pace to tell of).</summary>
        public static string Done(long succeeded, long resumed, long failed, TimeSpan elapsed, RateController? limiter)
        {
            var text = string.Format(
                CultureInfo.InvariantCulture,
                "Done: {0} verified ({1} from the checkpoint journal), {2} failed, in {3:0.0} s.",
                succeeded,
                resumed,
                failed,
                elapsed.TotalSeconds);
            if (limiter == null)
            {
                return text;
            }

            // What the rate controller made of the API's 429s: why a run went at the pace it did.
            var limit = limiter.FoundLimit;
            var ceiling = limiter.Ceiling;
            var rate = double.IsInfinity(limit)
                ? " Rate: no ceiling and no limit met."
                : limit >= ceiling
                    ? string.Format(CultureInfo.InvariantCulture, " Rate: up to the ceiling, {0:0.#}/s; no lower limit met.", ceiling)
                    : string.Format(CultureInfo.InvariantCulture, " Rate: the API's limit found at {0:0.#}/s ({1}).", limit, double.IsInfinity(ceiling) ? "no ceiling" : string.Format(CultureInfo.InvariantCulture, "ceiling {0:0.#}/s", ceiling));
            var peers = limiter.MostPeers;
            rate += peers > 0 ? string.Format(CultureInfo.InvariantCulture, " Shared the token fairly with up to {0} run(s) in other processes.", peers) : string.Empty;
            rate += limiter.FaultReason is string off ? " " + off : string.Empty;
            var noise = limiter.Noise;
            return text + rate + (noise > 0
                ? string.Format(CultureInfo.InvariantCulture, " About {0:0}% of answers were 429s that did not respond to rate (noise): retried, and not taken for a limit.", noise * 100)
                : string.Empty);
        }

        /// <summary>The one report of a stopped run: why, where, and how many inputs were left unverified.</summary>
        public static string Stopped(long stoppedAt, string? why, long unverified) => string.Format(
            CultureInfo.InvariantCulture,
            "The run stopped at input {0}: {1} {2} input(s) were left unverified; no call was made for them. Results obtained before it are in the output. Fix the cause and run the command again (with -CheckpointPath, only the inputs not yet verified are sent).",
            stoppedAt,
            why,
            unverified);

        /// <summary>The warning that ends a run stopped with Ctrl+C: what it kept, how many inputs were left, how to go on.</summary>
        public static string StoppedByUser(long succeeded, long unverified, string? journal) => string.Format(
            CultureInfo.InvariantCulture,
            "Stopped with Ctrl+C: every answer already paid for is in the output ({0} verified). {1} input(s) were left unverified, with no call made for them. {2}",
            succeeded,
            unverified,
            journal != null
                ? $"Run the same command again: the journal '{journal}' skips the inputs already verified."
                : "This run kept no journal: give -CheckpointPath <file> to runs you may stop, so that a rerun sends only what is left.");
    }
}
