using System.Management.Automation;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Validation
{
    /// <summary>-CallbackUri: the gateways' documented rules (HTTPS, no internal host, at most 2048 characters).</summary>
    public sealed class ValidateCallbackUriAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <inheritdoc />
        protected override void ValidateElement(object element)
        {
            string error = ParameterRules.CheckCallback(Unwrap.Text(element));
            if (error != null) throw new ValidationMetadataException(error);
        }
    }
}
