using System;
using System.Collections.Generic;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// The rate curve a <see cref="RateController"/> holds the run to: the slow start until the first cut, then CUBIC's
    /// curve from each cut (one per congestion event, to a fraction of the limit shown; undone when its check finds
    /// noise), held while a cut's check is open, probing beyond the limit found no faster than answers confirm. The
    /// controller decides when to cut; this decides to what, and what the rate is at any time. Under the controller's lock.
    /// </summary>
    internal sealed class RateCurve
    {
        /// <summary>The multiplicative decrease (CUBIC's and the AWS SDKs' beta).</summary>
        public const double Beta = 0.7;

        /// <summary>
        /// The decrease when a probe meets the limit already found (within 5%): a hard line, which clears as soon as
        /// the rate is under it (a router's queue needs 0.7 to drain). A limit that moved is cut by <see cref="Beta"/>.
        /// </summary>
        public const double SteadyBeta = 0.85;

        /// <summary>A share of 429s over this among recent answers: the API accepts clearly less than is sent.</summary>
        public const double ManyRefused = 0.1;

        /// <summary>A probe beyond the limit found goes at most this far over the accepted rate (times, plus <see cref="ProbeStep"/>).</summary>
        public const double ProbeGain = 1.2;

        /// <summary>Requests per second a probe may add to what is accepted, so that a run squeezed to a trickle grows back.</summary>
        public const double ProbeStep = 1;

        /// <summary>The plateau sits this far under a rate that drew a 429.</summary>
        public const double Margin = 0.95;

        /// <summary>While a cut's check is open, the rate regrows to at most this share of the limit shown.</summary>
        public const double Hold = 0.9;

        /// <summary>The rate is never cut below this (requests per second).</summary>
        public const double FloorRate = 0.5;

        private readonly double _ceiling;
        private readonly SlotQueue _slots;
        private readonly CutCheck _check;
        private readonly NoiseLevel _noise;

        // The CUBIC curve: Wmax, the time of the last cut and K. No cut yet: the rate is the ceiling.
        private double _holdRate;
        private double _k;

        // The slow start resumed here after noise was learned (null: it runs from the first send).
        private (TimeSpan At, double From)? _resumed;

        // The last cut was a shallow one (the limit met again): the probe beyond it is stretched.
        private bool _steady;

        // How to undo the last cut, when its check finds noise.
        private double _rateBeforeCut;
        private (bool Cut, double MaxRate, TimeSpan CutAt, double K, double Top) _undo;

        public RateCurve(double ceiling, SlotQueue slots, CutCheck check, NoiseLevel noise)
        {
            _ceiling = Top = ceiling;
            _slots = slots;
            _check = check;
            _noise = noise;
        }

        /// <summary>True once the API has shown a limit (the slow start is over).</summary>
        public bool IsCut { get; private set; }

        /// <summary>CUBIC's Wmax: the limit found.</summary>
        public double MaxRate { get; private set; }

        public TimeSpan CutAt { get; private set; }

        /// <summary>The highest rate probes may reach: the ceiling, or 95% of it once the ceiling itself drew a 429.</summary>
        public double Top { get; private set; }

        /// <summary>The limit the API has shown, or the ceiling when none has been met.</summary>
        public double FoundLimit => IsCut ? Math.Min(MaxRate, _ceiling) : _ceiling;

        /// <summary>The rate at <paramref name="time"/>, with <paramref name="accepted"/> the rate the API is seen to accept now.</summary>
        public double At(TimeSpan time, double accepted)
        {
            if (!IsCut)
            {
                var startedAt = _resumed?.At ?? _slots.StartedAt;
                return double.IsPositiveInfinity(_ceiling) || !startedAt.HasValue ? _ceiling : SlowStart.RateAt(_ceiling, startedAt.Value, time, accepted, _resumed?.From);
            }

            var rate = CubicCurve.At(MaxRate, _k, (time - CutAt).TotalSeconds, _steady);
            if (rate > MaxRate)
            {
                // Probing beyond the limit found: at most ProbeGain over what the API is seen to accept, so the
                // probe climbs one latency at a time and overshoots by little however slow the answers are.
                rate = Math.Min(rate, Math.Max(MaxRate, (ProbeGain * _noise.Gross(accepted)) + ProbeStep));
            }

            if (_check.IsOpen && time >= CutAt)
            {
                // Until the check says what the cut did, the curve regrows only to the hold, low enough to clear a
                // limit (then on along the curve, as if never held).
                rate = Math.Min(rate, _holdRate);
            }

            return Math.Min(Top, Math.Max(FloorRate, rate));
        }

        /// <summary>
        /// One congestion event: cut to Beta times the limit the API has shown, and check that the cut helped.
        /// <paramref name="sentRate"/>: the rate the refused request was sent under; <paramref name="answers"/>,
        /// <paramref name="shareBefore"/>: recent answers, their share of 429s; <paramref name="acceptedLonger"/>: what the
        /// API accepted over the last seconds (noise included).
        /// </summary>
        public void Cut(TimeSpan now, double sentRate, double rateNow, int answers, double shareBefore, double acceptedLonger, IReadOnlyList<PeerState> peers)
        {
            _undo = (IsCut, MaxRate, CutAt, _k, Top);

            // The limit shown: just under the rate the refused request was sent under (with no ceiling, what was being sent).
            if (double.IsInfinity(sentRate))
            {
                sentRate = _slots.SentRate(now);
            }

            _rateBeforeCut = double.IsInfinity(rateNow) ? sentRate : rateNow;

            // Many refused (429s beyond the noise) past the slow start (whose reading already leaves out what was refused): the API accepts
            // clearly less than was sent, and what it accepted over the last seconds (answers come back jittered) is the
            // limit. With few, the rate that drew the 429 is the better reading: the meter lags and wavers.
            var excess = Math.Max(0, shareBefore - _noise.Share);
            var many = IsCut && answers >= RateController.MinSample / 2 && excess >= ManyRefused;
            var limit = sentRate * (many ? Math.Min(Margin, 1 - excess) : Margin);
            var atCeiling = sentRate >= Margin * _ceiling && !many;
            if (acceptedLonger > 0 && acceptedLonger < limit && many)
            {
                limit = acceptedLonger;
            }

            limit = Math.Max(FloorRate, Math.Min(limit, _ceiling));
            if (atCeiling)
            {
                // Refused at the ceiling itself: the ceiling is a hair over what this API allows (a window that
                // counts a little differently, clocks that drift). Probe no higher than a little under it.
                Top = Margin * _ceiling;
            }

            // A probe that met the limit already found (few refused, within 5% of it): the same hard line, a shallow
            // cut. Found clearly lower: CUBIC's fast convergence, a competitor came; leave it room.
            // With runs on the token in other processes, the plateau is this run's fair share of what they show together.
            var share = peers.Count > 0 ? Math.Min(Top, PeerShares.FairShare(limit, _ceiling, peers)) : limit;
            _steady = IsCut && !many && share >= 0.95 * MaxRate && share <= 1.05 * MaxRate;
            MaxRate = peers.Count > 0 ? share : IsCut && limit < 0.9 * MaxRate ? limit * (1 + Beta) / 2 : limit;
            var rate = Math.Max(FloorRate, (_steady ? SteadyBeta : Beta) * Math.Min(limit, share));
            _k = CubicCurve.TimeToRegain(MaxRate, rate);
            IsCut = true;
            CutAt = now;
            // The check is an experiment only if it holds the rate under the limit: under Hold times the limit read and,
            // past the slow start, Hold times what was accepted. Held over a limit read high (a probe's overshoot), 429s
            // go on at a low share, noise's mark: a check held no lower than what is accepted cannot find noise.
            var accepted = _undo.Cut && acceptedLonger > 0 ? Hold * acceptedLonger : double.MaxValue;
            _holdRate = Math.Max(rate, Math.Min(Hold * limit, accepted));
            _check.Begin(now, shareBefore, answers, telling: _holdRate <= accepted);
        }

        /// <summary>
        /// The check found noise (the 429s did not fall with the rate): learn it, and undo every cut made on it, back to
        /// the slow start (after earlier cuts, from the rate before this one, as if the doubling had got there).
        /// </summary>
        public void Undo(TimeSpan now, double share)
        {
            (_, MaxRate, CutAt, _k, Top) = _undo;
            (IsCut, _steady) = (false, false);
            if (_undo.Cut)
            {
                _resumed = (now, Math.Min(_ceiling, _rateBeforeCut));
            }

            _noise.Learn(share);
        }

        /// <summary>A window with no more 429s than the noise accepted <paramref name="confirmed"/>: the limit found rises to it (never over the top).</summary>
        public void Confirm(double confirmed)
        {
            if (confirmed > MaxRate / Margin)
            {
                MaxRate = Math.Min(confirmed, Top);
            }
        }

        /// <summary>Runs on the token that ended left <paramref name="freed"/>: the curve goes on from the new plateau, this run's own plus that room.</summary>
        public void Regain(TimeSpan now, double rateNow, double freed)
        {
            var raised = Math.Min(Top, Math.Max(MaxRate, rateNow) + freed);
            if (raised > MaxRate)
            {
                (MaxRate, CutAt, _k, _steady) = (raised, now, 0, false);
            }
        }
    }
}
