using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Journal
{
    /// <summary>Images and spend for one group of paid tasks (a day, a gateway, a model, or a value of a carried column).</summary>
    public sealed class SeedreamUsage
    {
        /// <summary>What the tasks were grouped by (Day, Gateway, Model, or a column name).</summary>
        public string GroupBy { get; set; }

        /// <summary>The group's value (2026-11-22, EvoLink, doubao-seedream-4.0, spring, …).</summary>
        public string Group { get; set; }

        /// <summary>Paid tasks.</summary>
        public int Tasks { get; set; }

        /// <summary>Images asked for (the gateways pre-charge for these).</summary>
        public int ImagesRequested { get; set; }

        /// <summary>Images the gateways made, where known (a task's result URLs).</summary>
        public int ImagesMade { get; set; }

        /// <summary>Images saved to files.</summary>
        public int ImagesSaved { get; set; }

        /// <summary>Spend in US dollars: what the gateway reported where it did (LinkModel's price), the catalogue's price
        /// times the images asked for elsewhere.</summary>
        public decimal CostUsd { get; set; }

        /// <summary>Of <see cref="CostUsd"/>, what the gateways reported.</summary>
        public decimal ReportedUsd { get; set; }

        /// <summary>Of <see cref="CostUsd"/>, what was estimated from the catalogue.</summary>
        public decimal EstimatedUsd { get; set; }

        /// <summary>EvoLink's credits reserved, as it reported them (its own unit).</summary>
        public decimal ReportedCredits { get; set; }

        /// <summary>Tasks of models without a published price and no reported charge: not in <see cref="CostUsd"/>.</summary>
        public int Unpriced { get; set; }

        /// <summary>reported, estimated or mixed: how <see cref="CostUsd"/> was found.</summary>
        public string Basis => ReportedUsd > 0 && EstimatedUsd > 0 ? "mixed" : ReportedUsd > 0 ? "reported" : "estimated";

        /// <inheritdoc />
        public override string ToString() => GroupBy + " " + Group + ": " + Tasks + " task(s), $" + CostUsd.ToString("0.000", CultureInfo.InvariantCulture);
    }

    /// <summary>Usage from the journal: paid tasks grouped by day, gateway, model or any carried column.</summary>
    public static class UsageReport
    {
        /// <summary>Groups <paramref name="tasks"/> created in [<paramref name="from"/>, <paramref name="to"/>) by
        /// <paramref name="groupBy"/> (Day, Gateway, Model, or a column name; null: Day).</summary>
        public static IReadOnlyList<SeedreamUsage> Build(IEnumerable<JournalTask> tasks, string groupBy, DateTimeOffset? from, DateTimeOffset? to)
        {
            string by = string.IsNullOrWhiteSpace(groupBy) ? "Day" : groupBy.Trim();
            var rows = new Dictionary<string, SeedreamUsage>(StringComparer.OrdinalIgnoreCase);
            foreach (var task in tasks.Where(t => t.KnownCreated))
            {
                if (from.HasValue && !(task.CreatedAt >= from)) continue;
                if (to.HasValue && !(task.CreatedAt < to)) continue;
                string key = KeyOf(task, by);
                if (!rows.TryGetValue(key, out var row)) rows[key] = row = new SeedreamUsage { GroupBy = by, Group = key };
                int requested = task.Count ?? Math.Max(1, task.ImageUrls.Count);
                row.Tasks++;
                row.ImagesRequested += requested;
                row.ImagesMade += task.ImageUrls.Count;
                row.ImagesSaved += task.Saved.Count;
                var price = ModelCatalog.Find(task.Gateway, task.Model)?.PricePerImageUsd;
                var unit = Gateways.GatewayAdapters.For(task.Gateway).Capabilities.ChargeUnit;
                if (unit == Gateways.ChargeUnit.UsDollars && task.Charge.HasValue)
                {
                    row.ReportedUsd += task.Charge.Value;
                }
                else if (price.HasValue)
                {
                    row.EstimatedUsd += price.Value * requested;
                }
                else row.Unpriced++;
                if (unit == Gateways.ChargeUnit.Credits && task.Charge.HasValue) row.ReportedCredits += task.Charge.Value;
                row.CostUsd = row.ReportedUsd + row.EstimatedUsd;
            }
            return rows.Values.OrderBy(r => r.Group, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static string KeyOf(JournalTask task, string by)
        {
            switch (by.ToLowerInvariant())
            {
                case "day": return task.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(unknown)";
                case "gateway": return task.Gateway.ToString();
                case "model": return task.Model ?? "(unknown)";
                default: return task.Context.TryGetValue(by, out var value) && value != null && Convert.ToString(value, CultureInfo.InvariantCulture).Length > 0
                    ? Convert.ToString(value, CultureInfo.InvariantCulture)
                    : "(none)";
            }
        }
    }
}
