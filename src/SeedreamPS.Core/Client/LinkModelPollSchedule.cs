using System;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Client
{
    /// <summary>LinkModel's documented schedule: first poll after 10 s, then every 3 s up to 1 min,
    /// every 6 s up to 3 min, every 10 s up to 15 min.</summary>
    public sealed class LinkModelPollSchedule : PollSchedule
    {
        /// <summary>After 15 minutes the documents say to give up.</summary>
        public override TimeSpan? GiveUpAfter => TimeSpan.FromMinutes(15);

        /// <inheritdoc />
        public override TimeSpan NextDelay(TimeSpan elapsed, SeedreamTask task)
        {
            if (elapsed < TimeSpan.FromSeconds(10)) return TimeSpan.FromSeconds(10) - elapsed;
            if (elapsed < TimeSpan.FromMinutes(1)) return TimeSpan.FromSeconds(3);
            if (elapsed < TimeSpan.FromMinutes(3)) return TimeSpan.FromSeconds(6);
            return TimeSpan.FromSeconds(10);
        }
    }
}
