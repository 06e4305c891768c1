using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

using IdCardVerify.Verification;
using IdCardVerify.Pacing;
using IdCardVerify.Files;

namespace IdCardVerify.Bulk
{
    /// <summary>One input on its way through the engine.</summary>
    internal sealed class WorkItem
    {
        /// <summary>Why a run would not send <paramref name="imageUrl"/> (not an http(s) URL, a local path, too long); null when it would.</summary>
        public static string? UrlProblem(string? imageUrl) => Client.ImageUrls.Problem(imageUrl);

        public WorkItem(long index, object? input, string imageUrl, VerificationResult? resumed = null, ExpectedPerson? expected = null)
        {
            Index = index;
            Input = input;
            ImageUrl = imageUrl;
            Resumed = resumed;
            Expected = expected ?? ExpectedPerson.None;
        }

        /// <summary>Who the row says the card's person is (-ExpectedIdNumber, -ExpectedName).</summary>
        public ExpectedPerson Expected { get; }

        /// <summary>1-based position of the input in the pipeline.</summary>
        public long Index { get; }

        public object? Input { get; }

        public string ImageUrl { get; }

        /// <summary>The local file to verify (staged first), or null for a URL; <see cref="ImageUrl"/> is then the file's journal key.</summary>
        public string? ImagePath { get; set; }

        /// <summary>A result read back from the checkpoint journal: no request is made for it.</summary>
        public VerificationResult? Resumed { get; }

        /// <summary>The Verdict Error row of an input refused before any call (-IncludeFailed): it keeps its place in the order.</summary>
        public VerificationResult? Refused { get; set; }
    }

    /// <summary>What became of one input: a result or an error, never both.</summary>
    internal sealed class Completion
    {
        public Completion(WorkItem item, VerificationResult? result, Exception? error)
        {
            Item = item;
            Result = result;
            Error = error;
        }

        public WorkItem Item { get; }

        public VerificationResult? Result { get; }

        public Exception? Error { get; }
    }

    /// <summary>
    /// Runs verifications concurrently, at most <c>concurrency</c> in flight (fewer when <c>size</c> says
    /// so: it is read again as each request ends), and hands completions
    /// back in input order. Only the caller's (pipeline) thread reads completions; workers never
    /// touch the PowerShell host (they report through <see cref="RunMessages"/>). While the caller waits, <c>onWait</c> is called on
    /// its thread a few times a second (for progress and queued messages).
    /// </summary>
    internal sealed class VerificationEngine : IDisposable
    {
        private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(200);

        private readonly Func<WorkItem, CancellationToken, Task<VerificationResult>> _verify;
        private readonly ConcurrencyGate _slots;
        private readonly int _window;
        private readonly Queue<(WorkItem Item, Task<VerificationResult> Task)> _pending = new Queue<(WorkItem, Task<VerificationResult>)>();
        private readonly CancellationTokenSource _cancel;
        private readonly TimeProvider _time;
        private readonly CancellationTokenSource _calls;
        private readonly Action? _onWait;
        private int _inFlight;
        private long _succeeded;
        private long _failed;

        public VerificationEngine(Func<WorkItem, CancellationToken, Task<VerificationResult>> verify, int concurrency, CancellationToken cancellation, Action? onWait = null, Func<int>? size = null, TimeProvider? time = null)
        {
            _time = time ?? Clock.System;
            if (concurrency < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(concurrency), concurrency, "Concurrency must be at least 1.");
            }

            _verify = verify;
            _slots = new ConcurrencyGate(size == null ? () => concurrency : () => Math.Min(concurrency, size()));
            // Completed results wait here for a slower earlier row; the window bounds that buffer,
            // so memory stays flat however long the input is.
            _window = concurrency * 4;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _calls = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
            _onWait = onWait;
        }

        /// <summary>Requests on the wire (or in backoff) right now.</summary>
        public int InFlight => Volatile.Read(ref _inFlight);

        /// <summary>Inputs handed back with a result.</summary>
        public long Succeeded => Interlocked.Read(ref _succeeded);

        /// <summary>Inputs handed back with an error from their call (an input declined before any call is the run's to count).</summary>
        public long Failed => Interlocked.Read(ref _failed);

        /// <summary>Starts one input; returns, in order, whatever completed and may be written now.</summary>
        public IReadOnlyList<Completion> Submit(WorkItem item)
        {
            var ready = new List<Completion>();
            while (_pending.Count >= _window)
            {
                ready.Add(WaitHead());
            }

            // RunAsync runs here only until its first await (a free slot, then the send); the rest is on the pool.
            var known = item.Resumed ?? item.Refused;
            var task = known != null ? Task.FromResult(known) : RunAsync(item);
            _pending.Enqueue((item, task));
            while (_pending.Count > 0 && _pending.Peek().Task.IsCompleted)
            {
                ready.Add(WaitHead());
            }

            return ready;
        }

        /// <summary>Waits for every input still pending, yielding each completion in order.</summary>
        public IEnumerable<Completion> Drain()
        {
            while (_pending.Count > 0)
            {
                yield return WaitHead();
            }
        }

        /// <summary>Cancels every request in flight and every wait. Safe from any thread, also after Dispose (Ctrl+C may race the end of a run).</summary>
        public void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run has already ended.
            }
        }

        /// <summary>
        /// Cancels every request in flight and every one queued, but lets the caller drain what is pending:
        /// a run that stops (no balance, a bad token) hands back, in order, what it already has.
        /// </summary>
        public void StopCalls()
        {
            try
            {
                _calls.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run has already ended.
            }
        }

        public void Dispose()
        {
            Cancel();
            _calls.Dispose();
            _cancel.Dispose();
        }

        private async Task<VerificationResult> RunAsync(WorkItem item)
        {
            await _slots.WaitAsync(_calls.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _inFlight);
            try
            {
                var result = await _verify(item, _calls.Token).ConfigureAwait(false);
                result.InputObject = item.Input;
                return result;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                _slots.Release();
            }
        }

        private Completion WaitHead()
        {
            var (item, task) = _pending.Peek();
            while (!task.IsCompleted)
            {
                try
                {
                    // Waits with the token, so Ctrl+C is never stuck behind a slow request.
                    if (!_time.Wait(task, TickInterval, _cancel.Token))
                    {
                        _onWait?.Invoke();
                    }
                }
                catch (AggregateException)
                {
                    // Observed below through task.Exception.
                }
            }

            _pending.Dequeue();
            if (task.IsCanceled)
            {
                // Not sent because the run stopped: the run counts it as left unverified.
                return new Completion(item, null, new OperationCanceledException("The run was stopped."));
            }

            if (task.IsFaulted)
            {
                Interlocked.Increment(ref _failed);
                return new Completion(item, null, task.Exception!.InnerException ?? task.Exception);
            }

            if (item.Refused != null)
            {
                // Declined before any call: counted once, by the run (an input error, or left unverified), not here.
                return new Completion(item, item.Refused, null);
            }

            Interlocked.Increment(ref _succeeded);
            if (item.Resumed != null)
            {
                item.Resumed.InputObject = item.Input;
            }

            return new Completion(item, task.Result, null);
        }
    }
}
