using SeedreamPS.Core.Storage;

namespace SeedreamPS.Core.Batch
{
    /// <summary>What happened to one item of an <see cref="ImageBatch"/>.</summary>
    public enum BatchEventKind
    {
        /// <summary>A new task was created (and paid for); it is in the journal.</summary>
        Created,

        /// <summary>A task an earlier run paid for was reused (-Resume).</summary>
        Reused,

        /// <summary>Not sent: an earlier create of the same request never got an answer (outcome unknown).</summary>
        Held,

        /// <summary>The gateway refused the create, or the budget did: nothing was made or paid for.</summary>
        Refused,

        /// <summary>The request broke a rule, or no connection could serve it; nothing was sent.</summary>
        Invalid,

        /// <summary>A fresh state of a watched task; it is still running.</summary>
        Progress,

        /// <summary>A watched task finished (succeeded, failed or was cancelled). Not raised for tasks the batch saves.</summary>
        Finished,

        /// <summary>An image was saved (or kept, see <see cref="SavedImage.Skipped"/>).</summary>
        Saved,

        /// <summary>A task succeeded without images (the prompt may have asked for fewer than Count).</summary>
        NoImages,

        /// <summary>Something failed for this item only: a create whose outcome is unknown, a task that failed, a query
        /// or a download that failed even after retries, a journal or file that could not be written.</summary>
        Failed,

        /// <summary>An image's URL has expired; the task is marked so in the journal.</summary>
        Expired,

        /// <summary>The wait ran out before the task finished; it keeps running on the gateway.</summary>
        TimedOut,

        /// <summary>Something the user should know about how records are sent (a warning, once per command for each
        /// kind): an endpoint id without its Seedream version, whose full checks and cost are unknown.</summary>
        Notice,
    }
}
