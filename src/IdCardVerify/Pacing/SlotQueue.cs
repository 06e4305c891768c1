using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Files;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// The send slots of a rate budget (a token bucket of one token): a slot falls due one spacing at the rate in
    /// force after the last, and senders waiting for one are served first come first served by one timer for all
    /// of them. Nothing is reserved ahead: the spacing after a slot is the rate in force when it is taken, so a
    /// change of rate acts on the very next request. The owner's lock guards it all.
    /// <para>At a ceiling of N requests per second, no N + 1 sends ever fall within <see cref="CeilingWindow"/>
    /// (a second and a little: what leaves a few milliseconds apart may arrive the other way round): a timer that
    /// wakes late lets the queue catch up, and the sends it bunches would otherwise put N + 1 into some second of
    /// the API's, which a limit of N per second refuses. So a run may go at its ceiling without drawing 429s.</para>
    /// </summary>
    internal sealed class SlotQueue
    {
        /// <summary>The span in which no more sends than the ceiling allows in a second ever leave.</summary>
        public static readonly TimeSpan CeilingWindow = TimeSpan.FromMilliseconds(1030);

        private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(1);

        private readonly object _gate;
        private readonly TimeProvider _time;
        private readonly Func<TimeSpan, double> _rateAt;
        // Two readings of the same sends: a smoothed rate (what a cut reads when no rate was in force) and the send
        // times of the last seconds (how many a refused request's second carried).
        private readonly SmoothedRate _sentSmoothed = new SmoothedRate();
        private readonly RecentRate _sentLately = new RecentRate(TimeSpan.FromSeconds(5));
        private readonly Queue<TaskCompletionSource<bool>> _waiting = new Queue<TaskCompletionSource<bool>>();
        // When the last N sends left (N: the ceiling's requests per second; MinValue before there were N), oldest at
        // _oldest; null: no ceiling.
        private readonly TimeSpan[]? _lastSends;
        private int _oldest;
        private TimeSpan _next;
        private TimeSpan _pausedUntil;
        private bool _pumping;
        private string? _fault;

        /// <summary>
        /// Why pacing was turned off for this queue (a fault of any kind in the pump on its pool thread); null while it
        /// paces. Once faulted, every waiter is let go and slots are no longer held: the run goes on, paced by the 429s
        /// and the retry policy alone, rather than hang. Under the owner's lock.
        /// </summary>
        public string? Fault => _fault;

        /// <param name="gate">The owner's lock: held around every call here, and every call of <paramref name="rateAt"/>.</param>
        /// <param name="rateAt">The rate in force at a time (requests per second; infinity when unlimited).</param>
        /// <param name="ceiling">The most requests per second ever sent (infinity: none), never more than it in any <see cref="CeilingWindow"/>.</param>
        public SlotQueue(object gate, TimeProvider time, Func<TimeSpan, double> rateAt, double ceiling)
        {
            _gate = gate;
            _time = time;
            _rateAt = rateAt;
            _next = time.Now();
            if (ceiling >= 1 && ceiling <= 100_000)
            {
                _lastSends = new TimeSpan[(int)Math.Floor(ceiling)];
                for (var i = 0; i < _lastSends.Length; i++)
                {
                    _lastSends[i] = TimeSpan.MinValue;
                }
            }
        }

        /// <summary>When the first slot was taken (null before); under the owner's lock.</summary>
        public TimeSpan? StartedAt { get; private set; }

        /// <summary>Requests sent per second of late; under the owner's lock.</summary>
        public double SentRate(TimeSpan now) => _sentSmoothed.Rate(now);

        /// <summary>
        /// Slots taken in the second up to <paramref name="time"/>, inclusive (null when that is more than a few
        /// seconds ago); under the owner's lock.
        /// </summary>
        public int? SentInSecondTo(TimeSpan time) => _sentLately.InSecondTo(time, _time.Now());

        /// <summary>No slot falls due before <paramref name="until"/>; under the owner's lock.</summary>
        public void PauseUntil(TimeSpan until)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }

        /// <summary>
        /// Takes the send slot when it is due and returns zero; otherwise takes nothing and returns how long until
        /// it is due.
        /// </summary>
        public TimeSpan Reserve()
        {
            lock (_gate)
            {
                return TryTake();
            }
        }

        /// <summary>Waits for a send slot; cancellable.</summary>
        public Task WaitAsync(CancellationToken cancellation)
        {
            lock (_gate)
            {
                if (_fault != null || (_waiting.Count == 0 && TryTake() == TimeSpan.Zero))
                {
                    return Task.CompletedTask;
                }

                var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(waiter);
                if (cancellation.CanBeCanceled)
                {
                    var registration = cancellation.Register(() => waiter.TrySetCanceled(cancellation));
                    waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                if (!_pumping)
                {
                    _pumping = true;
                    Task.Run(PumpAsync);
                }

                return waiter.Task;
            }
        }

        // On a pool thread: a fault here must neither end the process nor leave a waiter waiting forever.
        private async Task PumpAsync()
        {
            try
            {
                await PumpSlotsAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _fault ??= Words.Format(Text.Pacing_Off, ex.GetType().Name);
                    _pumping = false;
                    while (_waiting.Count > 0)
                    {
                        _waiting.Dequeue().TrySetResult(true);
                    }
                }
            }
        }

        private async Task PumpSlotsAsync()
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    while (_waiting.Count > 0 && _waiting.Peek().Task.IsCompleted)
                    {
                        _waiting.Dequeue();   // cancelled
                    }

                    if (_waiting.Count == 0)
                    {
                        _pumping = false;
                        return;
                    }

                    wait = TryTake();
                    if (wait == TimeSpan.Zero)
                    {
                        _waiting.Dequeue().TrySetResult(true);
                        continue;
                    }
                }

                await _time.Delay(wait < MinDelay ? MinDelay : wait).ConfigureAwait(false);
            }
        }

        private TimeSpan TryTake()
        {
            var now = _time.Now();
            StartedAt ??= now;
            var due = _pausedUntil > _next ? _pausedUntil : _next;
            if (_lastSends != null && _lastSends[_oldest] + CeilingWindow > due)
            {
                due = _lastSends[_oldest] + CeilingWindow;
            }

            if (due > now)
            {
                return due - now;
            }

            var rate = _rateAt(now);
            if (double.IsPositiveInfinity(rate))
            {
                _next = now;
            }
            else
            {
                // The next slot is one spacing after this one was due (a timer that woke late costs no rate), but
                // idle time is not banked into a burst.
                var spacing = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
                _next = (now - due < spacing ? due : now) + spacing;
            }

            if (_lastSends != null)
            {
                _lastSends[_oldest] = now;
                _oldest = (_oldest + 1) % _lastSends.Length;
            }

            _sentSmoothed.Add(now);
            _sentLately.Add(now);
            return TimeSpan.Zero;
        }
    }
}
