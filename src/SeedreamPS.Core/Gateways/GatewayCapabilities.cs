using System;
using SeedreamPS.Core.Client;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>What differs between gateways beyond their wire format. The client, the engine and the validator read
    /// these instead of asking which gateway they talk to, so a new gateway is one adapter, one catalogue entry and its
    /// simulator endpoints.</summary>
    public sealed class GatewayCapabilities
    {
        /// <summary>Whether a create answers with the finished result (the task comes back finished).</summary>
        public bool Synchronous { get; internal set; }

        /// <summary>Whether tasks can be read by id later: the adapter is an <see cref="IQueryableGatewayAdapter"/>.</summary>
        public bool Queryable { get; internal set; }

        /// <summary>Whether <paramref name="task"/> is its own current state: a synchronous gateway's task came back
        /// finished, with its images, cannot change and cannot be asked about. The one place this rule is said.</summary>
        public bool IsOwnCurrentState(Tasks.SeedreamTask task) => task != null && !Queryable && task.IsFinished;

        /// <summary>How local reference images travel.</summary>
        public ReferenceTransport References { get; internal set; }

        /// <summary>Whether the gateway posts finished tasks to a callback URL.</summary>
        public bool Callbacks { get; internal set; }

        /// <summary>How long one HTTP request may take by default (a synchronous gateway generates while it waits).</summary>
        public TimeSpan DefaultTimeout { get; internal set; } = TimeSpan.FromSeconds(100);

        /// <summary>The gateway's documented (or adaptive) poll schedule; a new one per watcher.</summary>
        public Func<Client.PollSchedule> PollSchedule { get; internal set; } = () => new AdaptivePollSchedule();

        /// <summary>Images a minute the gateway allows per model and account, where it publishes a limit (creates are paced
        /// under it); null where it publishes none.</summary>
        public int? ImagesPerMinute { get; internal set; }

        /// <summary>The gateway's regions by name, each its own API root (ModelArk: BytePlus's ap-southeast, and Volcengine's
        /// cn-beijing for mainland China); empty where it has one address.</summary>
        public System.Collections.Generic.IReadOnlyDictionary<string, Uri> Regions { get; internal set; } = new System.Collections.Generic.Dictionary<string, Uri>();

        /// <summary>The unit of the charge the gateway reports for a task.</summary>
        public ChargeUnit ChargeUnit { get; internal set; }

        /// <summary>Words for the task-id rule, for error messages ("LinkModel ids are …"); null when nothing useful can be said.</summary>
        public string TaskIdRule { get; internal set; }
    }
}
