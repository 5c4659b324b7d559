using System;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
    /// <summary>What happened to a watched task.</summary>
    public enum TaskEventKind
    {
        /// <summary>A fresh state was read; the task is still running.</summary>
        Progress,

        /// <summary>The task finished (succeeded, failed or was cancelled).</summary>
        Finished,

        /// <summary>Its state could not be read, even after retries.</summary>
        QueryFailed,

        /// <summary>The wait ran out before the task finished; the task keeps running on the gateway.</summary>
        TimedOut,
    }

    /// <summary>One event of <see cref="TaskWatcher"/>.</summary>
    public sealed class TaskEvent
    {
        /// <summary>Creates an event.</summary>
        public TaskEvent(TaskEventKind kind, SeedreamTask task, Exception error = null)
        {
            Kind = kind;
            Task = task;
            Error = error;
        }

        /// <summary>What happened.</summary>
        public TaskEventKind Kind { get; }

        /// <summary>The task, updated in place.</summary>
        public SeedreamTask Task { get; }

        /// <summary>The failure, for <see cref="TaskEventKind.QueryFailed"/> and <see cref="TaskEventKind.TimedOut"/>.</summary>
        public Exception Error { get; }
    }
}
