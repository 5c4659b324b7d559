using System.Management.Automation;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Validation
{
    /// <summary>-Size: auto, a ratio some gateway lists (16:9 or 16x9), or WIDTHxHEIGHT within the pixel and aspect range
    /// of some model. Whether the chosen model accepts it is checked later, with the model known.</summary>
    public sealed class ValidateSeedreamSizeAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <inheritdoc />
        protected override void ValidateElement(object element)
        {
            string text = Unwrap.Text(element);
            if (string.IsNullOrWhiteSpace(text)) return;
            string error = ParameterRules.CheckSize(text);
            if (error != null) throw new ValidationMetadataException(error);
        }
    }
}
