using System;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
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
