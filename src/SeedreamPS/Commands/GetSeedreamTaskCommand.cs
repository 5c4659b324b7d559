using System;
using System.Collections.Generic;
using System.Management.Automation;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the current state of Seedream tasks.</para>
    /// <para type="description">Get-SeedreamTask asks the gateway for a task's status, progress, images and error, by id or
    /// for task objects from the pipeline. Task objects are updated in place, so they keep the input record's columns they
    /// carry (as properties and in Context). From the pipeline it also takes id strings and records with an Id or TaskId
    /// column (and an optional Gateway column).</para>
    /// </summary>
    /// <example>
    /// <code>$id = (New-SeedreamImage 'A lighthouse at dusk').Id   # or an id from an earlier run's log
    /// Get-SeedreamTask -Id $id</code>
    /// <para>Shows one task of the session's gateway by its id.</para>
    /// </example>
    /// <example>
    /// <code>$tasks = Import-Csv ./examples/prompts.csv | New-SeedreamImage; $tasks | Get-SeedreamTask | Format-Table</code>
    /// <para>Refreshes a batch of tasks and shows their status and progress.</para>
    /// </example>
    /// <example>
    /// <code>Get-SeedreamTask -Unsaved | Save-SeedreamImage -Path ./out</code>
    /// <para>After a crash or a failed download: saves every paid image not yet saved, from any batch, named by task id and
    /// image index.</para>
    /// </example>
    /// <example>
    /// <code>$id = (New-SeedreamImage 'A lighthouse at dusk' -Gateway LinkModel).Id
    /// Get-SeedreamTask -Gateway LinkModel -Id $id</code>
    /// <para>Shows a LinkModel task while the session's default gateway is another (LinkModel ids are UUIDs).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SeedreamTask", DefaultParameterSetName = ByIdSet)]
    [OutputType(typeof(SeedreamTask))]
    public sealed class GetSeedreamTaskCommand : SeedreamApiCmdletBase
    {
        private const string ByIdSet = "ById";
        private const string ByInputSet = "ByInput";
        private const string UnsavedSet = "Unsaved";

        /// <summary>
        /// <para type="description">Task ids as the gateway gave them.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
        [Alias("TaskId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        /// <summary>
        /// <para type="description">Task objects from New-SeedreamImage or another SeedreamPS cmdlet (refreshed in place,
        /// keeping what they carry), task id strings, or records with an Id or TaskId property.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ByInputSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>
        /// <para type="description">Lists the paid tasks in the journal whose images are not all saved yet and have not
        /// expired, with the input properties they carried, ready to pipe into Save-SeedreamImage.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = UnsavedSet)]
        public SwitchParameter Unsaved { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case UnsavedSet:
                    foreach (var task in ModuleSession.Store.Journal.UnsavedTasks())
                    {
                        if (task.IsFinished) WriteObject(OutputObjects.Task(task));
                        else Refresh(task, task);
                    }
                    break;
                case ByInputSet:
                    NoteInput(InputObject);
                    foreach (var item in TaskInput.Read(InputObject, this)) Refresh(item, InputObject);
                    break;
                default:
                    foreach (var id in Id) Refresh(new TaskInput(id, null), id);
                    break;
            }
        }

        private void Refresh(TaskInput input, object target)
        {
            if (input.Task != null) Refresh(input.Task, target);
            else if (FetchTask(input.Id, input.Gateway, target) is SeedreamTask fresh) WriteObject(OutputObjects.Task(fresh));
        }

        private void Refresh(SeedreamTask task, object target)
        {
            try
            {
                // Such a task needs no connection to its gateway.
                if (GatewayAdapters.For(task.Gateway).Capabilities.IsOwnCurrentState(task))
                {
                    WriteObject(OutputObjects.Task(task));
                    return;
                }
                var client = Clients.For(task.Gateway);
                // In place: the request and the carried record stay with the task.
                WriteObject(OutputObjects.Task(RunAsync(token => client.RefreshAsync(task, token))));
            }
            catch (Exception e) when (e is ISeedreamError)
            {
                WriteError(ErrorFor(e, target));
            }
        }
    }
}
