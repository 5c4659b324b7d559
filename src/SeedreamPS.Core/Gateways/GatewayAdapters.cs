using System;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>The adapter for each gateway.</summary>
    public static class GatewayAdapters
    {
        private static readonly IGatewayAdapter EvoLink = new EvoLinkAdapter();
        private static readonly IGatewayAdapter LinkModel = new LinkModelAdapter();
        private static readonly IGatewayAdapter ModelArk = new ModelArkAdapter();

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
