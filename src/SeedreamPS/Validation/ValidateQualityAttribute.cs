using System.Collections.Generic;
using System.Management.Automation;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Validation
{
    /// <summary>-Quality: one of the catalogue's quality tiers (which the chosen model accepts is checked later).</summary>
    public sealed class ValidateQualityAttribute : ValidateChoiceAttribute
    {
        /// <inheritdoc />
        public override IReadOnlyList<string> Choices => ModelCatalog.AllQualities;

        /// <inheritdoc />
        protected override string ParameterName => "Quality";
    }
}
