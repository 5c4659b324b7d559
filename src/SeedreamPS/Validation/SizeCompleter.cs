using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Validation
{
    /// <summary>Completes -Size with auto, the ratios and common explicit sizes of the gateway given by -Gateway.</summary>
    public sealed class SizeCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionResults.Of(Completion.Sizes(ModelCompleter.GatewayOf(fakeBoundParameters), wordToComplete));
    }
}
