using System.Text.Json;

namespace SeedreamPS.Core.Journal
{
    /// <summary>What happened to a request, as far as the journal knows.</summary>
    public enum AttemptStatus
    {
        /// <summary>Never sent.</summary>
        None,

        /// <summary>A task was made (and paid for).</summary>
        Created,

        /// <summary>The gateway refused it: nothing was made.</summary>
        Refused,

        /// <summary>It was sent but no answer was recorded: a task may exist that nobody heard of.</summary>
        Unknown,
    }
}
