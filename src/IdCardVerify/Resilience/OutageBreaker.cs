using IdCardVerify.Files;
using System;

namespace IdCardVerify.Resilience
{
    /// <summary>
    /// Tells an outage from bad luck: when every input for a sustained stretch fails without an answer
    /// (refused, DNS, TLS, a proxy, no answer at all), the endpoint is down for this run, and trying each of
    /// 50,000 rows with its retries would take hours and print as many errors. It trips when at least
    /// <see cref="Inputs"/> inputs in a row have failed so, over at least <see cref="Stretch"/>; any answer
    /// from the API (a result, or an HTTP error) resets it.
    /// </summary>
    internal sealed class OutageBreaker
    {
        public const int Inputs = 10;
        public static readonly TimeSpan Stretch = TimeSpan.FromSeconds(30);

        private readonly TimeProvider _time;
        private TimeSpan? _since;

        /// <param name="time">The run's clock; a test passes its own.</param>
        public OutageBreaker(TimeProvider? time = null)
        {
            _time = time ?? Clock.System;
        }

        /// <summary>Inputs in a row that got no answer.</summary>
        public int Count { get; private set; }

        /// <summary>How long the current stretch of failures has lasted.</summary>
        public TimeSpan Duration => _since.HasValue ? _time.Now() - _since.Value : TimeSpan.Zero;

        /// <summary>Counts an input that ended without an answer; true when the breaker trips.</summary>
        public bool NoAnswer()
        {
            _since ??= _time.Now();
            Count++;
            return Count >= Inputs && Duration >= Stretch;
        }

        /// <summary>The API answered (a result or an HTTP error): the endpoint is up.</summary>
        public void Answered()
        {
            Count = 0;
            _since = null;
        }

    }
}
