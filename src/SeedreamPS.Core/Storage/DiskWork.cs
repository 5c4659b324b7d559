using System;
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
            // A plain monitor queue, not BlockingCollection: its wait spins (sched_yield) before it sleeps, and sixteen
            // idle threads spinning take the processor from the downloads they serve on a two-core machine.
            private readonly Queue<Task> _queue = new Queue<Task>();
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
                bool start = false;
                lock (_queue)
                {
                    _queue.Enqueue(task);
                    // A thread more while none is idle, up to the limit; they live as long as the process.
                    if (_idle == 0 && _threads < _maxThreads)
                    {
                        _threads++;
                        start = true;
                    }
                    else
                    {
                        Monitor.Pulse(_queue);
                    }
                }
                if (start) new Thread(Work) { IsBackground = true, Name = _name }.Start();
            }

            private void Work()
            {
                while (true)
                {
                    Task task;
                    lock (_queue)
                    {
                        while (_queue.Count == 0)
                        {
                            _idle++;
                            Monitor.Wait(_queue);
                            _idle--;
                        }
                        task = _queue.Dequeue();
                    }
                    TryExecuteTask(task);
                }
            }

            protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

            protected override IEnumerable<Task> GetScheduledTasks()
            {
                lock (_queue) return _queue.ToArray();
            }
        }
    }
}
