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
            string text = (element is PSObject wrapped ? wrapped.BaseObject : element)?.ToString();
            if (string.IsNullOrWhiteSpace(text)) return;
            string rule = CallbackUrlRule.Check(text.Trim());
            if (rule != null) throw new ValidationMetadataException("CallbackUri " + rule + ".");
        }
    }
}
