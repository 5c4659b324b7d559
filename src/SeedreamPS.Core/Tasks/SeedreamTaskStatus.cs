namespace SeedreamPS.Core.Tasks
{
    /// <summary>Where a task is in its life; one vocabulary for every gateway.</summary>
    public enum SeedreamTaskStatus
    {
        /// <summary>Accepted, not started.</summary>
        Pending,

        /// <summary>Generating.</summary>
        Running,

        /// <summary>Finished; the images are ready.</summary>
        Succeeded,

        /// <summary>Finished without images; see the task's error.</summary>
        Failed,

        /// <summary>Cancelled before it finished.</summary>
        Cancelled,
    }
}
