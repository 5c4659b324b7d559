using System;
using System.Collections.Generic;
using System.Linq;

namespace SeedreamPS.Core.Catalog
{
    /// <summary>Values offered by tab completion, from the catalogue.</summary>
    public static class Completion
    {
        /// <summary>Model names starting with <paramref name="prefix"/>: the gateway's own when one is named, otherwise every
        /// gateway's, then the version words every gateway takes (4, 4.0, 4.5, 5.0).</summary>
        public static IEnumerable<string> Models(SeedreamGateway? gateway, string prefix)
        {
            var models = (gateway.HasValue ? ModelCatalog.ForGateway(gateway.Value) : ModelCatalog.Models).ToList();
            var versions = models.Select(m => m.Version).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
            var words = versions.Where(v => v.EndsWith(".0", StringComparison.Ordinal)).Select(v => v.Substring(0, v.Length - 2)).Concat(versions);
            return models.Select(m => m.Id).Concat(words).Distinct().Where(id => Matches(id, prefix));
        }

        /// <summary>Quality tiers starting with <paramref name="prefix"/>: those of <paramref name="model"/> on the gateway
        /// where it names one there, else every tier.</summary>
        public static IEnumerable<string> Qualities(SeedreamGateway gateway, string model, string prefix) =>
            (ModelCatalog.Find(gateway, model)?.Qualities ?? ModelCatalog.AllQualities).Where(q => Matches(q, prefix));

        /// <summary>Prompt priorities starting with <paramref name="prefix"/>: those of <paramref name="model"/> (the
        /// gateway's default model when none is named), else every priority.</summary>
        public static IEnumerable<string> PromptPriorities(SeedreamGateway gateway, string model, string prefix)
        {
            var info = string.IsNullOrWhiteSpace(model) ? ModelCatalog.DefaultModel(gateway) : ModelCatalog.Find(gateway, model);
            return (info?.PromptPriorities ?? ModelCatalog.AllPromptPriorities).Where(p => Matches(p, prefix));
        }

        /// <summary>-FileName completions: whole templates, or, inside a template being typed ('{Name}-{In'), the tokens
        /// that complete its last brace. Results are quoted: a bare brace would start a script block.</summary>
        public static IEnumerable<string> FileNameTemplates(string word, IEnumerable<string> columns = null)
        {
            string typed = (word ?? string.Empty).Trim('\'', '"');
            var tokens = Storage.FileNameTemplate.BuiltInTokens.Concat(columns ?? new[] { "Name", "BaseName" }).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            int open = typed.LastIndexOf('{');
            IEnumerable<string> values;
            if (open >= 0 && typed.IndexOf('}', open) < 0)
            {
                string head = typed.Substring(0, open + 1), partial = typed.Substring(open + 1);
                values = tokens.Where(t => t.StartsWith(partial, StringComparison.OrdinalIgnoreCase)).Select(t => head + t + "}");
            }
            else
            {
                var templates = new[] { Storage.FileNameTemplate.Default, "{Name}-{Index}{Ext}", "{Name}-{Number:00}{Ext}", "{BaseName}-new{Ext}", "{Date}/{Id}-{Index}{Ext}" };
                values = templates.Where(t => t.StartsWith(typed, StringComparison.OrdinalIgnoreCase));
            }
            return values.Select(v => "'" + v.Replace("'", "''") + "'");
        }

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
