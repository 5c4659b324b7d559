using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Journal
{
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
