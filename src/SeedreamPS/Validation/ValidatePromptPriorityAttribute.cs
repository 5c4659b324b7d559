using System.Collections.Generic;
using System.Management.Automation;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Validation
{
    /// <summary>-PromptPriority: standard or fast (which the chosen model accepts is checked later).</summary>
    public sealed class ValidatePromptPriorityAttribute : ValidateChoiceAttribute
    {
        /// <inheritdoc />
        public override IReadOnlyList<string> Choices => ModelCatalog.AllPromptPriorities;

        /// <inheritdoc />
        protected override string ParameterName => "PromptPriority";
    }
}
