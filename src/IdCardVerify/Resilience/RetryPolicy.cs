using System;

namespace IdCardVerify.Resilience
{
    /// <summary>
    /// When to try a request again, as the vendor advises: 429, 5xx and network failures (timeouts
    /// included), with exponential backoff and jitter, honouring Retry-After; never a 200 answer,
    /// never another 4xx. Bounded in count (<see cref="MaxRetries"/>) and in time (<see cref="MaxTotal"/>).
    /// </summary>
    internal sealed class RetryPolicy
    {
        [ThreadStatic]
        private static Random? _random;

        /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The first backoff; each later one doubles.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// The least wait before retrying a 429 that came with no Retry-After (as the AWS SDKs back off longer from
        /// throttling than from other errors): a limit counted per second refuses the rest of a second once it is
        /// full, and a retry within it is refused again, so quick retries spend a row's attempts in one second.
        /// </summary>
        public TimeSpan ThrottledMinDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>No single wait is longer, whatever the backoff or Retry-After says (but a 429's <see cref="ThrottledMinDelay"/>).</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>No retry starts after this much time has passed since the first attempt.</summary>
        public TimeSpan MaxTotal { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>
        /// The wait before attempt <paramref name="attempt"/> + 1, or null to give up. <paramref name="attempt"/>
        /// is the number of attempts made so far (1 after the first).
        /// </summary>
        public TimeSpan? NextDelay(int attempt, IdCardVerifyApiException failure, TimeSpan elapsed)
        {
            if (!FailureClass.Of(failure).Retry || attempt > MaxRetries)
            {
                return null;
            }

            var delay = failure.RetryAfter ?? Backoff(attempt);
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }

            if (delay > MaxDelay)
            {
                delay = MaxDelay;
            }

            if (failure.Kind == ApiFailureKind.RateLimited && !failure.RetryAfter.HasValue && delay < ThrottledMinDelay)
            {
                delay = ThrottledMinDelay;
            }

            return elapsed + delay > MaxTotal ? (TimeSpan?)null : delay;
        }

        /// <summary>Exponential backoff with "equal jitter": half fixed, half random, so retries spread out.</summary>
        public TimeSpan Backoff(int attempt)
        {
            var exponent = Math.Min(attempt - 1, 20);
            var ceiling = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
            var random = _random ??= new Random(Guid.NewGuid().GetHashCode());
            return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
        }
    }
}
