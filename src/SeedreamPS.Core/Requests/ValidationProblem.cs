namespace SeedreamPS.Core.Requests
{
    /// <summary>One broken rule: which parameter, what value, and the rule in words.</summary>
    public sealed class ValidationProblem
    {
        /// <summary>Creates a problem.</summary>
        public ValidationProblem(string parameterName, object value, string message)
        {
            ParameterName = parameterName;
            Value = value;
            Message = message;
        }

        /// <summary>The cmdlet parameter name (Prompt, Size, Quality, Count, ReferenceImage, …).</summary>
        public string ParameterName { get; }

        /// <summary>The value that broke the rule.</summary>
        public object Value { get; }

        /// <summary>A sentence naming the parameter, the value and the rule.</summary>
        public string Message { get; }

        /// <inheritdoc />
        public override string ToString() => Message;
    }
}
