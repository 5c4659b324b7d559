using System;
using System.Management.Automation;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Validation
{
    /// <summary>Reads a numeric parameter given as text (a CSV cell, a config file, a scheduled task's argument) with
    /// Core's one culture-safe parser, before PowerShell's invariant conversion could read "0,05" as 5. Numbers that
    /// are not text pass through unchanged.</summary>
    public sealed class NumberTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Creates the attribute for a parameter of <paramref name="type"/> (int, long, double or decimal).</summary>
        public NumberTransformationAttribute(Type type) => Type = type;

        /// <summary>The parameter's numeric type.</summary>
        public Type Type { get; }

        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            if (!(Unwrap.Value(inputData) is string text) || string.IsNullOrWhiteSpace(text)) return inputData;
            try
            {
                if (Type == typeof(int) || Type == typeof(long))
                {
                    long whole = NumberText.ParseWhole(text, "The value").Value;
                    if (Type == typeof(long)) return whole;
                    if (whole < int.MinValue || whole > int.MaxValue) throw new FormatException("The value '" + text + "' is too large.");
                    return (int)whole;
                }
                decimal amount = NumberText.ParseDecimal(text, "The value").Value;
                return Type == typeof(double) ? (object)(double)amount : amount;
            }
            catch (FormatException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
    }
}
