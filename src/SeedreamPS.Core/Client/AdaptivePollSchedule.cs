using System;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Client
{
    /// <summary>EvoLink documents no schedule: the first poll comes halfway through its estimate; once progress is known,
    /// the next comes just after the finish that progress predicts (5% and 50 ms late, so one poll usually finds it done),
    /// in steps of 0.2 to 10 seconds.</summary>
    public sealed class AdaptivePollSchedule : PollSchedule
    {
        /// <inheritdoc />
        public override TimeSpan NextDelay(TimeSpan elapsed, SeedreamTask task)
        {
            if (task?.EstimatedSeconds is int estimate && estimate > 0)
            {
                if (task.Progress > 0 && task.Progress < 100)
                {
                    // Progress so far predicts the rest better than the initial estimate.
                    double predicted = elapsed.TotalSeconds * (100 - task.Progress) / task.Progress;
                    return Seconds(predicted * 1.05 + 0.05, 0.2);
                }
                return Seconds(Math.Max(0, estimate - elapsed.TotalSeconds) / 2, 1);
            }
            return Seconds(2.5, 1);
        }

        private static TimeSpan Seconds(double value, double least) => TimeSpan.FromSeconds(Math.Max(least, Math.Min(10, value)));
    }
}
