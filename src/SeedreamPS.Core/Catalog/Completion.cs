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

        /// <summary>Size values starting with <paramref name="prefix"/>: auto, the ratios, and common explicit sizes, as far as
        /// a model of the gateway (of any gateway when none is named) takes them.</summary>
        public static IEnumerable<string> Sizes(SeedreamGateway? gateway, string prefix)
        {
            var models = (gateway.HasValue ? ModelCatalog.ForGateway(gateway.Value) : ModelCatalog.Models).ToList();
            var values = new List<string>();
            if (models.Any(m => m.SupportsAutoSize)) values.Add("auto");
            values.AddRange(models.SelectMany(m => m.SizeRatios).Distinct());
            foreach (var size in CommonPixelSizes)
            {
                long pixels = ImageSizeArea(size);
                if (models.Any(m => m.SupportsPixelSize && pixels >= m.MinPixels && pixels <= m.MaxPixels)) values.Add(size);
            }
            return values.Where(v => Matches(v, prefix));
        }

        private static readonly string[] CommonPixelSizes = { "1280x720", "2048x2048", "2560x1440", "3072x3072", "4096x4096" };

        private static long ImageSizeArea(string size)
        {
            var parts = size.Split('x');
            return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Region names starting with <paramref name="prefix"/>: the gateway's, or every gateway's.</summary>
        public static IEnumerable<string> Regions(SeedreamGateway? gateway, string prefix) =>
            Gateways.GatewayAdapters.All.Where(a => gateway == null || a.Gateway == gateway)
                .SelectMany(a => a.Capabilities.Regions.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Where(r => Matches(r, prefix));

        private static bool Matches(string value, string prefix)
        {
            string p = (prefix ?? string.Empty).Trim('\'', '"');
            return value.StartsWith(p, StringComparison.OrdinalIgnoreCase);
        }
    }
}
