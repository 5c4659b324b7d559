using System;
using System.Collections.Generic;
using System.Linq;
using SeedreamPS.Core.Errors;

namespace SeedreamPS.Core.Requests
{
    /// <summary>A request broke a documented rule; nothing was sent and nothing was charged.</summary>
    public sealed class SeedreamValidationException : ArgumentException, ISeedreamError
    {
        /// <summary>Creates the exception from the problems found.</summary>
        public SeedreamValidationException(IReadOnlyList<ValidationProblem> problems)
            : base(string.Join(" ", problems.Select(p => p.Message)), problems[0].ParameterName)
        {
            Problems = problems;
        }

        /// <summary>Every rule the request broke.</summary>
        public IReadOnlyList<ValidationProblem> Problems { get; }

        /// <inheritdoc />
        public string ErrorId => ErrorIds.InvalidParameter + "." + ParamName;

        /// <inheritdoc />
        public SeedreamErrorCategory Category => SeedreamErrorCategory.InvalidArgument;

        /// <summary>One broken rule of one parameter.</summary>
        public static SeedreamValidationException For(string parameterName, object value, string message) =>
            new SeedreamValidationException(new[] { new ValidationProblem(parameterName, value, message) });

        /// <inheritdoc />
        // ArgumentException appends "(Parameter 'x')"; our messages already name the parameter.
        public override string Message => string.Join(" ", Problems.Select(p => p.Message));
    }
}
