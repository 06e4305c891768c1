using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Client
{
    /// <summary>
    /// Finds the rate the API really accepts for a token and holds the run just under it. No rate-limit
    /// headers are documented, so the only signal is the 429; the design follows the AWS SDKs' adaptive retry
    /// mode (its client rate limiter: a CUBIC curve over a token bucket, RFC 8312), with three changes that
    /// make it converge instead of collapsing:
    /// <list type="number">
    /// <item><b>One decrease per congestion event.</b> A 429 counts only when its request was sent after the
    /// last decrease: the 429s of requests already on the wire when the rate was cut are the same event (as
    /// TCP cuts once per round trip, RFC 5681/6582), so a burst of 429s is one cut, not one cut each.</item>
    /// <item><b>A cut to a fraction of what was accepted.</b> The new rate is <see cref="Beta"/> (0.7, as
    /// CUBIC and the AWS SDKs) times the rate of requests the API was actually accepting, which is the limit
    /// it has shown; then the CUBIC curve W(t) = C (t - K)^3 + Wmax regains it in a few seconds, plateaus
    /// around it and probes beyond it slowly. CUBIC's fast convergence lowers Wmax when a limit shrinks (a
    /// colleague's run began), so two clients on one token settle on a share each.</item>
    /// <item><b>Noise is not congestion.</b> Each cut is followed by a check (in the spirit of Google SRE's
    /// client-side throttling, which judges rejections as a share of requests, not one by one): when the
    /// share of 429s did not fall at the lower rate, the 429s are not about rate (a gateway's noise). The
    /// cut is undone, the share is learned as noise, and from then on a window of answers is congested only
    /// when its share of 429s is well over the noise.</item>
    /// </list>
    /// A run begins with a slow start (TCP's): <see cref="StartRate"/>, doubling every second up to the
    /// ceiling, so a lower limit is met with a small overshoot. A Retry-After holds every caller of the budget
    /// until it has passed. The rate never goes over the ceiling (-RequestsPerSecond); with no ceiling it is
    /// unlimited until the first 429.
    /// </summary>
    internal sealed class RateController
    {
        /// <summary>The multiplicative decrease (CUBIC's and the AWS SDKs' beta).</summary>
        public const double Beta = 0.7;

        /// <summary>CUBIC's scale constant C, in requests per second per second cubed (the AWS SDKs' value).</summary>
        public const double Scale = 0.4;

        /// <summary>The rate of the first second (requests per second); it doubles every second until a 429 or the ceiling.</summary>
        public const double StartRate = 10;

        /// <summary>A probe beyond the limit found goes at most this far over the accepted rate.</summary>
        public const double ProbeGain = 1.1;

        /// <summary>The plateau sits this far under a rate that drew a 429.</summary>
        public const double Margin = 0.95;

        /// <summary>The rate is never cut below this (requests per second).</summary>
        public const double FloorRate = 0.5;

        /// <summary>A window of answers is judged when it has lasted this long and holds <see cref="MinSample"/> answers.</summary>
        public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

        public const int MinSample = 20;

        /// <summary>Below this share the learned noise is forgotten.</summary>
        public const double NoiseFloor = 0.01;

        /// <summary>A share of 429s above this is congestion, never noise.</summary>
        public const double NoiseCeiling = 0.35;

        private static readonly TimeSpan MeterBucket = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private readonly Func<TimeSpan> _clock;
        private readonly double _ceiling;
        private readonly Recent _accepted = new Recent();
        private readonly Meter _sent = new Meter();

        // The CUBIC curve: Wmax, the time of the last cut and K. No cut yet: the rate is the ceiling.
        private bool _cut;
        private double _maxRate;
        private TimeSpan _cutAt;
        private double _k;
        private TimeSpan _next;
        private TimeSpan _pausedUntil;
        private bool _started;
        private TimeSpan _startedAt;

        // The current window of answers, and the one before it.
        private TimeSpan _windowStart;
        private int _windowAnswers;
        private int _windowThrottled;
        private int _previousAnswers;
        private int _previousThrottled;
        private double _noise;

        // The check after a cut: answers to requests sent since, and how to undo the cut.
        private bool _checking;
        private double _shareBefore;
        private double _rateBeforeCut;
        private int _checkAnswers;
        private int _checkThrottled;
        private (bool Cut, double MaxRate, TimeSpan CutAt, double K) _undo;

        /// <param name="ceiling">The most requests per second ever sent; 0 or less: no ceiling (unlimited until the first 429).</param>
        /// <param name="clock">Monotonic time since some origin; a test passes its own.</param>
        public RateController(double ceiling, Func<TimeSpan>? clock = null)
        {
            _ceiling = ceiling > 0 ? ceiling : double.PositiveInfinity;
            if (clock == null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed;
            }

            _clock = clock;
            _next = _windowStart = _clock();
        }

        /// <summary>Now, on the controller's clock: a sender notes when its request went out.</summary>
        public TimeSpan Now => _clock();

        public double Ceiling => _ceiling;

        /// <summary>The rate in force now (requests per second; infinity when unlimited).</summary>
        public double CurrentRate
        {
            get
            {
                lock (_gate)
                {
                    return RateAt(_clock());
                }
            }
        }

        /// <summary>The limit the API has shown (the accepted rate at the last congestion event), or the ceiling when none has been met.</summary>
        public double FoundLimit
        {
            get
            {
                lock (_gate)
                {
                    return _cut ? Math.Min(_maxRate, _ceiling) : _ceiling;
                }
            }
        }

        /// <summary>The share of 429s learned as noise (0 when there is none).</summary>
        public double Noise
        {
            get
            {
                lock (_gate)
                {
                    return _noise;
                }
            }
        }

        /// <summary>Takes the next send slot and returns how long to wait for it.</summary>
        public TimeSpan Reserve()
        {
            lock (_gate)
            {
                var now = _clock();
                if (!_started)
                {
                    _started = true;
                    _startedAt = now;
                }

                var start = _pausedUntil > now ? _pausedUntil : now;
                if (_next < start)
                {
                    // Idle time is not banked into a burst.
                    _next = start;
                }

                var wait = _next - now;
                var rate = RateAt(_next);
                if (!double.IsPositiveInfinity(rate))
                {
                    _next += TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
                }

                _sent.Add(now);
                return wait;
            }
        }

        /// <summary>Waits for the next send slot; cancellable.</summary>
        public Task WaitAsync(CancellationToken cancellation)
        {
            var wait = Reserve();
            return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, cancellation);
        }

        /// <summary>The API answered a request sent at <paramref name="sentAt"/> with anything but a 429.</summary>
        public void OnAnswered(TimeSpan sentAt)
        {
            lock (_gate)
            {
                var now = _clock();
                _accepted.Add(now);
                Count(now, sentAt, throttled: false);
            }
        }

        /// <summary>A request sent at <paramref name="sentAt"/> was answered 429; every caller waits out <paramref name="retryAfter"/> when given.</summary>
        public void OnThrottled(TimeSpan sentAt, TimeSpan? retryAfter)
        {
            lock (_gate)
            {
                var now = _clock();
                if (retryAfter.HasValue && retryAfter.Value > TimeSpan.Zero && now + retryAfter.Value > _pausedUntil)
                {
                    _pausedUntil = now + retryAfter.Value;
                }

                Count(now, sentAt, throttled: true);
                var sameEvent = _cut && sentAt < _cutAt;
                if (!sameEvent && !_checking && _noise < NoiseFloor)
                {
                    // No noise learned: a 429 to a request sent at the rate in force is congestion, now.
                    Cut(now, RateAt(sentAt));
                }
            }
        }

        private void Count(TimeSpan now, TimeSpan sentAt, bool throttled)
        {
            _windowAnswers++;
            if (throttled)
            {
                _windowThrottled++;
            }

            if (_checking && sentAt >= _cutAt)
            {
                _checkAnswers++;
                if (throttled)
                {
                    _checkThrottled++;
                }

                var clearlyCongested = _checkAnswers >= MinSample / 2 && _checkThrottled > NoiseCeiling * _checkAnswers;
                if (clearlyCongested || (_checkAnswers >= 2 * MinSample && now - _cutAt >= Window))
                {
                    EndCheck(now);
                }
            }

            if (now - _windowStart >= Window && _windowAnswers >= MinSample)
            {
                CloseWindow(now);
            }
        }

        private void CloseWindow(TimeSpan now)
        {
            var share = (double)_windowThrottled / _windowAnswers;
            if (!_checking && _noise >= NoiseFloor)
            {
                if (share > Math.Min(NoiseCeiling, (2 * _noise) + NoiseFloor))
                {
                    Cut(now, RateAt(now));
                }
                else
                {
                    // Learn the noise as it is now: it fades when the gateway calms down.
                    _noise = (0.8 * _noise) + (0.2 * share);
                    if (_noise < NoiseFloor)
                    {
                        _noise = 0;
                    }
                }
            }

            _previousAnswers = _windowAnswers;
            _previousThrottled = _windowThrottled;
            _windowAnswers = _windowThrottled = 0;
            _windowStart = now;
        }

        /// <summary>
        /// One congestion event: cut to Beta times the limit the API has shown, and check afterwards that the cut
        /// helped. <paramref name="sentRate"/> is the rate the refused request was sent under.
        /// </summary>
        private void Cut(TimeSpan now, double sentRate)
        {
            var answers = _windowAnswers + _previousAnswers;
            _shareBefore = answers > 0 ? (double)(_windowThrottled + _previousThrottled) / answers : 0;
            _undo = (_cut, _maxRate, _cutAt, _k);
            _rateBeforeCut = RateAt(now);

            // The limit shown: the rate the refused request was sent under, times the share the API accepted of
            // late (a limit is a hard line: the plateau goes at least a little under the rate that drew the 429).
            if (double.IsInfinity(sentRate))
            {
                sentRate = _sent.Rate(now);
            }

            var limit = sentRate * Math.Min(Margin, 1 - _shareBefore);
            var accepted = _accepted.Rate(now);
            if (accepted > 0 && accepted < limit)
            {
                // What the API accepted of late, when that is less (the first 429 of a run that was still
                // ramping up says little about how far over the limit the run already is).
                limit = accepted;
            }
            limit = Math.Max(FloorRate, Math.Min(limit, _ceiling));
            // CUBIC's fast convergence: a limit clearly lower than the last one means a competitor came; leave it room.
            _maxRate = _cut && limit < 0.9 * _maxRate ? limit * (1 + Beta) / 2 : limit;
            var rate = Math.Max(FloorRate, Beta * limit);
            _k = Math.Pow(Math.Max(0, _maxRate - rate) / Scale, 1.0 / 3);
            _cut = true;
            _cutAt = now;
            _checking = true;
            _checkAnswers = _checkThrottled = 0;
        }

        private void EndCheck(TimeSpan now)
        {
            _checking = false;
            var share = (double)_checkThrottled / _checkAnswers;
            // Noise stays at about the share it had; a cut that was not deep enough shows more 429s, not as many.
            var noise = _checkThrottled >= 3 && share >= 0.04 && share <= NoiseCeiling
                && share >= _shareBefore / 2 && share <= (2 * _shareBefore) + 0.05;
            if (noise)
            {
                // The 429s did not fall at the lower rate: they are not about rate. Undo the cut (the rate goes
                // on from where it was, probing gently), and learn the noise.
                (_cut, _maxRate, _cutAt, _k) = _undo;
                if (_cut)
                {
                    _maxRate = _rateBeforeCut;
                    _cutAt = now;
                    _k = 0;
                }

                _noise = Math.Min(NoiseCeiling / 2, Math.Max(_noise, share));
            }
        }

        private double RateAt(TimeSpan time)
        {
            if (!_cut)
            {
                // Slow start (as TCP's): from StartRate, doubling every second up to the ceiling, so that a lower
                // limit is met with a small overshoot instead of a second of 429s at the full ceiling.
                if (double.IsPositiveInfinity(_ceiling) || !_started)
                {
                    return _ceiling;
                }

                // It never runs ahead of twice what the API is seen to accept (the AWS SDKs' cap), so a slow API,
                // whose answers tell of the limit late, is not flooded before the first 429 comes back.
                var doublings = Math.Max(0, (time - _startedAt).TotalSeconds);
                var start = doublings >= 16 ? _ceiling : StartRate * Math.Pow(2, doublings);
                return Math.Min(_ceiling, Math.Min(start, Math.Max(StartRate, 2 * _accepted.Rate(time))));
            }

            var t = Math.Max(0, (time - _cutAt).TotalSeconds) - _k;
            var rate = _maxRate + (Scale * t * t * t);
            if (rate > _maxRate)
            {
                // Probing beyond the limit found: at most ProbeGain over what the API is seen to accept, so the
                // probe climbs one latency at a time and overshoots by little however slow the answers are.
                rate = Math.Min(rate, Math.Max(_maxRate, ProbeGain * _accepted.Rate(time) / (1 - _noise)));
            }

            return Math.Min(_ceiling, Math.Max(FloorRate, rate));
        }

        /// <summary>Events in the last second: the rate the API accepts now, with no smoothing to lag behind.</summary>
        private sealed class Recent
        {
            private static readonly TimeSpan Span = TimeSpan.FromSeconds(1);
            private readonly Queue<TimeSpan> _times = new Queue<TimeSpan>();

            public void Add(TimeSpan now)
            {
                _times.Enqueue(now);
                Trim(now);
            }

            /// <summary>Events per second over the second before <paramref name="time"/> (0 before any).</summary>
            public double Rate(TimeSpan time)
            {
                // Read without trimming: time may be a slot ahead of now.
                var count = _times.Count;
                foreach (var at in _times)
                {
                    if (time - at <= Span)
                    {
                        break;
                    }

                    count--;
                }

                return count / Span.TotalSeconds;
            }

            private void Trim(TimeSpan now)
            {
                while (_times.Count > 0 && now - _times.Peek() > Span)
                {
                    _times.Dequeue();
                }
            }
        }

        /// <summary>Events per second, measured over one-second buckets and smoothed (as the AWS SDKs' measured rate, with more smoothing: answers come back jittered).</summary>
        private sealed class Meter
        {
            private TimeSpan _bucketStart = TimeSpan.MinValue;
            private int _count;
            private double _rate = -1;

            public void Add(TimeSpan now)
            {
                Roll(now);
                _count++;
            }

            /// <summary>The smoothed rate as it stands, without closing a bucket (0 before the first).</summary>
            public double Peek() => Math.Max(0, _rate);

            public double Rate(TimeSpan now)
            {
                Roll(now);
                if (_rate >= 0)
                {
                    return _rate;
                }

                // No whole bucket yet: what the part so far says.
                var span = (now - _bucketStart).TotalSeconds;
                return span >= 0.1 ? _count / span : 0;
            }

            private void Roll(TimeSpan now)
            {
                if (_bucketStart == TimeSpan.MinValue)
                {
                    _bucketStart = now;
                    return;
                }

                var span = now - _bucketStart;
                if (span < MeterBucket)
                {
                    return;
                }

                var measured = _count / span.TotalSeconds;
                _rate = _rate < 0 ? measured : (0.5 * measured) + (0.5 * _rate);
                _bucketStart = now;
                _count = 0;
            }
        }
    }
}
