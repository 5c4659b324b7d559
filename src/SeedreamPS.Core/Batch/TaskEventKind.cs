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
}
