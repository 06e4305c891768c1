using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// A semaphore whose count may change while it is in use: at most <c>limit()</c> holders at once, the
    /// limit read again at every wait and release. Waiters are served first come, first served; a cancelled
    /// wait leaves the queue.
    /// </summary>
    internal sealed class ConcurrencyGate
    {
        private readonly object _lock = new object();
        private readonly Func<int> _limit;
        private readonly LinkedList<TaskCompletionSource<bool>> _waiters = new LinkedList<TaskCompletionSource<bool>>();
        private int _busy;

        public ConcurrencyGate(Func<int> limit) => _limit = limit;

        public Task WaitAsync(CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            lock (_lock)
            {
                if (_waiters.Count == 0 && _busy < Math.Max(1, _limit()))
                {
                    _busy++;
                    return Task.CompletedTask;
                }

                var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var node = _waiters.AddLast(waiter);
                if (cancellation.CanBeCanceled)
                {
                    var registration = cancellation.Register(() =>
                    {
                        lock (_lock)
                        {
                            if (node.List != null)
                            {
                                _waiters.Remove(node);
                            }
                        }

                        waiter.TrySetCanceled(cancellation);
                    });
                    waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                return waiter.Task;
            }
        }

        public void Release()
        {
            lock (_lock)
            {
                _busy--;
                var limit = Math.Max(1, _limit());
                while (_busy < limit && _waiters.First != null)
                {
                    var next = _waiters.First;
                    _waiters.RemoveFirst();
                    if (next.Value.TrySetResult(true))
                    {
                        _busy++;
                    }
                }
            }
        }
    }
}
