using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SeedreamPS.Core.Storage
{
    /// <summary>Blocking disk work (fsync, rename) on threads of its own. On the thread pool it would hold the few threads
    /// the HTTP stack needs (two on a two-core machine, and the pool adds more only slowly), so downloads would wait for
    /// each other's fsyncs; here many fsyncs run at once, which file systems absorb well.</summary>
    internal static class DiskWork
    {
        private static readonly DedicatedScheduler Scheduler = new DedicatedScheduler(16, "SeedreamPS disk");

        /// <summary>Runs <paramref name="action"/> on a disk thread.</summary>
        public static Task Run(Action action) =>
            Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler);

        private sealed class DedicatedScheduler : TaskScheduler
        {
            private readonly BlockingCollection<Task> _queue = new BlockingCollection<Task>();
            private readonly int _maxThreads;
            private readonly string _name;
            private int _threads;
            private int _idle;

            public DedicatedScheduler(int maxThreads, string name)
            {
                _maxThreads = maxThreads;
                _name = name;
            }

            public override int MaximumConcurrencyLevel => _maxThreads;

            protected override void QueueTask(Task task)
            {
                _queue.Add(task);
                // A thread more while none is idle, up to the limit; they live as long as the process.
                if (Volatile.Read(ref _idle) == 0 && Interlocked.Increment(ref _threads) <= _maxThreads)
                {
                    new Thread(Work) { IsBackground = true, Name = _name }.Start();
                }
            }

            private void Work()
            {
                while (true)
                {
                    Interlocked.Increment(ref _idle);
                    var task = _queue.Take();
                    Interlocked.Decrement(ref _idle);
                    TryExecuteTask(task);
                }
            }

            protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

            protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();
        }
    }
}
