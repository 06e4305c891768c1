using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Bulk
{
    /// <summary>One input on its way through the engine.</summary>
    internal sealed class WorkItem
    {
        public WorkItem(long index, object? input, string imageUrl)
        {
            Index = index;
            Input = input;
            ImageUrl = imageUrl;
        }

        /// <summary>1-based position of the input in the pipeline.</summary>
        public long Index { get; }

        public object? Input { get; }

        public string ImageUrl { get; }
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
    /// Runs verifications concurrently, at most <c>concurrency</c> in flight, and hands completions
    /// back in input order. Only the caller's (pipeline) thread reads completions; workers never
    /// touch the PowerShell host.
    /// </summary>
    internal sealed class VerificationEngine : IDisposable
    {
        private readonly Func<WorkItem, CancellationToken, Task<VerificationResult>> _verify;
        private readonly SemaphoreSlim _slots;
        private readonly int _window;
        private readonly Queue<(WorkItem Item, Task<VerificationResult> Task)> _pending = new Queue<(WorkItem, Task<VerificationResult>)>();
        private readonly CancellationTokenSource _cancel;

        public VerificationEngine(Func<WorkItem, CancellationToken, Task<VerificationResult>> verify, int concurrency, CancellationToken cancellation)
        {
            if (concurrency < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(concurrency), concurrency, "Concurrency must be at least 1.");
            }

            _verify = verify;
            _slots = new SemaphoreSlim(concurrency, concurrency);
            // Completed results wait here for a slower earlier row; the window bounds that buffer.
            _window = concurrency * 4;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        }

        /// <summary>Inputs started and not yet handed back.</summary>
        public int Pending => _pending.Count;

        /// <summary>Starts one input; returns, in order, whatever completed and may be written now.</summary>
        public IEnumerable<Completion> Submit(WorkItem item)
        {
            var ready = new List<Completion>();
            while (_pending.Count >= _window)
            {
                ready.Add(WaitHead());
            }

            _pending.Enqueue((item, Task.Run(() => RunAsync(item))));
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

        /// <summary>Cancels every request in flight and every wait.</summary>
        public void Cancel() => _cancel.Cancel();

        public void Dispose()
        {
            _cancel.Cancel();
            _cancel.Dispose();
            _slots.Dispose();
        }

        private async Task<VerificationResult> RunAsync(WorkItem item)
        {
            await _slots.WaitAsync(_cancel.Token).ConfigureAwait(false);
            try
            {
                var result = await _verify(item, _cancel.Token).ConfigureAwait(false);
                result.InputObject = item.Input;
                return result;
            }
            finally
            {
                _slots.Release();
            }
        }

        private Completion WaitHead()
        {
            var (item, task) = _pending.Peek();
            try
            {
                // Waits with the token, so Ctrl+C is never stuck behind a slow request.
                task.Wait(_cancel.Token);
            }
            catch (AggregateException)
            {
                // Observed below through task.Exception.
            }

            _pending.Dequeue();
            if (task.IsCanceled)
            {
                return new Completion(item, null, new OperationCanceledException("The run was stopped."));
            }

            return task.IsFaulted
                ? new Completion(item, null, task.Exception!.InnerException ?? task.Exception)
                : new Completion(item, task.Result, null);
        }
    }
}
