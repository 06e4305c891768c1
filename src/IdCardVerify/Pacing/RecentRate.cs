using System;
using System.Collections.Generic;

namespace IdCardVerify.Pacing
{
    /// <summary>Events over the last span: the rate the API accepts now, with no smoothing to lag behind.</summary>
    internal sealed class RecentRate
    {
        private readonly TimeSpan _span;
        private readonly Queue<TimeSpan> _times = new Queue<TimeSpan>();
        private TimeSpan? _since;

        public RecentRate(TimeSpan span) => _span = span;

        public void Add(TimeSpan now)
        {
            _since ??= now;
            _times.Enqueue(now);
            while (_times.Count > 0 && now - _times.Peek() > _span)
            {
                _times.Dequeue();
            }
        }

        /// <summary>
        /// Events in the second up to <paramref name="time"/> (inclusive), or null when the span kept (before the
        /// last event) does not reach back that far.
        /// </summary>
        public int? InSecondTo(TimeSpan time, TimeSpan now)
        {
            var from = time - TimeSpan.FromSeconds(1);
            if (now - from > _span)
            {
                return null;
            }

            var count = 0;
            foreach (var at in _times)
            {
                if (at >= from && at <= time)
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>Events per second over the span before <paramref name="time"/> (0 before any).</summary>
        public double Rate(TimeSpan time)
        {
            // Read without trimming: time may be a slot ahead of now.
            var count = _times.Count;
            foreach (var at in _times)
            {
                if (time - at <= _span)
                {
                    break;
                }

                count--;
            }

            // Over the span, or over the time since the first event when that is shorter (a run just begun).
            var seconds = _since.HasValue ? Math.Min(_span.TotalSeconds, Math.Max(0.5, (time - _since.Value).TotalSeconds)) : _span.TotalSeconds;
            return count / seconds;
        }
    }
}
