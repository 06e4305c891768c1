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
                Text.Run_Done,
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
                ? Text.Run_RateNone
                : limit >= ceiling
                    ? string.Format(CultureInfo.InvariantCulture, Text.Run_RateCeiling, ceiling)
                    : string.Format(CultureInfo.InvariantCulture, Text.Run_RateLimit, limit, double.IsInfinity(ceiling) ? Text.Run_NoCeiling : string.Format(CultureInfo.InvariantCulture, Text.Run_Ceiling, ceiling));
            var peers = limiter.MostPeers;
            rate += peers > 0 ? string.Format(CultureInfo.InvariantCulture, Text.Run_Shared, peers) : string.Empty;
            rate += limiter.FaultReason is string off ? " " + off : string.Empty;
            var noise = limiter.Noise;
            return text + rate + (noise > 0
                ? string.Format(CultureInfo.InvariantCulture, Text.Run_Noise, noise * 100)
                : string.Empty);
        }

        /// <summary>The one report of a stopped run: why, where, and how many inputs were left unverified.</summary>
        public static string Stopped(long stoppedAt, string? why, long unverified) => string.Format(
            CultureInfo.InvariantCulture,
            Text.Run_Stopped,
            stoppedAt,
            why,
            unverified);

        /// <summary>The warning that ends a run stopped with Ctrl+C: what it kept, how many inputs were left, how to go on.</summary>
        public static string StoppedByUser(long succeeded, long unverified, string? journal) => string.Format(
            CultureInfo.InvariantCulture,
            Text.Run_StoppedByUser,
            succeeded,
            unverified,
            journal != null
                ? Words.Format(Text.Run_RerunWithJournal, journal)
                : Text.Run_NoJournal);
    }
}
