using System;
using System.Collections.Generic;
using System.Linq;

namespace SeedreamPS.Core.Catalog
{
    /// <summary>Values offered by tab completion, from the catalogue.</summary>
    public static class Completion
    {
        /// <summary>Model names starting with <paramref name="prefix"/>: the gateway's own when one is named, otherwise every gateway's.</summary>
        public static IEnumerable<string> Models(SeedreamGateway? gateway, string prefix) =>
            (gateway.HasValue ? ModelCatalog.ForGateway(gateway.Value) : ModelCatalog.Models)
                .Select(m => m.Id)
                .Distinct()
                .Where(id => Matches(id, prefix));

        /// <summary>Size values starting with <paramref name="prefix"/>: auto, the ratios, and common explicit sizes.</summary>
        public static IEnumerable<string> Sizes(SeedreamGateway? gateway, string prefix)
        {
            var values = new List<string>();
            if (gateway != SeedreamGateway.LinkModel) values.Add("auto");
            values.AddRange(gateway == SeedreamGateway.LinkModel ? ModelCatalog.LinkModelRatios : gateway == SeedreamGateway.EvoLink ? ModelCatalog.ColonRatios : ModelCatalog.AllRatios);
            if (gateway != SeedreamGateway.LinkModel) values.AddRange(new[] { "1280x720", "2048x2048", "2560x1440", "3072x3072", "4096x4096" });
            return values.Where(v => Matches(v, prefix));
        }

        private static bool Matches(string value, string prefix)
        {
            string p = (prefix ?? string.Empty).Trim('\'', '"');
            return value.StartsWith(p, StringComparison.OrdinalIgnoreCase);
        }
    }
}
