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

    /// <summary>
    /// Events per second, measured over one-second buckets and smoothed (as the AWS SDKs' measured rate, with
    /// more smoothing: answers come back jittered).
    /// </summary>
    internal sealed class SmoothedRate
    {
        private static readonly TimeSpan Bucket = TimeSpan.FromSeconds(1);

        private TimeSpan _bucketStart = TimeSpan.MinValue;
        private int _count;
        private double _rate = -1;

        public void Add(TimeSpan now)
        {
            Roll(now);
            _count++;
        }

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
            if (span < Bucket)
            {
                return;
            }

            var measured = _count / span.TotalSeconds;
            _rate = _rate < 0 ? measured : (0.5 * measured) + (0.5 * _rate);
            _bucketStart = now;
            _count = 0;
        }
    }

    /// <summary>
    /// Answers in windows of at least <see cref="RateController.Window"/> and <see cref="RateController.MinSample"/>
    /// answers: the current one, and the one before it.
    /// </summary>
    internal sealed class AnswerWindows
    {
        private TimeSpan _start;
        private int _answers;
        private int _throttled;
        private int _previousAnswers;
        private int _previousThrottled;

        public AnswerWindows(TimeSpan start) => _start = start;

        /// <summary>Answers in this window and the one before.</summary>
        public int RecentAnswers => _answers + _previousAnswers;

        /// <summary>429s in this window and the one before.</summary>
        public int RecentThrottled => _throttled + _previousThrottled;

        /// <summary>The share of 429s in this window and the one before (0 before any answer).</summary>
        public double RecentShare => RecentAnswers > 0 ? (double)RecentThrottled / RecentAnswers : 0;

        /// <summary>Answers in this window.</summary>
        public int Answers => _answers;

        /// <summary>The share of 429s in this window.</summary>
        public double Share => _answers > 0 ? (double)_throttled / _answers : 0;

        /// <summary>Counts an answer; true when the window is due to close (<see cref="Roll"/>).</summary>
        public bool Add(TimeSpan now, bool throttled)
        {
            _answers++;
            if (throttled)
            {
                _throttled++;
            }

            return now - _start >= RateController.Window && _answers >= RateController.MinSample;
        }

        /// <summary>Closes this window: it becomes the one before.</summary>
        public void Roll(TimeSpan now)
        {
            _previousAnswers = _answers;
            _previousThrottled = _throttled;
            _answers = _throttled = 0;
            _start = now;
        }
    }
}
