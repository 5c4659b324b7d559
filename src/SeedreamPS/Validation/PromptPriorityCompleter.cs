using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Validation
{
    /// <summary>Completes -PromptPriority with the priorities of the model given (or the gateway's default model).</summary>
    public sealed class PromptPriorityCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionResults.Of(Completion.PromptPriorities(ModelCompleter.EffectiveGateway(fakeBoundParameters), Unwrap.Text(fakeBoundParameters?["Model"]), wordToComplete));
    }
}
