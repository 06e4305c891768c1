using System;

namespace IdCardVerify.Pacing
{
    /// <summary>The controller's cuts: one per congestion event, undone when the 429s turn out to be noise; and the rate in force at a time.</summary>
    internal sealed partial class RateController
    {
        /// <summary>
        /// One congestion event: cut to Beta times the limit the API has shown, and check afterwards that the cut
        /// helped. <paramref name="sentRate"/> is the rate the refused request was sent under.
        /// </summary>
        private void Cut(TimeSpan now, double sentRate)
        {
            var answers = _windows.RecentAnswers;
            var shareBefore = _windows.RecentShare;
            _undo = (_cut, _maxRate, _cutAt, _k, _top);

            // The limit shown: the rate the refused request was sent under (with no ceiling, what was being
            // sent), times the share the API accepted of late (a limit is a hard line: the plateau goes at least
            // a little under the rate that drew the 429).
            if (double.IsInfinity(sentRate))
            {
                sentRate = _slots.SentRate(now);
            }

            _rateBeforeCut = RateAt(now);
            if (double.IsInfinity(_rateBeforeCut))
            {
                _rateBeforeCut = sentRate;
            }

            // Too few answers yet to tell a share (the first seconds of a run): judge by the rate alone. The 429s
            // beyond the noise are the ones the limit drew.
            var excess = Math.Max(0, shareBefore - _noise.Share);
            var many = answers >= MinSample / 2 && excess >= ManyRefused;
            var limit = sentRate * (many ? Math.Min(Margin, 1 - excess) : Margin);
            // Over a few seconds: answers come back jittered, and a limit read low would be held for a long time.
            // (What the noise refused, the limit would have accepted.)
            var accepted = _noise.Gross(_acceptedLonger.Rate(now));
            var atCeiling = sentRate >= Margin * _ceiling && !many;
            if (accepted > 0 && accepted < limit && many)
            {
                // Many refused: the API accepts clearly less than was sent (a slow start that overshot a small
                // plan); what it accepted of late is the limit. With few refused, the rate that drew the 429 is the
                // better reading: the meter lags a ramp and wavers with jittered answers.
                limit = accepted;
            }

            limit = Math.Max(FloorRate, Math.Min(limit, _ceiling));
            if (atCeiling)
            {
                // Refused at the ceiling itself: the ceiling is a hair over what this API allows (a window that
                // counts a little differently, clocks that drift). Probe no higher than a little under it.
                _top = Margin * _ceiling;
            }

            // A probe that met the limit already found (few refused, within 5% of it): the same hard line, a shallow
            // cut. Found clearly lower: CUBIC's fast convergence, a competitor came; leave it room.
            // With runs on the token in other processes, the plateau is this run's fair share of what they show together.
            var share = _peers.Count > 0 ? Math.Min(_top, PeerShares.FairShare(limit, _ceiling, _peers)) : limit;
            _steady = _cut && !many && share >= 0.95 * _maxRate && share <= 1.05 * _maxRate;
            _maxRate = _peers.Count > 0 ? share : _cut && limit < 0.9 * _maxRate ? limit * (1 + Beta) / 2 : limit;
            var rate = Math.Max(FloorRate, (_steady ? SteadyBeta : Beta) * Math.Min(limit, share));
            _k = CubicCurve.TimeToRegain(_maxRate, rate);
            _cut = true;
            _cutAt = now;
            _holdRate = Math.Max(rate, Hold * limit);
            _check.Begin(now, shareBefore, answers);
        }

        /// <summary>
        /// The check found noise: the 429s did not fall at the lower rate, so they are not about rate. Undo the cut
        /// (the rate goes on from where it was, probing gently), and learn the noise.
        /// </summary>
        private void UndoCut(TimeSpan now, double share)
        {
            (_cut, _maxRate, _cutAt, _k, _top) = _undo;
            _steady = false;
            if (_cut)
            {
                // Back to the rate before the cut, from where it goes on probing. (An undone first cut goes back to
                // the slow start; with no ceiling, that is unlimited again.)
                _maxRate = _rateBeforeCut;
                _cutAt = now;
                _k = 0;
            }

            _noise.Learn(share);
        }

        private double RateAt(TimeSpan time) => RateAt(time, time);

        /// <summary>The rate at <paramref name="time"/>; what the API accepts is read as of <paramref name="now"/>.</summary>
        private double RateAt(TimeSpan time, TimeSpan now)
        {
            if (!_cut)
            {
                var startedAt = _slots.StartedAt;
                return double.IsPositiveInfinity(_ceiling) || !startedAt.HasValue ? _ceiling : SlowStart.RateAt(_ceiling, startedAt.Value, time, _accepted.Rate(now));
            }

            var rate = CubicCurve.At(_maxRate, _k, (time - _cutAt).TotalSeconds, _steady);
            if (rate > _maxRate)
            {
                // Probing beyond the limit found: at most ProbeGain over what the API is seen to accept, so the
                // probe climbs one latency at a time and overshoots by little however slow the answers are.
                rate = Math.Min(rate, Math.Max(_maxRate, (ProbeGain * _noise.Gross(_accepted.Rate(now))) + ProbeStep));
            }

            if (_check.IsOpen && time >= _cutAt)
            {
                // Until the check says what the cut did, the curve regrows only to Hold times the limit shown: low
                // enough to clear a limit, so that 429s that go on at the same share are noise. (Then on along the
                // curve, as if never held.)
                rate = Math.Min(rate, _holdRate);
            }

            return Math.Min(_top, Math.Max(FloorRate, rate));
        }
    }
}
