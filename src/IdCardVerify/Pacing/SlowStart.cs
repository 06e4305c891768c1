using System;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// A run's start, until its first congestion event (TCP's slow start, RFC 5681): from a quarter of the ceiling
    /// (at least <see cref="StartRate"/>), doubling every second up to the ceiling, so that a lower limit is met with
    /// a small overshoot instead of a second of 429s at the full ceiling. Alone on the token, it goes on through 429s
    /// noise could draw (<see cref="LikeNoise"/>); its cut reads the limit from the second before the refused request.
    /// </summary>
    internal static class SlowStart
    {
        /// <summary>The least rate of the first second (requests per second; a quarter of the ceiling when that is more); it doubles every second until a 429 or the ceiling.</summary>
        public const double StartRate = 10;

        /// <summary>The slow start goes on through 429s while they are no more than this share of a window's answers.</summary>
        public const double NoiseShare = 0.12;

        /// <summary>
        /// Whether <paramref name="throttled"/> 429s among <paramref name="answers"/> recent ones are a share noise could draw:
        /// at most <see cref="NoiseShare"/>, or on under a window's answers at most <see cref="RateController.NoiseCeiling"/>.
        /// </summary>
        public static bool LikeNoise(int throttled, int answers)
        {
            var share = answers > 0 ? (double)throttled / answers : 0;
            return share <= NoiseShare || (answers < RateController.MinSample && share <= RateController.NoiseCeiling);
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
        /// The limit a request refused in the slow start shows: what the second before it carried (a limit of N per second
        /// refuses the first request over N), when less than the doubled rate in force (<paramref name="rateInForce"/>);
        /// in a run's first second, over the part of it gone.
        /// </summary>
        /// <param name="sentInSecond">Requests sent in the second up to <paramref name="sentAt"/> (this one the last) less those refused before it (null: not known).</param>
        public static double RefusedAt(double rateInForce, TimeSpan sentAt, TimeSpan? startedAt, int? sentInSecond)
        {
            var before = sentInSecond - 1;
            var span = startedAt.HasValue ? Math.Min(1, (sentAt - startedAt.Value).TotalSeconds) : 0;
            return before > 0 && span >= 0.25 ? Math.Min(rateInForce, before.Value / span) : rateInForce;
        }
    }
}
