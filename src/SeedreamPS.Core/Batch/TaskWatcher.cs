using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
    /// <summary>Watches any number of tasks from one loop: each is polled on its gateway's schedule (counted from the
    /// task's creation), several queries run at once, and every change is reported as it happens.</summary>
    public sealed class TaskWatcher
    {
        private readonly Func<SeedreamTask, SeedreamClient> _clientFor;

        /// <summary>Creates a watcher that reads each task through the client <paramref name="clientFor"/> gives.</summary>
        public TaskWatcher(Func<SeedreamTask, SeedreamClient> clientFor)
        {
            _clientFor = clientFor ?? throw new ArgumentNullException(nameof(clientFor));
        }

        /// <summary>Most status queries in flight at once.</summary>
        public int MaxConcurrentQueries { get; set; } = 8;

        /// <summary>A schedule for every task instead of each client's own (null: the clients' schedules).</summary>
        public PollSchedule Schedule { get; set; }

        /// <summary>Polls until every task finished, failed to be read, or <paramref name="timeout"/> passed.
        /// <paramref name="onEvent"/> is called from worker threads, one call at a time.</summary>
        public async Task WatchAsync(IEnumerable<SeedreamTask> tasks, TimeSpan? timeout, Action<TaskEvent> onEvent, CancellationToken cancellation)
        {
            if (onEvent == null) throw new ArgumentNullException(nameof(onEvent));
            var gate = new object();
            void Emit(TaskEvent e)
            {
                lock (gate) onEvent(e);
            }

            var watch = Stopwatch.StartNew();
            var pending = new List<Entry>();
            foreach (var task in tasks)
            {
                if (task.IsFinished)
                {
                    Emit(new TaskEvent(TaskEventKind.Finished, task));
                    continue;
                }
                var client = _clientFor(task);
                var entry = new Entry(task, client, Schedule ?? client.PollSchedule, watch.Elapsed);
                entry.Due = watch.Elapsed + entry.Schedule.NextDelay(entry.Age(watch.Elapsed), task);
                pending.Add(entry);
            }

            using (var throttle = new SemaphoreSlim(Math.Max(1, MaxConcurrentQueries)))
            {
                while (pending.Count > 0)
                {
                    var now = watch.Elapsed;
                    if (timeout.HasValue && now >= timeout.Value)
                    {
                        foreach (var entry in pending)
                        {
                            Emit(new TaskEvent(TaskEventKind.TimedOut, entry.Task, new TimeoutException(string.Format(CultureInfo.InvariantCulture,
                                "Task {0} on {1} was still {2} after {3:0.#} s; it keeps running, ask again with Get-SeedreamTask -Id {0}.",
                                entry.Task.Id, entry.Task.Gateway, entry.Task.Status, timeout.Value.TotalSeconds))));
                        }
                        return;
                    }
                    var due = pending.Where(e => e.Due <= now).ToList();
                    if (due.Count == 0)
                    {
                        var wait = pending.Min(e => e.Due) - now;
                        if (timeout.HasValue && timeout.Value - now < wait) wait = timeout.Value - now;
                        await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, cancellation).ConfigureAwait(false);
                        continue;
                    }
                    await Task.WhenAll(due.Select(entry => RefreshAsync(entry, throttle, cancellation))).ConfigureAwait(false);
                    foreach (var entry in due)
                    {
                        if (entry.Failure != null)
                        {
                            pending.Remove(entry);
                            Emit(new TaskEvent(TaskEventKind.QueryFailed, entry.Task, entry.Failure));
                        }
                        else if (entry.Task.IsFinished)
                        {
                            pending.Remove(entry);
                            Emit(new TaskEvent(TaskEventKind.Finished, entry.Task));
                        }
                        else
                        {
                            Emit(new TaskEvent(TaskEventKind.Progress, entry.Task));
                            entry.Due = watch.Elapsed + entry.Schedule.NextDelay(entry.Age(watch.Elapsed), entry.Task);
                        }
                    }
                }
            }
        }

        private static async Task RefreshAsync(Entry entry, SemaphoreSlim throttle, CancellationToken cancellation)
        {
            await throttle.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                await entry.Client.RefreshAsync(entry.Task, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                entry.Failure = e;
            }
            finally
            {
                throttle.Release();
            }
        }

        private sealed class Entry
        {
            private readonly TimeSpan _ageAtStart;
            private readonly TimeSpan _watchedFrom;

            public Entry(SeedreamTask task, SeedreamClient client, PollSchedule schedule, TimeSpan now)
            {
                Task = task;
                Client = client;
                Schedule = schedule;
                _watchedFrom = now;
                // Schedules count from the task's creation, so a task created long ago is not made to wait again.
                var age = task.CreatedAt.HasValue ? DateTimeOffset.UtcNow - task.CreatedAt.Value : TimeSpan.Zero;
                _ageAtStart = age > TimeSpan.Zero ? age : TimeSpan.Zero;
            }

            public SeedreamTask Task { get; }

            public SeedreamClient Client { get; }

            public PollSchedule Schedule { get; }

            public TimeSpan Due { get; set; }

            public Exception Failure { get; set; }

            public TimeSpan Age(TimeSpan now) => _ageAtStart + (now - _watchedFrom);
        }
    }
}
