using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Validation
{
    /// <summary>Completes -Region with the regions of the gateway given by -Gateway (or of every gateway that has them).</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionResults.Of(Completion.Regions(ModelCompleter.GatewayOf(fakeBoundParameters), wordToComplete));
    }
}
