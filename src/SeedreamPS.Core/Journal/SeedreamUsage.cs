using System.Globalization;

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
}
