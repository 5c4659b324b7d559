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
}
