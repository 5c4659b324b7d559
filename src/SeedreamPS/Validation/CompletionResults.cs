using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace SeedreamPS.Validation
{
    /// <summary>Turns completion values into what PowerShell shows: each value as its own text, list item and tooltip.</summary>
    internal static class CompletionResults
    {
        public static IEnumerable<CompletionResult> Of(IEnumerable<string> values) =>
            values.Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }
}
