using System;

namespace IdCardVerify.Pacing
{
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
