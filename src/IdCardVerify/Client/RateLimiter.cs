using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Client
{
    /// <summary>
    /// Spaces requests to at most a rate per second, shared by every worker of a run, and backs off
    /// when the API answers 429 anyway (additive increase, multiplicative decrease): each 429 halves
    /// the rate down to a floor, and successes win back 5% of the starting rate per second. A run
    /// with no client limit starts limiting at half the rate it was achieving when the first 429
    /// came. A Retry-After pauses every worker, not just the one that got it.
    /// </summary>
    internal sealed class RateLimiter
    {
        private const double FloorRate = 1;

        private readonly object _gate = new object();
        private readonly Func<TimeSpan> _clock;
        private readonly double _ceiling;
        private double _basis;
        private double _current;
        private TimeSpan _next;
        private TimeSpan _windowStart;
        private int _windowCount;
        private double _observed;

        /// <param name="requestsPerSecond">The ceiling; 0 or less means no client-side limit until the API throttles.</param>
        /// <param name="clock">Monotonic time since some origin; a test passes its own.</param>
        public RateLimiter(double requestsPerSecond, Func<TimeSpan>? clock = null)
        {
            _ceiling = requestsPerSecond > 0 ? requestsPerSecond : double.PositiveInfinity;
            _basis = _ceiling;
            _current = _ceiling;
            if (clock == null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed;
            }

            _clock = clock;
            _next = _clock();
            _windowStart = _next;
        }

        /// <summary>The rate in force now (requests per second; infinity when unlimited).</summary>
        public double CurrentRate
        {
            get
            {
                lock (_gate)
                {
                    return _current;
                }
            }
        }

        /// <summary>Takes the next send slot and returns how long to wait for it.</summary>
        public TimeSpan Reserve()
        {
            lock (_gate)
            {
                var now = _clock();
                Observe(now);
                if (_next < now)
                {
                    _next = now;
                }

                // Without a limit, _next only ever moves for a Retry-After pause.
                var wait = _next - now;
                if (!double.IsPositiveInfinity(_current))
                {
                    _next += TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / _current));
                }

                return wait;
            }
        }

        /// <summary>Waits for the next send slot; cancellable.</summary>
        public Task WaitAsync(CancellationToken cancellation)
        {
            var wait = Reserve();
            return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, cancellation);
        }

        /// <summary>A 429 came back: halve the rate, and hold everyone for <paramref name="retryAfter"/> when given.</summary>
        public void OnThrottled(TimeSpan? retryAfter)
        {
            lock (_gate)
            {
                if (double.IsPositiveInfinity(_current))
                {
                    // No limit so far: what we were sending is what the API refused; start from there.
                    _basis = Math.Max(FloorRate, _observed);
                    _current = _basis;
                }

                _current = Math.Max(Math.Min(FloorRate, _basis), _current / 2);
                if (retryAfter.HasValue)
                {
                    var resume = _clock() + retryAfter.Value;
                    if (_next < resume)
                    {
                        _next = resume;
                    }
                }
            }
        }

        /// <summary>A request got through: win back a little rate (5% of the starting rate per second of successes).</summary>
        public void OnSuccess()
        {
            lock (_gate)
            {
                if (_current >= _ceiling)
                {
                    return;
                }

                _current = Math.Min(_ceiling, _current + 0.05 * _basis / _current);
            }
        }

        private void Observe(TimeSpan now)
        {
            _windowCount++;
            var span = now - _windowStart;
            if (span >= TimeSpan.FromSeconds(1))
            {
                _observed = _windowCount / span.TotalSeconds;
                _windowStart = now;
                _windowCount = 0;
            }
            else if (_observed == 0 && span > TimeSpan.FromMilliseconds(100))
            {
                _observed = _windowCount / span.TotalSeconds;
            }
        }
    }
}
