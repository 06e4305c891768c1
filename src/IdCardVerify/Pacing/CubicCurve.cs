using System;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// CUBIC's curve (RFC 8312) after a cut: W(t) = C (t - K)^3 + Wmax, which regains Wmax (the limit found) in K
    /// seconds, plateaus there and probes beyond. C is in proportion to Wmax, so that the shape is the same at
    /// 10/s as at 60/s.
    /// </summary>
    internal static class CubicCurve
    {
        /// <summary>
        /// CUBIC's scale constant C, in requests per second per second cubed: the AWS SDKs' 0.4 at
        /// <see cref="ScaleReference"/> requests per second, in proportion to the limit found elsewhere, so that a
        /// cut is regained in the same few seconds (K = cbrt(Wmax (1 - beta) / C): 3.6 s after a cut to 0.7 of the limit, 2.8 s after
        /// one to 0.85) and probes overshoot by the same share at 10/s as at 60/s.
        /// </summary>
        public const double Scale = 0.4;

        /// <summary>The rate at which <see cref="Scale"/> applies as it is (the API's default limit).</summary>
        public const double ScaleReference = 60;

        /// <summary>
        /// After a shallow cut, the probe beyond the limit found goes this many times slower than CUBIC's until it is
        /// <see cref="StretchedProbe"/> over that limit, then at CUBIC's own pace: a line met again and again is probed
        /// less often (each probe draws a 429, and the shallow cut alone shortened the cycle: at a 10/s plan with fast
        /// answers, 4.1% 429s), while room that opens (a colleague's run ended) is still taken fast past it.
        /// </summary>
        public const double ProbeStretch = 2;

        /// <summary>
        /// How far over the limit found a stretched probe goes at the slower pace (a share of that limit): as far as
        /// a steady line is (the limit found is 95% of it). At 10%, a run whose colleague's run ended took seconds
        /// longer to fill the room (bench/README.md, section 13).
        /// </summary>
        public const double StretchedProbe = 0.05;

        // CUBIC's time from Wmax to StretchedProbe over it (the same at any rate, C being in proportion to Wmax).
        private static readonly double Knee = Math.Pow(StretchedProbe * ScaleReference / Scale, 1.0 / 3);

        /// <summary>K: the seconds the curve takes from <paramref name="rate"/> back to <paramref name="maxRate"/>.</summary>
        public static double TimeToRegain(double maxRate, double rate) => Math.Pow(Math.Max(0, maxRate - rate) / ScaleAt(maxRate), 1.0 / 3);

        /// <summary>The curve's rate <paramref name="sinceCut"/> seconds after a cut; <paramref name="stretched"/>: after a shallow cut.</summary>
        public static double At(double maxRate, double k, double sinceCut, bool stretched)
        {
            var t = Math.Max(0, sinceCut) - k;
            if (t > 0 && stretched)
            {
                t = t < ProbeStretch * Knee ? t / ProbeStretch : t - ((ProbeStretch - 1) * Knee);
            }

            return maxRate + (ScaleAt(maxRate) * t * t * t);
        }

        private static double ScaleAt(double maxRate) => Scale * Math.Max(RateCurve.FloorRate, maxRate) / ScaleReference;
    }
}
