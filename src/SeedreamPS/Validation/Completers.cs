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
            Completion.Models(GatewayOf(fakeBoundParameters), wordToComplete).Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m));

        internal static SeedreamGateway? GatewayOf(IDictionary bound)
        {
            object value = bound?["Gateway"];
            value = Unwrap.Value(value);
            if (value is SeedreamGateway gateway) return gateway;
            return value != null && Enum.TryParse(value.ToString(), true, out SeedreamGateway parsed) ? parsed : (SeedreamGateway?)null;
        }
    }

    /// <summary>Completes -Region with the regions of the gateway given by -Gateway (or of every gateway that has them).</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Regions(ModelCompleter.GatewayOf(fakeBoundParameters), wordToComplete).Select(r => new CompletionResult(r, r, CompletionResultType.ParameterValue, r));
    }

    /// <summary>Completes -Size with auto, the ratios and common explicit sizes of the gateway given by -Gateway.</summary>
    public sealed class SizeCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Sizes(ModelCompleter.GatewayOf(fakeBoundParameters), wordToComplete).Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s));
    }

    /// <summary>Completes a parameter from a <see cref="ValidateChoiceAttribute"/>'s values.</summary>
    public sealed class QualityCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var gateway = ModelCompleter.GatewayOf(fakeBoundParameters);
            object model = fakeBoundParameters?["Model"];
            var info = gateway.HasValue && model != null ? ModelCatalog.Find(gateway.Value, model.ToString()) : null;
            var values = info?.Qualities ?? ModelCatalog.AllQualities;
            return values.Where(q => q.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                .Select(q => new CompletionResult(q, q, CompletionResultType.ParameterValue, q));
        }
    }

    /// <summary>Completes Get-SeedreamUsage -GroupBy with Day, Gateway, Model and the columns tasks in the journal carry.</summary>
    public sealed class UsageGroupCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var names = new List<string> { "Day", "Gateway", "Model" };
            try
            {
                names.AddRange(ModuleSession.Store.Journal.UnsavedTasks().SelectMany(t => t.Context.Keys).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(k => k, StringComparer.OrdinalIgnoreCase));
            }
            catch (System.IO.IOException)
            {
                // No journal to read: the fixed groups only.
            }
            return names.Where(n => n.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
