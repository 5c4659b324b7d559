using System.Collections.Generic;
using System.Management.Automation;
using SeedreamPS.Core;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>A task from the pipeline as Get-, Wait- and Save- take it: the task object itself, or an id (with the
    /// gateway a record names). One pipeline parameter takes all of these, so a piped task is never mistaken for a
    /// record whose Id property should be looked up afresh (which would lose what the task carries).</summary>
    internal sealed class TaskInput
    {
        public TaskInput(string id, SeedreamGateway? gateway)
        {
            Id = id;
            Gateway = gateway;
        }

        public TaskInput(SeedreamTask task)
        {
            Task = task;
            Id = task.Id;
            Gateway = task.Gateway;
        }

        /// <summary>The task object, when one was piped.</summary>
        public SeedreamTask Task { get; }

        /// <summary>The task id.</summary>
        public string Id { get; }

        /// <summary>The gateway, where known.</summary>
        public SeedreamGateway? Gateway { get; }

        /// <summary>Reads one pipeline object; writes an error and yields nothing for anything that is no task.</summary>
        public static IEnumerable<TaskInput> Read(PSObject input, SeedreamCmdletBase cmdlet)
        {
            object value = input?.BaseObject;
            if (value is SeedreamTask task)
            {
                yield return new TaskInput(task);
                yield break;
            }
            if (value is string text && !string.IsNullOrWhiteSpace(text))
            {
                yield return new TaskInput(text.Trim(), null);
                yield break;
            }
            string id = Text.NullIfBlank(input?.Properties["Id"]?.Value?.ToString() ?? input?.Properties["TaskId"]?.Value?.ToString());
            if (id == null)
            {
                cmdlet.WriteErrorFor(new SeedreamException(ErrorIds.UnsupportedInput, SeedreamErrorCategory.InvalidType,
                    "Expected a Seedream task, a task id, or a record with an Id or TaskId property; '" + value + "' is none of these."), input);
                yield break;
            }
            string gatewayText = Text.NullIfBlank(input.Properties["Gateway"]?.Value?.ToString());
            SeedreamGateway? gateway = null;
            if (gatewayText != null && System.Enum.TryParse(gatewayText, true, out SeedreamGateway parsed)) gateway = parsed;
            yield return new TaskInput(id, gateway);
        }
    }
}
