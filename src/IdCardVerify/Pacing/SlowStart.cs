using System;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// A run's start, until its first congestion event (TCP's slow start, RFC 5681): from a quarter of the ceiling
    /// (at least <see cref="StartRate"/>), doubling every second up to the ceiling, so that a lower limit is met with
    /// a small overshoot instead of a second of 429s at the full ceiling.
    /// </summary>
    internal static class SlowStart
    {
        /// <summary>The least rate of the first second (requests per second; a quarter of the ceiling when that is more); it doubles every second until a 429 or the ceiling.</summary>
        public const double StartRate = 10;

        /// <summary>The slow start goes on through 429s while they are no more than this share of a window's answers.</summary>
        public const double NoiseShare = 0.15;

        /// <summary>
        /// Whether <paramref name="throttled"/> 429s among <paramref name="answers"/> recent ones are a share noise could
        /// draw: fewer than three; or no more than <see cref="NoiseShare"/>; or, on fewer answers than a window's, no
        /// more than <see cref="RateController.NoiseCeiling"/> (5 of 21 is 10% noise's early cluster as often as not).
        /// </summary>
        public static bool LikeNoise(int throttled, int answers)
        {
            var share = answers > 0 ? (double)throttled / answers : 0;
            return throttled < 3 || share <= NoiseShare || (answers < RateController.MinSample && share <= RateController.NoiseCeiling);
        }

        /// <summary>
        /// The rate at <paramref name="time"/> of a run that began at <paramref name="startedAt"/> under a finite
        /// <paramref name="ceiling"/>. It never runs ahead of twice what the API is seen to accept
        /// (<paramref name="accepted"/>, the AWS SDKs' cap), so a slow API, whose answers tell of the limit late, is
        /// not flooded before the first 429 comes back.
        /// </summary>
        /// <param name="from">The rate it starts from (null: a quarter of the ceiling, at least <see cref="StartRate"/>).</param>
        public static double RateAt(double ceiling, TimeSpan startedAt, TimeSpan time, double accepted, double? from = null)
        {
            var doublings = Math.Max(0, (time - startedAt).TotalSeconds);
            var first = from ?? Math.Max(StartRate, ceiling / 4);
            var start = doublings >= 16 ? ceiling : first * Math.Pow(2, doublings);
            return Math.Min(ceiling, Math.Min(start, Math.Max(first, 2 * accepted)));
        }

        /// <summary>
        /// The rate a request refused in the slow start was sent under: the requests sent in the second before it,
        /// when fewer than the rate in force (<paramref name="rateInForce"/>) says. The rate doubles every second, so
        /// the rate in force at a 429 is up to twice what the second before carried; a limit of N per second refuses
        /// the first request over N in a second, so that count is the limit itself. In a run's first second, the
        /// count over the part of it gone: a few early 429s are as likely noise, and a cut read from so few sends
        /// would be deep and slow to check.
        /// </summary>
        /// <param name="sentInSecond">Slots taken in the second up to <paramref name="sentAt"/>, the refused request's own the last of them (null: not known).</param>
        public static double RefusedAt(double rateInForce, TimeSpan sentAt, TimeSpan? startedAt, int? sentInSecond)
        {
            var before = sentInSecond - 1;
            var span = startedAt.HasValue ? Math.Min(1, (sentAt - startedAt.Value).TotalSeconds) : 0;
            return before > 0 && span >= 0.25 ? Math.Min(rateInForce, before.Value / span) : rateInForce;
        }
    }
}
