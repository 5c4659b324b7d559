namespace SeedreamPS.Core.Journal
{
    /// <summary>The names in a journal line's "type" field. The writer, <see cref="JournalState"/> and
    /// <see cref="CompactionScan"/> all read them from here, so a record cannot be written under one name and read
    /// under another. They are on disk in every journal: never rename one.</summary>
    internal static class JournalRecordTypes
    {
        /// <summary>A create is about to be sent (keyed by request; a record of money).</summary>
        public const string Attempt = "attempt";

        /// <summary>A task was made and paid for (by task id, with its request's key where it had one; a record of money).</summary>
        public const string Created = "created";

        /// <summary>The gateway refused a create (keyed by request; a record of money).</summary>
        public const string Refused = "refused";

        /// <summary>A create's outcome stays unknown (keyed by request; a record of money).</summary>
        public const string Unknown = "unknown";

        /// <summary>A task's result URLs are known (by task id).</summary>
        public const string Completed = "completed";

        /// <summary>One image of a stream arrived: its URL, or that it came inline and has none (by task id; a record of
        /// money, since a stream cannot be asked again).</summary>
        public const string Image = "image";

        /// <summary>A stream ended, complete or broken off (by task id).</summary>
        public const string StreamEnded = "streamEnded";

        /// <summary>An image was saved to a file (by task id).</summary>
        public const string Saved = "saved";

        /// <summary>A task finished without images (by task id).</summary>
        public const string Failed = "failed";

        /// <summary>A task's images can no longer be fetched (by task id).</summary>
        public const string Expired = "expired";

        /// <summary>The first line of a compacted live file, naming its generation so tailing readers notice the
        /// replacement.</summary>
        public const string Header = "header";

        /// <summary>Whether a record is about a request (found by its key) rather than about a task (found by its id).</summary>
        public static bool IsAboutRequest(string type) => type == Attempt || type == Unknown || type == Refused;
    }
}
