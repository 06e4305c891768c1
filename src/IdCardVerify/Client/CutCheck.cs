using System;

namespace IdCardVerify.Client
{
    /// <summary>
    /// The check that follows a cut: the answers to requests sent after it, and, when enough have come, whether
    /// the 429s were noise (they did not fall at the lower rate) rather than congestion.
    /// </summary>
    internal sealed class CutCheck
    {
        private TimeSpan _from;
        private double _shareBefore;
        private int _answersBefore;
        private double _acceptedBefore;
        private int _answers;
        private int _throttled;

        /// <summary>True from a cut until its verdict.</summary>
        public bool IsOpen { get; private set; }

        /// <summary>The share of 429s over the check (the noise, when the verdict is noise).</summary>
        public double Share => _answers > 0 ? (double)_throttled / _answers : 0;

        /// <summary>
        /// Opens a check at a cut made at <paramref name="at"/>: <paramref name="shareBefore"/> of
        /// <paramref name="answersBefore"/> recent answers were 429s, and the API accepted <paramref name="acceptedBefore"/> a second.
        /// </summary>
        public void Begin(TimeSpan at, double shareBefore, int answersBefore, double acceptedBefore)
        {
            IsOpen = true;
            _from = at;
            _shareBefore = shareBefore;
            _answersBefore = answersBefore;
            _acceptedBefore = acceptedBefore;
            _answers = _throttled = 0;
        }

        /// <summary>
        /// Counts an answer to a request sent at <paramref name="sentAt"/>; once the check has its answers, closes it
        /// and returns the verdict (true: noise), else null.
        /// </summary>
        public bool? Add(TimeSpan now, TimeSpan sentAt, bool throttled)
        {
            if (!IsOpen || sentAt < _from)
            {
                return null;
            }

            _answers++;
            if (throttled)
            {
                _throttled++;
            }

            var clearlyCongested = _answers >= RateController.MinSample / 2 && _throttled > RateController.NoiseCeiling * _answers;
            if (!clearlyCongested && (_answers < 2 * RateController.MinSample || now - _from < RateController.Window))
            {
                return null;
            }

            IsOpen = false;
            return !clearlyCongested && IsNoise(now);
        }

        private bool IsNoise(TimeSpan now)
        {
            var share = Share;
            // Noise stays at about the share it had; a cut that was not deep enough shows more 429s, not as many.
            // And what the API accepted fell with what was sent (noise takes a share of whatever is sent); under a
            // limit that the cut did not clear, it accepts as much as before whatever is sent.
            var acceptedSince = (_answers - _throttled) / Math.Max(0.001, (now - _from).TotalSeconds);
            // "About the same share" is a two-proportion test: the difference within twice its standard error
            // (the samples are a few dozen answers each), and only when there was a share to compare with.
            var before = Math.Max(1, _answersBefore);
            var pooled = ((share * _answers) + (_shareBefore * _answersBefore)) / (_answers + before);
            var error = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / _answers) + (1.0 / before)));
            var sameShare = _answersBefore >= RateController.MinSample / 2 && Math.Abs(share - _shareBefore) <= (2 * error) + 0.02;
            return _throttled >= 3 && share >= 0.04 && share <= RateController.NoiseCeiling && _shareBefore <= RateController.NoiseCeiling
                && sameShare && share >= _shareBefore / 2 && share <= (2 * _shareBefore) + 0.05
                && acceptedSince <= 0.85 * _acceptedBefore;
        }
    }
}
