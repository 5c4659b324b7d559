using System.Threading;

namespace SeedreamPS.Core.Http
{
    /// <summary>Whether the command a create belongs to has stopped: flows with the async work of each create, so the
    /// HTTP layer sends no create (and no retry of one) after the stop, while creates already sent still get their answer.</summary>
    internal static class SendGate
    {
        private static readonly AsyncLocal<CancellationToken> Stop = new AsyncLocal<CancellationToken>();

        /// <summary>The error code of a create that was not sent because its command stopped.</summary>
        public const string NotSentCode = "not_sent_after_stop";

        /// <summary>Cancelled once the current create's command stops; none outside a batch.</summary>
        public static CancellationToken Current => Stop.Value;

        /// <summary>Sets the stop for the async work that follows on this flow.</summary>
        public static void Set(CancellationToken stop) => Stop.Value = stop;
    }
}
