using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Validation
{
    /// <summary>Completes -Quality with the tiers of the model already given (on -Gateway, or the session's gateway).</summary>
    public sealed class QualityCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionResults.Of(Completion.Qualities(ModelCompleter.EffectiveGateway(fakeBoundParameters), Unwrap.Text(fakeBoundParameters?["Model"]), wordToComplete));
    }
}
