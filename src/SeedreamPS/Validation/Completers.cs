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

    /// <summary>Completes -Quality with the tiers of the model already given (on -Gateway, or the session's gateway).</summary>
    public sealed class QualityCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Qualities(ModelCompleter.EffectiveGateway(fakeBoundParameters), Unwrap.Text(fakeBoundParameters?["Model"]), wordToComplete)
                .Select(q => new CompletionResult(q, q, CompletionResultType.ParameterValue, q));
    }

    /// <summary>Completes -PromptPriority with the priorities of the model given (or the gateway's default model).</summary>
    public sealed class PromptPriorityCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.PromptPriorities(ModelCompleter.EffectiveGateway(fakeBoundParameters), Unwrap.Text(fakeBoundParameters?["Model"]), wordToComplete)
                .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, p));
    }

    /// <summary>Completes Save-SeedreamImage -FileName with templates, and the tokens inside one being typed.</summary>
    public sealed class FileNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.FileNameTemplates(wordToComplete).Select(t => new CompletionResult(t, t, CompletionResultType.ParameterValue, t));
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
