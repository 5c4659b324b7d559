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
    /// task's creation), several queries run at once, and every change is reported as it happens. Tasks may be added
    /// while the watcher runs, so a pipeline can hand them over as they are created.</summary>
    public sealed class TaskWatcher
    {
        private readonly Func<SeedreamTask, SeedreamClient> _clientFor;
        private readonly object _gate = new object();
        private readonly List<SeedreamTask> _incoming = new List<SeedreamTask>();
        private readonly SemaphoreSlim _wake = new SemaphoreSlim(0);
        private bool _completed;

        /// <summary>Creates a watcher that reads each task through the client <paramref name="clientFor"/> gives.</summary>
        public TaskWatcher(Func<SeedreamTask, SeedreamClient> clientFor)
        {
            _clientFor = clientFor ?? throw new ArgumentNullException(nameof(clientFor));
        }

        // Status queries in flight at once: enough to read a finished wave of tasks quickly, few enough to stay polite.
        private const int MaxConcurrentQueries = 8;

        /// <summary>Hands a task to the watcher; safe from any thread, before or while it runs.</summary>
        public void Add(SeedreamTask task)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            lock (_gate)
            {
                if (_completed) throw new InvalidOperationException("The watcher was told no more tasks would come.");
                _incoming.Add(task);
            }
            _wake.Release();
        }

        /// <summary>Says no more tasks will be added: <see cref="RunAsync"/> returns once the last one is done.</summary>
        public void Complete()
        {
            lock (_gate) _completed = true;
            _wake.Release();
        }

        /// <summary>Watches <paramref name="tasks"/> until each finished, could not be read, or <paramref name="timeout"/> passed.</summary>
        public Task WatchAsync(IEnumerable<SeedreamTask> tasks, TimeSpan? timeout, Action<TaskEvent> onEvent, CancellationToken cancellation)
        {
            foreach (var task in tasks) Add(task);
            Complete();
            return RunAsync(timeout, onEvent, cancellation);
        }

        /// <summary>Polls until <see cref="Complete"/> was called and every task added is done. Each task may be watched
        /// for at most <paramref name="timeout"/> from when it was added. <paramref name="onEvent"/> is called from worker
        /// threads, one call at a time.</summary>
        public async Task RunAsync(TimeSpan? timeout, Action<TaskEvent> onEvent, CancellationToken cancellation)
        {
            if (onEvent == null) throw new ArgumentNullException(nameof(onEvent));
            var watch = Stopwatch.StartNew();
            var pending = new List<Entry>();
            using (var throttle = new SemaphoreSlim(MaxConcurrentQueries))
            {
                while (true)
                {
                    bool completed;
                    List<SeedreamTask> arrived;
                    lock (_gate)
                    {
                        arrived = new List<SeedreamTask>(_incoming);
                        _incoming.Clear();
                        completed = _completed;
                    }
                    foreach (var task in arrived)
                    {
                        if (task.IsFinished)
                        {
                            onEvent(new TaskEvent(TaskEventKind.Finished, task));
                            continue;
                        }
                        var client = _clientFor(task);
                        var entry = new Entry(task, client, client.PollSchedule, watch.Elapsed, timeout);
                        entry.Due = watch.Elapsed + entry.Schedule.NextDelay(entry.Age(watch.Elapsed), task);
                        pending.Add(entry);
                    }
                    if (pending.Count == 0)
                    {
                        if (completed) return;
                        await _wake.WaitAsync(cancellation).ConfigureAwait(false);
                        continue;
                    }

                    var now = watch.Elapsed;
                    foreach (var expired in pending.Where(e => e.Deadline <= now).ToList())
                    {
                        pending.Remove(expired);
                        onEvent(new TaskEvent(TaskEventKind.TimedOut, expired.Task, new TimeoutException(string.Format(CultureInfo.InvariantCulture,
                            "Task {0} on {1} was still {2} after a wait of {3:0.#} s; it keeps running, ask again with Get-SeedreamTask -Id {0}.",
                            expired.Task.Id, expired.Task.Gateway, expired.Task.Status, expired.Wait.TotalSeconds))));
                    }
                    var due = pending.Where(e => e.Due <= now).ToList();
                    if (due.Count == 0)
                    {
                        if (pending.Count == 0) continue;
                        var next = pending.Min(e => e.Due < e.Deadline ? e.Due : e.Deadline);
                        var wait = next - now;
                        if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
                        // Sleep until the next poll is due, or until a new task arrives.
                        await _wake.WaitAsync(wait, cancellation).ConfigureAwait(false);
                        continue;
                    }

                    await Task.WhenAll(due.Select(entry => RefreshAsync(entry, throttle, cancellation))).ConfigureAwait(false);
                    foreach (var entry in due)
                    {
                        if (entry.Failure != null)
                        {
                            pending.Remove(entry);
                            onEvent(new TaskEvent(TaskEventKind.QueryFailed, entry.Task, entry.Failure));
                        }
                        else if (entry.Task.IsFinished)
                        {
                            pending.Remove(entry);
                            onEvent(new TaskEvent(TaskEventKind.Finished, entry.Task));
                        }
                        else
                        {
                            onEvent(new TaskEvent(TaskEventKind.Progress, entry.Task));
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

            public Entry(SeedreamTask task, SeedreamClient client, PollSchedule schedule, TimeSpan now, TimeSpan? timeout)
            {
                Task = task;
                Client = client;
                Schedule = schedule;
                _watchedFrom = now;
                // Schedules count from the task's creation, so a task created long ago is not made to wait again.
                var origin = task.SubmittedAt ?? task.CreatedAt;
                var age = origin.HasValue ? DateTimeOffset.UtcNow - origin.Value : TimeSpan.Zero;
                _ageAtStart = age > TimeSpan.Zero ? age : TimeSpan.Zero;
                Deadline = timeout.HasValue ? now + timeout.Value : TimeSpan.MaxValue;
                // A gateway that documents when to give up (LinkModel: 15 minutes) is not polled past it.
                if (schedule.GiveUpAfter is TimeSpan giveUp)
                {
                    var documented = now + (giveUp - _ageAtStart);
                    if (documented < Deadline) Deadline = documented < now ? now : documented;
                }
            }

            public SeedreamTask Task { get; }

            public SeedreamClient Client { get; }

            public PollSchedule Schedule { get; }

            public TimeSpan Due { get; set; }

            public TimeSpan Deadline { get; }

            public Exception Failure { get; set; }

            public TimeSpan Age(TimeSpan now) => _ageAtStart + (now - _watchedFrom);

            /// <summary>How long the task is waited for: the timeout, or what is left of a documented give-up time. Said in
            /// the time-out message instead of the measured time, which a loaded machine stretches.</summary>
            public TimeSpan Wait => Deadline - _watchedFrom;
        }
    }
}
