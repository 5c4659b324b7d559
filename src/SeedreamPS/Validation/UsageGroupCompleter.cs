using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SeedreamPS.Validation
{
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
            return CompletionResults.Of(names.Where(n => n.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase)));
        }
    }
}
