using System;
using System.Collections.Generic;
using IdCardVerify.Files;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// Finds the rate the API really accepts for a token and holds the run just under it. No rate-limit headers are
    /// documented, so the only signal is the 429. The design follows the AWS SDKs' adaptive retry mode (a CUBIC curve,
    /// RFC 8312, over a token bucket; C = 0.4, beta = 0.7), changed where that mode collapses under this API's conditions:
    /// <list type="number">
    /// <item><b>One decrease per congestion event.</b> A 429 counts only when its request was sent after the last cut:
    /// the 429s of requests already on the wire are the same event (as TCP cuts once per window, RFC 5681/6582).</item>
    /// <item><b>A cut to a fraction of the limit shown.</b> <see cref="RateCurve.Beta"/> times the limit the API has shown:
    /// with few recent answers refused, just under the rate that drew the 429 (<see cref="RateCurve.Margin"/>); with many
    /// (<see cref="RateCurve.ManyRefused"/>), what the API accepted; <see cref="RateCurve.SteadyBeta"/> when a probe met the
    /// limit already found (a hard line clears once the rate is under it). The CUBIC curve then regains it in K seconds,
    /// plateaus and probes beyond, shaped alike at 10/s and 60/s (<see cref="CubicCurve"/>); its fast convergence lowers
    /// Wmax when the limit shrinks (a colleague's run began), so two clients on one token each settle on a share.</item>
    /// <item><b>Probes no faster than answers confirm.</b> Beyond Wmax, at most <see cref="RateCurve.ProbeGain"/> times what
    /// the API is seen to accept (plus <see cref="RateCurve.ProbeStep"/>), as the AWS SDKs cap a new rate at twice the
    /// measured one. A 429 refused at the ceiling itself keeps later probes at 95% of it.</item>
    /// <item><b>Noise is not congestion.</b> Each cut is an experiment (<see cref="CutCheck"/>; as Google SRE's client-side
    /// throttling, rejections judged as a share): the rate is held under the limit shown and what was accepted until a
    /// few dozen answers have come. A limit's 429s stop; a share that stayed is a gateway's noise: it is learned, every
    /// cut made on it undone (the slow start resumes), and from then on a window is congested only well over it.</item>
    /// <item><b>Runs on the token in other processes take fair shares</b> (budgets of another ceiling in this one too), as
    /// TCP connections to one host share congestion state (RFC 3124, RFC 9040): through a file each in the user's temp
    /// folder (<see cref="PeerBoard"/>), a cut's plateau is this run's fair share of what the runs show together, and a
    /// run's room is taken at once when it ends (<see cref="PeerShares"/>).</item>
    /// </list>
    /// A run begins with TCP's slow start (<see cref="SlowStart"/>). Slots are handed out in turn as they fall due, so a
    /// cut acts on the very next request. A refused request's retry waits out its Retry-After; a long one at a congestion
    /// event holds every sender of the budget. The rate never goes over the ceiling (-RequestsPerSecond); with none it
    /// is unlimited until the first 429.
    /// </summary>
    internal sealed class RateController
    {
        /// <summary>A Retry-After longer than this holds every sender of the budget (at a congestion event).</summary>
        public static readonly TimeSpan LongPause = TimeSpan.FromSeconds(1);

        /// <summary>A window of answers is judged when it has lasted this long and holds <see cref="MinSample"/> answers.</summary>
        public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

        /// <summary>The fewest answers a window is judged on; a check after a cut waits for twice as many.</summary>
        public const int MinSample = 20;

        /// <summary>A share of 429s above this is congestion, never noise.</summary>
        public const double NoiseCeiling = 0.35;

        private readonly object _gate = new object();
        private readonly TimeProvider _time;
        private readonly double _ceiling;
        private readonly RecentRate _accepted = new RecentRate(TimeSpan.FromSeconds(1));
        private readonly RecentRate _acceptedLonger = new RecentRate(TimeSpan.FromSeconds(2));
        private readonly RecentRate _refused = new RecentRate(TimeSpan.FromSeconds(3));
        private readonly SlotQueue _slots;
        private readonly CutCheck _check = new CutCheck();
        private readonly NoiseLevel _noise = new NoiseLevel();
        private readonly AnswerWindows _windows;
        private readonly RateCurve _curve;
        private readonly PeerRoom _peers = new PeerRoom();

        /// <param name="time">The clock every reading and wait goes by (<see cref="Clock.System"/> unless a test fakes it).</param>
        public RateController(double ceiling, TimeProvider? time = null)
        {
            _ceiling = ceiling > 0 ? ceiling : double.PositiveInfinity;
            _time = time ?? Clock.System;
            _windows = new AnswerWindows(_time.Now());
            _slots = new SlotQueue(_gate, _time, RateAt, _ceiling);
            _curve = new RateCurve(_ceiling, _slots, _check, _noise);
        }

        /// <summary>Now, on the controller's clock: a sender notes when its request went out.</summary>
        public TimeSpan Now => _time.Now();

        public double Ceiling => _ceiling;

        /// <summary>The rate in force now (requests per second; infinity when unlimited).</summary>
        public double CurrentRate => Locked(() => RateAt(_time.Now()));

        /// <summary>The limit the API has shown (the accepted rate at the last congestion event), or the ceiling when none has been met.</summary>
        public double FoundLimit => Locked(() => _curve.FoundLimit);

        /// <summary>The share of 429s learned as noise (0 when there is none).</summary>
        public double Noise => Locked(() => _noise.Share);

        /// <summary>What a fault on a background thread turned off for this budget (the send queue's pacing, the peer board); null while nothing was.</summary>
        public string? FaultReason => Locked(() => _slots.Fault is string paced ? (_peers.Off == null ? paced : paced + " " + _peers.Off) : _peers.Off);

        /// <summary>Runs on this token in other processes now.</summary>
        public int Peers => Locked(() => _peers.Now.Count);

        /// <summary>The most runs on this token seen at once in other processes.</summary>
        public int MostPeers => Locked(() => _peers.Most);

        /// <summary>The board faulted: this budget goes on alone, sharing with other processes by the 429s only.</summary>
        public void BoardOff(Exception fault)
        {
            try
            {
                lock (_gate)
                {
                    _peers.TurnOff(fault);
                }
            }
            catch (Exception)
            {
                // Called from a fenced timer callback: nothing more may escape it.
            }
        }

        /// <summary>What this budget shows the other runs on its token: what the API accepts from it, its rate, its ceiling.</summary>
        public PeerState Publish(string id) => Locked(() => new PeerState(id, _noise.Gross(_acceptedLonger.Rate(_time.Now())), RateAt(_time.Now()), _ceiling));

        /// <summary>
        /// The runs now on this token in other processes. A cut gives this run its fair share of the limit they show
        /// together (<see cref="PeerShares"/>); when one of them ends, this run takes the room it leaves at once (while a
        /// cut's check is open, the room waits for it to close; before the first cut, the slow start takes it by itself).
        /// </summary>
        public void OnPeers(IReadOnlyList<PeerState> peers)
        {
            lock (_gate)
            {
                _peers.Update(peers);
                if (!_curve.IsCut)
                {
                    _peers.TakeFreed();
                }
                else if (!_check.IsOpen && _peers.TakeFreed() is var freed && freed > 0)
                {
                    var now = _time.Now();
                    _curve.Regain(now, RateAt(now), freed);
                }
            }
        }

        /// <summary>Takes the send slot when it is due and returns zero; otherwise takes nothing and returns how long until it is due.</summary>
        public TimeSpan Reserve() => _slots.Reserve();

        /// <summary>Waits for a send slot, first come first served; cancellable.</summary>
        public Task WaitAsync(CancellationToken cancellation) => _slots.WaitAsync(cancellation);

        /// <summary>The API answered a request sent at <paramref name="sentAt"/> with anything but a 429.</summary>
        public void OnAnswered(TimeSpan sentAt)
        {
            lock (_gate)
            {
                var now = _time.Now();
                _accepted.Add(now);
                _acceptedLonger.Add(now);
                Count(now, sentAt, throttled: false);
            }
        }

        /// <summary>
        /// A request sent at <paramref name="sentAt"/> was answered 429. Its own retry waits out any Retry-After
        /// (the retry policy's part); the whole budget is held for one only when it asks for a real pause (longer
        /// than <see cref="LongPause"/>: a quota, an overloaded API) and the 429 is congestion, not the noise or
        /// the tail of an event already met: a short one is a pace, which the cut already slows to. Returns true when the
        /// 429 is taken for noise (a share of refusals learned not to fall with the rate): no limit, so the request's
        /// retry should not count against -MaxRetries.
        /// </summary>
        public bool OnThrottled(TimeSpan sentAt, TimeSpan? retryAfter)
        {
            lock (_gate)
            {
                var now = _time.Now();
                var refusedBefore = _refused.InSecondTo(sentAt, now);
                _refused.Add(sentAt);
                Count(now, sentAt, throttled: true);
                if (_noise.Known && !_check.IsOpen)
                {
                    return true;
                }

                var sameEvent = _curve.IsCut && sentAt < _curve.CutAt;
                var pause = retryAfter.HasValue && retryAfter.Value > LongPause;
                // Alone, the slow start goes on through 429s noise could draw up to the ceiling (a limit it passed soon
                // draws more), where a check takes a second (issue 34). One 429 among a handful is no share yet.
                var tooSoon = !_curve.IsCut && !pause && ((_windows.RecentAnswers < MinSample / 2 && _windows.RecentThrottled < 3)
                    || (Alone && RateAt(now) < _ceiling && SlowStart.LikeNoise(_windows.RecentThrottled, _windows.RecentAnswers)));

                if (!sameEvent && !tooSoon && !_check.IsOpen && !_noise.Known)
                {
                    // No noise learned: a 429 to a request sent at the rate in force is congestion, now.
                    var sentRate = RateAt(sentAt, now);
                    // In the slow start, the limit is what the second before the refused request carried, less what of it was refused.
                    Cut(now, _curve.IsCut ? sentRate : SlowStart.RefusedAt(sentRate, sentAt, _slots.StartedAt, _slots.SentInSecondTo(sentAt) - refusedBefore));
                    if (pause)
                    {
                        _slots.PauseUntil(now + retryAfter!.Value);
                    }
                }

                return false;
            }
        }

        // No other run on the token in sight: 429s are this run's own to judge (not a colleague's ramp).
        private bool Alone => _peers.Now.Count == 0;

        private void Count(TimeSpan now, TimeSpan sentAt, bool throttled)
        {
            var windowDue = _windows.Add(now, throttled);
            if (_check.Add(now, sentAt, throttled, Alone) == true)
            {
                _curve.Undo(now, _check.Share);
            }

            if (windowDue)
            {
                CloseWindow(now);
            }
        }

        private void CloseWindow(TimeSpan now)
        {
            var share = _windows.Share;
            var congested = false;
            if (!_check.IsOpen && _noise.Known)
            {
                // With noise learned, a window is congested when it holds more 429s than the noise explains.
                congested = _noise.Exceeded(share, _windows.Answers, NoiseCeiling);
                if (congested)
                {
                    Cut(now, RateAt(now));
                }
                else
                {
                    _noise.Follow(share);
                }
            }

            if (_curve.IsCut && !congested && !_check.IsOpen && _noise.Covers(share))
            {
                // A window with no more 429s than the noise: the API accepts at least what it accepted over it, and the
                // limit found rises to just under that (as a plateau is), so that a lull in the run's own demand, which
                // empties the meter probes are capped by, does not send the rate back to a limit met long ago. Only
                // for clearly more than the limit found: bunched answers read a little over a limit now and then.
                _curve.Confirm(RateCurve.Margin * _noise.Gross(_accepted.Rate(now)));
            }

            _windows.Roll(now);
        }

        private T Locked<T>(Func<T> read)
        {
            lock (_gate)
            {
                return read();
            }
        }

        private void Cut(TimeSpan now, double sentRate) =>
            _curve.Cut(now, sentRate, RateAt(now), _windows.RecentAnswers, _windows.RecentShare, _noise.Gross(_acceptedLonger.Rate(now)), _peers.Now);

        private double RateAt(TimeSpan time) => RateAt(time, time);

        /// <summary>The rate at <paramref name="time"/>; what the API accepts is read as of <paramref name="now"/>.</summary>
        private double RateAt(TimeSpan time, TimeSpan now) => _curve.At(time, _accepted.Rate(now));
    }
}
