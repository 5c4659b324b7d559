using System.Collections.Generic;
using System.Management.Automation;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Validation
{
    /// <summary>A ValidateSet whose values come from the Core catalogue, and which lets a blank value (an empty CSV
    /// cell) through as "not given". Matching ignores case.</summary>
    public abstract class ValidateChoiceAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <summary>The accepted values.</summary>
        public abstract IReadOnlyList<string> Choices { get; }

        /// <summary>The parameter's name, for the message.</summary>
        protected abstract string ParameterName { get; }

        /// <inheritdoc />
        protected override void ValidateElement(object element)
        {
            string error = ParameterRules.CheckChoice(ParameterName, Unwrap.Text(element), Choices);
            if (error != null) throw new ValidationMetadataException(error);
        }
    }
}
