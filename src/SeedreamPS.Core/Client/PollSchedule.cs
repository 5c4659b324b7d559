using System;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Client
{
    /// <summary>When to ask a gateway about an unfinished task again.</summary>
    public abstract class PollSchedule
    {
        /// <summary>The wait before the next status request, given how long the task has been watched.</summary>
        public abstract TimeSpan NextDelay(TimeSpan elapsed, SeedreamTask task);

        /// <summary>How old a task may get before polling gives up, where the gateway documents a limit; else null.</summary>
        public virtual TimeSpan? GiveUpAfter => null;

        /// <summary>The documented schedule of <paramref name="gateway"/>.</summary>
        public static PollSchedule For(SeedreamGateway gateway) => Gateways.GatewayAdapters.For(gateway).Capabilities.PollSchedule();

        /// <summary>A fixed interval, for tests and impatient users.</summary>
        public static PollSchedule Every(TimeSpan interval) => new FixedPollSchedule(interval);

        private sealed class FixedPollSchedule : PollSchedule
        {
            private readonly TimeSpan _interval;

            public FixedPollSchedule(TimeSpan interval) => _interval = interval;

            public override TimeSpan NextDelay(TimeSpan elapsed, SeedreamTask task) => _interval;
        }
    }

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
