using System.Runtime.CompilerServices;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
    /// <summary>Which failed tasks were already reported as errors, so a failure is one error down a pipeline: the
    /// cmdlet where it first surfaces (New-SeedreamImage -Wait, Wait-SeedreamTask, Save-SeedreamImage) writes it, and
    /// the next cmdlet of the same pipeline (or script) that meets the same task does not write it again.</summary>
    public static class TaskFailures
    {
        private static readonly ConditionalWeakTable<SeedreamTask, StrongBox<long>> Reported = new ConditionalWeakTable<SeedreamTask, StrongBox<long>>();

        /// <summary>True the first time the failure of <paramref name="task"/> is reported in <paramref name="scope"/> (a
        /// PowerShell pipeline's history id), false after: the caller then writes no second error.</summary>
        public static bool FirstReport(SeedreamTask task, long scope)
        {
            if (task == null) return true;
            lock (Reported)
            {
                if (Reported.TryGetValue(task, out var box))
                {
                    if (box.Value == scope) return false;
                    box.Value = scope;
                    return true;
                }
                Reported.Add(task, new StrongBox<long>(scope));
                return true;
            }
        }
    }
}
