using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Validation
{
    /// <summary>Completes -Model with the models of the gateway given by -Gateway (or of every gateway).</summary>
    public sealed class ModelCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionResults.Of(Completion.Models(GatewayOf(fakeBoundParameters), wordToComplete));

        // The gateway a call would use: -Gateway, else the session's, else EvoLink.
        internal static SeedreamGateway EffectiveGateway(IDictionary bound) => GatewayOf(bound) ?? ModuleSession.Store.DefaultGateway ?? Core.Gateways.GatewayAdapters.DefaultGateway;

        internal static SeedreamGateway? GatewayOf(IDictionary bound)
        {
            object value = bound?["Gateway"];
            value = Unwrap.Value(value);
            // Get-SeedreamModel -Gateway takes several; the first names the models offered.
            if (value is IList list && list.Count > 0) value = Unwrap.Value(list[0]);
            if (value is SeedreamGateway gateway) return gateway;
            return value != null && Enum.TryParse(value.ToString(), true, out SeedreamGateway parsed) ? parsed : (SeedreamGateway?)null;
        }
    }
}
