namespace IdCardVerify.Resilience
{
    /// <summary>
    /// What a failed attempt means to each stage of the pipeline, decided in this one place: whether the API refused it
    /// for rate (the rate controller slows down), whether any answer came back (the controller counts it, the outage
    /// breaker resets), whether nothing did (the breaker counts it), whether it is worth another try (the retry
    /// policy), and whether every later input would fail alike (the run stops).
    /// </summary>
    internal readonly struct FailureClass
    {
        private FailureClass(bool throttled, bool answered, bool noAnswer, bool retry, bool stopsRun)
        {
            Throttled = throttled;
            Answered = answered;
            NoAnswer = noAnswer;
            Retry = retry;
            StopsRun = stopsRun;
        }

        /// <summary>A 429 (or the API's rate code): the rate controller takes it as a congestion signal.</summary>
        public bool Throttled { get; }

        /// <summary>An HTTP status came back (not a 429): the endpoint is up and let the request through.</summary>
        public bool Answered { get; }

        /// <summary>Nothing came back (refused, reset, DNS, TLS, no answer in time): it counts toward the outage breaker.</summary>
        public bool NoAnswer { get; }

        /// <summary>Worth another try: a 429, a 5xx, no connection or no answer in time (never a 200 the module could not read).</summary>
        public bool Retry { get; }

        /// <summary>Every later input would fail alike (a bad token, no balance, a wrong endpoint): the run stops.</summary>
        public bool StopsRun { get; }

        public static FailureClass Of(IdCardVerifyApiException failure)
        {
            var kind = failure.Kind;
            var status = failure.StatusCode;
            var throttled = kind == ApiFailureKind.RateLimited;
            var retry = kind == ApiFailureKind.RateLimited || kind == ApiFailureKind.ConnectionFailed || kind == ApiFailureKind.Timeout
                ? status != 200
                : status.HasValue && status.Value >= 500 && status.Value <= 599;
            return new FailureClass(
                throttled,
                answered: !throttled && status.HasValue,
                noAnswer: kind == ApiFailureKind.ConnectionFailed || (kind == ApiFailureKind.Timeout && status == null),
                retry,
                failure.StopsRun);
        }
    }
}
