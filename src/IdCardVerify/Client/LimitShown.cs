using System;

namespace IdCardVerify.Client
{
    /// <summary>
    /// What the API's answers say of its limit, for the <see cref="RateController"/>: the limit a congestion event
    /// shows, and the slow start's rate before the first one.
    /// </summary>
    internal static class LimitShown
    {
        /// <summary>A share of 429s over this among recent answers: the API accepts clearly less than is sent.</summary>
        public const double ManyRefused = 0.1;

        /// <summary>The least rate of the first second (requests per second; a quarter of the ceiling when that is more); it doubles every second until a 429 or the ceiling.</summary>
        public const double StartRate = 10;

        /// <summary>
        /// The limit a 429 shows: the rate the refused request was sent under, just under it (a limit is a hard line),
        /// or, with many of the <paramref name="answers"/> recent answers refused, about what the API accepted.
        /// <paramref name="accepted"/> is what it accepted of late, as it would have without the noise.
        /// </summary>
        public static (double Limit, bool Many) Read(double sentRate, int answers, double shareBefore, NoiseLevel noise, double accepted)
        {
            // Too few answers yet to tell a share (the first seconds of a run): judge by the rate alone. The 429s
            // beyond the noise are the ones the limit drew.
            var excess = Math.Max(0, shareBefore - noise.Share);
            var many = answers >= RateController.MinSample / 2 && excess >= ManyRefused;
            var limit = sentRate * (many ? Math.Min(RateController.Margin, 1 - excess) : RateController.Margin);
            if (accepted > 0 && accepted < limit && many)
            {
                // Many refused: the API accepts clearly less than was sent (a slow start that overshot a small
                // plan). What it accepted of late reads the limit low when the rate was climbing (the meter lags a
                // ramp by its two seconds), the rate sent times the share accepted reads it high when 429s come back
                // before the answers (they do, at once): halfway between. With few refused, the rate that drew the
                // 429 is the better reading: the meter wavers with jittered answers.
                limit = (limit + accepted) / 2;
            }

            return (limit, many);
        }

        /// <summary>
        /// The rate before the first congestion event (TCP's slow start): from <see cref="StartRate"/> (or a quarter of
        /// the ceiling), doubling every second up to the ceiling, so that a lower limit is met with a small overshoot
        /// instead of a second of 429s at the full ceiling. <paramref name="accepted"/>: what the API accepts now.
        /// </summary>
        public static double SlowStart(double ceiling, TimeSpan? startedAt, TimeSpan time, double accepted)
        {
            if (double.IsPositiveInfinity(ceiling) || !startedAt.HasValue)
            {
                return ceiling;
            }

            // It never runs ahead of twice what the API is seen to accept (the AWS SDKs' cap), so a slow API,
            // whose answers tell of the limit late, is not flooded before the first 429 comes back.
            var doublings = Math.Max(0, (time - startedAt.Value).TotalSeconds);
            var first = Math.Max(StartRate, ceiling / 4);
            var start = doublings >= 16 ? ceiling : first * Math.Pow(2, doublings);
            return Math.Min(ceiling, Math.Min(start, Math.Max(first, 2 * accepted)));
        }
    }
}
