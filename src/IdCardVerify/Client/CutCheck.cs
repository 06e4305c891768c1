using System;

namespace IdCardVerify.Client
{
    /// <summary>
    /// The check that follows a cut: an experiment. While it is open the controller lets the rate regrow to no
    /// more than <see cref="RateController.Hold"/> of the limit shown, so the answers to the requests sent after the
    /// cut say what a lower rate did: under a limit, the 429s stop; noise (a gateway refusing a share of whatever
    /// is sent) keeps about the share it had. The check is over the requests sent in one stretch after the cut, and
    /// its verdict waits for their answers: noise, or congestion.
    /// </summary>
    internal sealed class CutCheck
    {
        /// <summary>Past this after its last request was sent, a check is judged on the answers it has (the rest failed or were given up).</summary>
        public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(5);

        /// <summary>The stretch of sends a check is over lasts no longer than this, however few were sent (a run squeezed to a trickle).</summary>
        public static readonly TimeSpan LongestStretch = TimeSpan.FromSeconds(5);

        private TimeSpan _from;
        private TimeSpan? _until;
        private long _takenAtBegin;
        private long _sent;
        private double _shareBefore;
        private int _answersBefore;
        private int _answers;
        private int _throttled;
        private int _lost;

        // Answers (and 429s) since the last verdict: a steady rate's share, over longer than the recent windows.
        private int _steadyAnswers;
        private int _steadyThrottled;

        /// <summary>True from a cut until its verdict: the rate is held under the limit shown meanwhile (for a while).</summary>
        public bool IsOpen { get; private set; }

        /// <summary>
        /// Whether the last verdict told anything of noise: not when it came early because the check had too few
        /// answers before the cut to compare with (nor, then, does it refute an earlier check that found noise).
        /// </summary>
        public bool Told { get; private set; }

        /// <summary>The share of 429s over the check (the noise, when the verdict is noise).</summary>
        public double Share => _answers > 0 ? (double)_throttled / _answers : 0;

        /// <summary>
        /// The share of 429s a check opened now should compare with: over the answers since the last verdict when they
        /// are more than the <paramref name="recentAnswers"/> of the recent windows (at <paramref name="recentShare"/>).
        /// </summary>
        public (int Answers, double Share) Before(int recentAnswers, double recentShare) =>
            _steadyAnswers > recentAnswers ? (_steadyAnswers, (double)_steadyThrottled / _steadyAnswers) : (recentAnswers, recentShare);

        /// <summary>
        /// Opens a check at a cut made at <paramref name="at"/>: <paramref name="shareBefore"/> of
        /// <paramref name="answersBefore"/> recent answers were 429s; <paramref name="taken"/> send slots had been taken.
        /// </summary>
        public void Begin(TimeSpan at, double shareBefore, int answersBefore, long taken)
        {
            IsOpen = true;
            _from = at;
            _until = null;
            _takenAtBegin = taken;
            _shareBefore = shareBefore;
            _answersBefore = answersBefore;
            _answers = _throttled = _lost = 0;
        }

        /// <summary>
        /// Counts an answer to a request sent at <paramref name="sentAt"/> (<paramref name="taken"/> send slots have
        /// been taken so far); once the check has its answers, closes it and returns the verdict (true: noise), else null.
        /// </summary>
        public bool? Add(TimeSpan now, TimeSpan sentAt, bool throttled, long taken)
        {
            if (!IsOpen)
            {
                _steadyAnswers++;
                _steadyThrottled += throttled ? 1 : 0;
                return null;
            }

            // The check is over the requests sent in one stretch after the cut, judged once their answers are in: a
            // 429 comes back at once, an answer one latency later, so counting answers as they come would count the
            // 429s of a later stretch of sends than the answers (at 1 s latency, twice the share). The stretch ends
            // when it holds as many requests as a check needs and has lasted a window.
            if (!_until.HasValue && ((taken - _takenAtBegin >= 2 * RateController.MinSample && now - _from >= RateController.Window) || now - _from >= LongestStretch))
            {
                _until = now;
                _sent = taken - _takenAtBegin;
            }

            if (sentAt >= _from && (!_until.HasValue || sentAt <= _until.Value))
            {
                _answers++;
                if (throttled)
                {
                    _throttled++;
                }
            }

            // Early verdicts: a share of 429s noise never reaches (congestion the cut did not clear; 429s come first,
            // so this errs on the side of the cut); or none refused in more answers than the share before the cut
            // makes likely (under 5%: the cut cleared a limit); or, after as many answers as a window holds, too few
            // answers before the cut to compare with (the first seconds of a run: it cannot be told to be noise, and
            // the next cut will have a share to compare with). Twenty answers with none refused is not a verdict on
            // its own: noise at 10% leaves that many unrefused one time in eight.
            var clearlyCongested = _answers >= RateController.MinSample / 2 && _throttled > RateController.NoiseCeiling * _answers;
            var cleared = _throttled == 0 && _answers >= RateController.MinSample / 2 && Math.Pow(1 - _shareBefore, _answers) < 0.05;
            var settled = cleared || (_answers >= RateController.MinSample && _answersBefore < RateController.MinSample);

            // Otherwise: every request of the stretch answered (but the one or two whose send time was noted just
            // after it ended), or the rest failed to come.
            var complete = _until.HasValue && (_answers + _lost >= _sent - 2 || now - _until.Value > LongestWait);
            if (!clearlyCongested && !settled && !complete)
            {
                return null;
            }

            IsOpen = false;
            _steadyAnswers = _steadyThrottled = 0;
            Told = clearlyCongested || cleared || _answersBefore >= RateController.MinSample;
            return !clearlyCongested && !settled && IsNoise();
        }

        /// <summary>A request sent at <paramref name="sentAt"/> got no answer (it failed to connect, timed out): the check waits for it no longer.</summary>
        public void Lost(TimeSpan sentAt)
        {
            if (IsOpen && sentAt >= _from && (!_until.HasValue || sentAt <= _until.Value))
            {
                _lost++;
            }
        }

        private bool IsNoise()
        {
            // Noise keeps about the share it had at a rate 0.7 times lower; under a stationary limit with at most
            // NoiseCeiling refused, such a cut clears it. So the share may not have fallen by half, and the two must
            // pass a two-proportion test (the difference within twice its standard error, plus 2 points). A limit that
            // shrinks while the rate is held (a colleague's run ramping up beside this one) can pass this too: the
            // noise is learned only when two checks in a row find it (NoiseLevel.Suspect).
            var share = Share;
            var pooled = ((share * _answers) + (_shareBefore * _answersBefore)) / (_answers + _answersBefore);
            var error = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / _answers) + (1.0 / _answersBefore)));
            var sameShare = Math.Abs(share - _shareBefore) <= (2 * error) + 0.02;
            return _throttled >= 3 && share >= 0.04 && share <= RateController.NoiseCeiling && _shareBefore <= RateController.NoiseCeiling
                && sameShare && share >= _shareBefore / 2;
        }
    }
}
