using System;

namespace IdCardVerify.Pacing
{
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
}
