using System.Collections.Concurrent;
using System.Collections.Generic;

namespace IdCardVerify.Bulk
{
    /// <summary>A message a worker wants shown; the pipeline thread writes it.</summary>
    internal enum RunMessageKind
    {
        Verbose,
        Warning,
    }

    /// <summary>
    /// The verbose and warning messages of one run. Workers post from any thread; only the pipeline
    /// thread takes them and writes them, since PowerShell's Write* calls belong to that thread.
    /// </summary>
    internal sealed class RunMessages
    {
        private readonly ConcurrentQueue<(RunMessageKind Kind, string Text)> _queue = new ConcurrentQueue<(RunMessageKind, string)>();

        public void Verbose(string text) => _queue.Enqueue((RunMessageKind.Verbose, text));

        public void Warning(string text) => _queue.Enqueue((RunMessageKind.Warning, text));

        /// <summary>Takes the queued messages, oldest first (pipeline thread).</summary>
        public IEnumerable<(RunMessageKind Kind, string Text)> Take()
        {
            while (_queue.TryDequeue(out var message))
            {
                yield return message;
            }
        }
    }
}
