using System;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>The adapter for each gateway.</summary>
    public static class GatewayAdapters
    {
        private static readonly IGatewayAdapter EvoLink = Register(new EvoLinkAdapter());
        private static readonly IGatewayAdapter LinkModel = Register(new LinkModelAdapter());
        private static readonly IGatewayAdapter ModelArk = Register(new ModelArkAdapter());

        // What an adapter can do follows from what it implements, so the two cannot disagree.
        private static IGatewayAdapter Register(IGatewayAdapter adapter)
        {
            adapter.Capabilities.Queryable = adapter is IQueryableGatewayAdapter;
            return adapter;
        }

        /// <summary>The adapter that speaks to <paramref name="gateway"/>.</summary>
        public static IGatewayAdapter For(SeedreamGateway gateway)
        {
            switch (gateway)
            {
                case SeedreamGateway.EvoLink: return EvoLink;
                case SeedreamGateway.LinkModel: return LinkModel;
                case SeedreamGateway.ModelArk: return ModelArk;
                default: throw new ArgumentOutOfRangeException(nameof(gateway), gateway, "Unknown gateway.");
            }
        }
    }
}
