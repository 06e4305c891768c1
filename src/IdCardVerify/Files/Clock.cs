using System;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Files
{
    /// <summary>
    /// The one place the module reads the system's clock. Every other read of time and every wait goes through a
    /// <see cref="TimeProvider"/> (Microsoft.Bcl.TimeProvider on netstandard2.0, as Polly does) handed down from the run,
    /// so a test fakes all of it at once; <see cref="System"/> is the real one, given where no run hands one down.
    /// The architecture test fails on any other use of the system's clock, timers or timed waits. Delays and timeouts
    /// are the package's <c>time.Delay</c> and <c>time.CreateCancellationTokenSource</c>.
    /// </summary>
    internal static class Clock
    {
        /// <summary>The system's clock.</summary>
        public static TimeProvider System => TimeProvider.System;

        /// <summary>Monotonic time, as a span: the provider's timestamp in ticks (pacing's and the breaker's "now").</summary>
        public static TimeSpan Now(this TimeProvider time) =>
            TimeSpan.FromTicks((long)(time.GetTimestamp() * ((double)TimeSpan.TicksPerSecond / time.TimestampFrequency)));

        /// <summary>Blocks for <paramref name="delay"/> on <paramref name="time"/>'s clock (a poll's pause on a thread that may block).</summary>
        public static void Sleep(this TimeProvider time, TimeSpan delay) => time.Delay(delay).GetAwaiter().GetResult();

        /// <summary>
        /// Waits for <paramref name="task"/> at most <paramref name="timeout"/> on <paramref name="time"/>'s clock; true when it
        /// ended. Cancelled by <paramref name="cancellation"/> (OperationCanceledException), as Task.Wait is.
        /// </summary>
        public static bool Wait(this TimeProvider time, Task task, TimeSpan timeout, CancellationToken cancellation = default)
        {
            if (task.IsCompleted)
            {
                return true;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var delay = time.Delay(timeout, stop.Token);
            Task.WhenAny(task, delay).Wait(cancellation);
            stop.Cancel();
            cancellation.ThrowIfCancellationRequested();
            return task.IsCompleted;
        }

        /// <summary>
        /// A token cancelled by <paramref name="cancellation"/> or after <paramref name="delay"/> on <paramref name="time"/>'s
        /// clock (one attempt's -TimeoutSec); disposing it lets go of both.
        /// </summary>
        public static Deadline Within(this TimeProvider time, CancellationToken cancellation, TimeSpan delay) => new Deadline(time, cancellation, delay);

        /// <summary>A linked cancellation with a timeout on a <see cref="TimeProvider"/>'s clock.</summary>
        internal sealed class Deadline : IDisposable
        {
            private readonly CancellationTokenSource _timer;
            private readonly CancellationTokenSource _linked;

            public Deadline(TimeProvider time, CancellationToken cancellation, TimeSpan delay)
            {
                _timer = time.CreateCancellationTokenSource(delay);
                _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _timer.Token);
            }

            public CancellationToken Token => _linked.Token;

            /// <summary>True when the time ran out (not the caller's cancellation).</summary>
            public bool TimedOut => _timer.IsCancellationRequested;

            public void Dispose()
            {
                _linked.Dispose();
                _timer.Dispose();
            }
        }
    }
}
