using System;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// The share of 429s a run takes for noise (a gateway refusing a share of whatever is sent): learned from a
    /// cut's check (<see cref="CutCheck"/>), at most <see cref="Max"/>; then following the share of each window of
    /// answers, never over what a check found (a limit creeping in must not pass for more noise), and forgotten
    /// when it falls under <see cref="Floor"/> (the gateway calmed down). Not thread-safe: the rate controller's lock
    /// guards it.
    /// </summary>
    internal sealed class NoiseLevel
    {
        /// <summary>Below this share the noise is forgotten.</summary>
        public const double Floor = 0.01;

        /// <summary>The most noise learned.</summary>
        public const double Max = 0.12;

        /// <summary>A window is congested when its share of 429s is this many standard errors over the noise (plus <see cref="Floor"/>).</summary>
        public const double Spread = 2.5;

        private double _learned;

        /// <summary>The share of 429s taken for noise now (0 when there is none).</summary>
        public double Share { get; private set; }

        /// <summary>Whether any noise is known.</summary>
        public bool Known => Share >= Floor;

        /// <summary>A check found 429s at this share that did not fall with the rate: noise.</summary>
        public void Learn(double share)
        {
            _learned = Math.Min(Max, Math.Max(_learned, share));
            Share = _learned;
        }

        /// <summary>
        /// Whether a window of <paramref name="answers"/> answers, <paramref name="share"/> of them 429s, holds more
        /// than the noise explains: a binomial test, not a share alone (a window of 20 answers at 10% noise holds
        /// five 429s one time in 23), and never more than <paramref name="ceiling"/> whatever the noise.
        /// </summary>
        public bool Exceeded(double share, int answers, double ceiling)
        {
            var error = Math.Sqrt(Share * (1 - Share) / answers);
            return share > Math.Min(ceiling, Share + (Spread * error) + Floor);
        }

        /// <summary>A window that was not congested: the noise follows its share (and fades), never over what a check found.</summary>
        public void Follow(double share)
        {
            Share = Math.Min(_learned, (0.8 * Share) + (0.2 * share));
            if (Share < Floor)
            {
                Share = _learned = 0;
            }
        }

        /// <summary>Whether a window's share of 429s is no more than the noise (a hair over it at most).</summary>
        public bool Covers(double share) => share <= Math.Max(Share, Floor) + Floor;

        /// <summary>What the API would have accepted had the noise refused nothing: <paramref name="accepted"/> / (1 - noise).</summary>
        public double Gross(double accepted) => accepted / (1 - Share);
    }
}
