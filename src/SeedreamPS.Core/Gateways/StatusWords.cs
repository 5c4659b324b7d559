using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>Every status word the gateways use, in any case, mapped to the neutral status.</summary>
    internal static class StatusWords
    {
        /// <summary>The neutral status, or null for a word no gateway documents.</summary>
        public static SeedreamTaskStatus? Parse(string word)
        {
            switch ((word ?? string.Empty).Trim().ToLowerInvariant())
            {
                case "pending": case "queued": case "submitted": case "created":
                    return SeedreamTaskStatus.Pending;
                case "processing": case "running": case "in_progress":
                    return SeedreamTaskStatus.Running;
                case "completed": case "succeeded": case "success": case "succeed":
                    return SeedreamTaskStatus.Succeeded;
                case "failed": case "failure": case "error":
                    return SeedreamTaskStatus.Failed;
                case "cancelled": case "canceled":
                    return SeedreamTaskStatus.Cancelled;
                default:
                    return null;
            }
        }
    }
}
