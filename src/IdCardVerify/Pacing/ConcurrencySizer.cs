using System;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// How many requests a run keeps in flight, so that nobody has to know Little's law: the target rate times the time
    /// a request holds its slot (its latency and any retry backoff, not the wait for a send slot), with headroom, within
    /// <see cref="Least"/> and the bound (-ThrottleLimit). The time rises fast (weight 0.2 for a longer answer), so the
    /// size follows a latency that grows mid-run, and falls slowly (0.05): the few rows that wait out a Retry-After hold
    /// their slot a second or more, and an average that forgot them would leave too few slots for the next ones. A spare
    /// slot costs nothing (the rate controller paces the sends). With no rate in force the bound is the size.
    /// </summary>
    internal sealed class ConcurrencySizer
    {
        /// <summary>Slots beyond rate × latency, for latency jitter and the answers that come late.</summary>
        public const double Headroom = 1.5;

        /// <summary>
        /// The latency assumed until the first answer says otherwise: the longest the design plans for. Before any
        /// answer the gate cannot grow (it admits more only as answers free slots), so a guess shorter than the real
        /// latency keeps the first second of a slow API to a handful of requests; a longer one costs nothing (the
        /// first answer replaces it, and the rate controller paces the sends).
        /// </summary>
        public static readonly TimeSpan AssumedLatency = TimeSpan.FromMilliseconds(1500);

        /// <summary>The fewest requests kept in flight (when the bound allows): a row waiting out a retry must not stall a slow run.</summary>
        public const int Least = 4;

        private const double Rise = 0.2;
        private const double Fall = 0.05;

        private readonly object _lock = new object();
        private readonly int _bound;
        private readonly Func<double> _rate;
        private double _seconds = -1;

        /// <param name="bound">The most requests in flight, ever.</param>
        /// <param name="rate">The target rate now (requests per second; infinity when there is none).</param>
        public ConcurrencySizer(int bound, Func<double> rate)
        {
            _bound = Math.Max(1, bound);
            _rate = rate;
        }

        /// <summary>The smoothed time a request holds its slot (the assumed latency before any answer).</summary>
        public TimeSpan Latency
        {
            get
            {
                lock (_lock)
                {
                    return _seconds < 0 ? AssumedLatency : TimeSpan.FromSeconds(_seconds);
                }
            }
        }

        /// <summary>A request held its slot this long.</summary>
        public void Observe(TimeSpan held)
        {
            var seconds = Math.Max(0, held.TotalSeconds);
            lock (_lock)
            {
                var weight = seconds > _seconds ? Rise : Fall;
                _seconds = _seconds < 0 ? seconds : (weight * seconds) + ((1 - weight) * _seconds);
            }
        }

        /// <summary>Requests to keep in flight now.</summary>
        public int Target
        {
            get
            {
                var rate = _rate();
                if (double.IsInfinity(rate) || double.IsNaN(rate))
                {
                    return _bound;
                }

                var wanted = Math.Ceiling(rate * Latency.TotalSeconds * Headroom) + 1;
                return (int)Math.Min(_bound, Math.Max(Least, wanted));
            }
        }
    }
}
