using System.Management.Automation;
using System.Security;

namespace SeedreamPS.Validation
{
    /// <summary>Lets -ApiKey take a plain string as well as a SecureString; the string is converted at once
    /// and never echoed.</summary>
    public sealed class ApiKeyTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = Unwrap.Value(inputData);
            if (value is string text)
            {
                var secure = new SecureString();
                foreach (char c in text.Trim()) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            return value;
        }
    }
}
