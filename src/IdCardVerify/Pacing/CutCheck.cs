using System;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// The check that follows a cut, an experiment: the rate is held under the limit shown (<see cref="RateCurve.Hold"/>),
    /// and the answers to requests sent after the cut say what a lower rate did: under a limit the 429s stop; noise (a
    /// gateway refusing a share of whatever is sent) keeps about its share. Then the verdict: noise, or congestion.
    /// </summary>
    internal sealed class CutCheck
    {
        /// <summary>The fewest 429s a check finds noise in (see <see cref="IsNoise"/>).</summary>
        public const int LeastThrottled = 4;

        /// <summary>Standard errors a share of 429s may grow by, for noise, with no other run in sight (with one: 1).</summary>
        public const double GrowthAlone = 1.5;

        /// <summary>The most share of 429s a check finds noise in: a limit read high in a run's first second draws a quarter.</summary>
        public const double MostNoise = 0.2;

        private TimeSpan _from;
        private bool _telling;
        private double _shareBefore;
        private int _answersBefore;
        private int _answers;
        private int _throttled;

        /// <summary>True from a cut until its verdict: the rate is held under the limit shown meanwhile.</summary>
        public bool IsOpen { get; private set; }

        /// <summary>The share of 429s over the check (the noise, when the verdict is noise).</summary>
        public double Share => _answers > 0 ? (double)_throttled / _answers : 0;

        /// <summary>
        /// Opens a check at a cut made at <paramref name="at"/>: <paramref name="shareBefore"/> of <paramref name="answersBefore"/>
        /// recent answers were 429s. <paramref name="telling"/>: held low enough to tell noise (false: only congestion).
        /// </summary>
        public void Begin(TimeSpan at, double shareBefore, int answersBefore, bool telling = true)
        {
            _telling = telling;
            IsOpen = true;
            _from = at;
            _shareBefore = shareBefore;
            _answersBefore = answersBefore;
            _answers = _throttled = 0;
        }

        /// <summary>
        /// Counts an answer to a request sent at <paramref name="sentAt"/>; once the check has its answers, closes it
        /// and returns the verdict (true: noise), else null. <paramref name="alone"/>: no other run on the token in sight.
        /// </summary>
        public bool? Add(TimeSpan now, TimeSpan sentAt, bool throttled, bool alone = true)
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

            // Early verdicts, so that the rate is not held longer than it must be: a share of 429s noise never reaches
            // (congestion the cut did not clear); or none refused in more answers than the share before (read on a
            // window's answers) makes likely, under 5% (the cut cleared a limit); or, after a window's answers, too few
            // before the cut to compare with (the first seconds of a run; the next cut will have a share to compare with).
            var clearlyCongested = _answers >= RateController.MinSample / 2 && _throttled > RateController.NoiseCeiling * _answers;
            var cleared = _throttled == 0 && _answers >= RateController.MinSample / 2 && _answersBefore >= RateController.MinSample && Math.Pow(1 - _shareBefore, _answers) < 0.05;
            var settled = cleared || (_answers >= RateController.MinSample && (_throttled == 0 || _answersBefore < RateController.MinSample / 2));
            // And no verdict yet, up to twice the answers, while the shares agree on too few 429s to call them noise
            // (three of 40 at 10% noise, four times in ten): a verdict of congestion on them cut again on the next
            // 429, deeper each time (issue 34). Not with other runs in sight: their checks would keep each other open.
            var inconclusive = _telling && alone && _shareBefore >= 0.04 && _throttled > 0 && _throttled < LeastThrottled && _answers < 4 * RateController.MinSample && SharesAgree(alone);
            if (!clearlyCongested && !settled && (_answers < 2 * RateController.MinSample || now - _from < RateController.Window || inconclusive))
            {
                return null;
            }

            IsOpen = false;
            return !clearlyCongested && !settled && IsNoise(alone);
        }

        // Noise keeps about the share it had at a lower rate; a cut under a stationary limit clears it. Under a limit that
        // shrinks while the rate is held (a colleague's run ramping up) the share does not fall either, but grows: so it may
        // grow by no more than 3 points or one standard error (1.5 alone: 40 answers of 10% noise waver by 4.7 points,
        // issue 34), and the two must pass a two-proportion test (within twice its standard error). Four 429s, not three:
        // two runs on one token that each cut and regrow keep a few 429s coming to each other's checks.
        private bool IsNoise(bool alone) => _telling && _throttled >= LeastThrottled && Share >= 0.04 && SharesAgree(alone);

        private bool SharesAgree(bool alone)
        {
            var share = Share;
            var pooled = ((share * _answers) + (_shareBefore * _answersBefore)) / (_answers + _answersBefore);
            var error = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / _answers) + (1.0 / _answersBefore)));
            return share <= MostNoise && _shareBefore <= RateController.NoiseCeiling
                && Math.Abs(share - _shareBefore) <= (2 * error) + 0.02 && share <= _shareBefore + Math.Max(0.03, (alone ? GrowthAlone : 1) * error);
        }
    }
}
