using System;
using System.Collections.Generic;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>The adapter for each gateway: the one list a new gateway is added to.</summary>
    public static class GatewayAdapters
    {
        private static readonly Dictionary<SeedreamGateway, IGatewayAdapter> ByGateway = new Dictionary<SeedreamGateway, IGatewayAdapter>();

        private static readonly IGatewayAdapter[] Registered =
        {
            Register(new EvoLinkAdapter()),
            Register(new LinkModelAdapter()),
            Register(new ModelArkAdapter()),
        };

        /// <summary>The gateway used when neither a parameter, a connection nor SEEDREAM_GATEWAY names one.</summary>
        public const SeedreamGateway DefaultGateway = SeedreamGateway.EvoLink;

        /// <summary>Every gateway's adapter.</summary>
        public static IReadOnlyList<IGatewayAdapter> All => Registered;

        // What an adapter can do follows from what it implements, so the two cannot disagree.
        private static IGatewayAdapter Register(IGatewayAdapter adapter)
        {
            adapter.Capabilities.Queryable = adapter is IQueryableGatewayAdapter;
            if (adapter is IUploadingGatewayAdapter) adapter.Capabilities.References = ReferenceTransport.Upload;
            else if (adapter.Capabilities.References == ReferenceTransport.Upload)
            {
                throw new InvalidOperationException(adapter.Gateway + "'s adapter says references are uploaded but has no files API.");
            }
            ByGateway.Add(adapter.Gateway, adapter);
            return adapter;
        }

        /// <summary>The adapter that speaks to <paramref name="gateway"/>.</summary>
        public static IGatewayAdapter For(SeedreamGateway gateway) =>
            ByGateway.TryGetValue(gateway, out var adapter) ? adapter : throw new ArgumentOutOfRangeException(nameof(gateway), gateway, "Unknown gateway.");
    }
}
