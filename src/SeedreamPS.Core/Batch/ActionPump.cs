using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SeedreamPS.Core.Batch
{
    /// <summary>Runs background work while the calling thread executes the actions the work posts back.
    /// PowerShell allows WriteObject, WriteError, WriteProgress and WriteVerbose only on the pipeline thread:
    /// background code posts closures here, and the cmdlet's thread runs them.</summary>
    public sealed class ActionPump : IDisposable
    {
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly int _ownerThread = Thread.CurrentThread.ManagedThreadId;

        /// <summary>Queues <paramref name="action"/> for the owner thread; runs it at once when called on that thread.</summary>
        public void Post(Action action)
        {
            if (action == null) return;
            if (Thread.CurrentThread.ManagedThreadId == _ownerThread) action();
            else _queue.Add(action);
        }

        /// <summary>Starts <paramref name="work"/> on the thread pool and runs posted actions on this thread until it ends.</summary>
        public T Run<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellation)
        {
            var task = Task.Run(() => work(cancellation), cancellation);
            // Wakes the loop as soon as the work ends rather than at the next poll.
            task.ContinueWith(_ => _queue.Add(null), TaskScheduler.Default);
            while (true)
            {
                if (_queue.TryTake(out var action, 100)) action?.Invoke();
                if (task.IsCompleted && _queue.Count == 0) break;
            }
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Runs <paramref name="work"/> that returns nothing.</summary>
        public void Run(Func<CancellationToken, Task> work, CancellationToken cancellation) =>
            Run<bool>(async token =>
            {
                await work(token).ConfigureAwait(false);
                return true;
            }, cancellation);

        /// <summary>Runs posted actions on this thread while <paramref name="condition"/> holds, for example
        /// "more than N requests in flight" (back-pressure) or "anything still running" (the end of a pipeline).</summary>
        public void PumpWhile(Func<bool> condition, CancellationToken cancellation)
        {
            while (true)
            {
                Drain();
                if (!condition()) return;
                cancellation.ThrowIfCancellationRequested();
                if (_queue.TryTake(out var action, 100)) action?.Invoke();
            }
        }

        /// <summary>Runs whatever is queued.</summary>
        public void Drain()
        {
            while (_queue.TryTake(out var action)) action?.Invoke();
        }

        /// <inheritdoc />
        public void Dispose() => _queue.Dispose();
    }
}
