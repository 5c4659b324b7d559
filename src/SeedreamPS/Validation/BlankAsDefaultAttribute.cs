using System.Management.Automation;

namespace SeedreamPS.Validation
{
    /// <summary>Turns a blank value (an empty CSV cell) into the parameter's default before it is validated,
    /// so <c>Import-Csv</c> rows with empty columns bind.</summary>
    public sealed class BlankAsDefaultAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Creates the attribute with the value a blank becomes.</summary>
        public BlankAsDefaultAttribute(object defaultValue) => DefaultValue = defaultValue;

        /// <summary>The value a blank becomes.</summary>
        public object DefaultValue { get; }

        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = Unwrap.Value(inputData);
            return value is string text && string.IsNullOrWhiteSpace(text) ? DefaultValue : inputData;
        }
    }
}
