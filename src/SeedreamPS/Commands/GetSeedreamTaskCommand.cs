using System;
using System.Management.Automation;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the current state of Seedream tasks.</para>
    /// <para type="description">Get-SeedreamTask asks the gateway for a task's status, progress, images and error, by id or
    /// for task objects from the pipeline. Task objects are updated in place, so they keep the input properties they
    /// carry. Ids bind from the pipeline by property name (Id or TaskId), with an optional Gateway column.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SeedreamTask -Id task-unified-1757165031-seedream4d</code>
    /// <para>Shows one EvoLink task.</para>
    /// </example>
    /// <example>
    /// <code>$tasks = Import-Csv .\banners.csv | New-SeedreamImage; $tasks | Get-SeedreamTask | Format-Table</code>
    /// <para>Refreshes a batch of tasks and shows their status and progress.</para>
    /// </example>
    /// <example>
    /// <code>Get-SeedreamTask -Unsaved | Save-SeedreamImage -Path .\out -FileName '{Name}-{Index}.png'</code>
    /// <para>After a crash or a failed download: saves every paid image not yet saved, named as before.</para>
    /// </example>
    /// <example>
    /// <code>Get-SeedreamTask -Gateway LinkModel -Id cb6111cf-e89f-4978-b8e3-aa59c21cceff</code>
    /// <para>Shows a LinkModel task.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SeedreamTask", DefaultParameterSetName = ByIdSet)]
    [OutputType(typeof(SeedreamTask))]
    public sealed class GetSeedreamTaskCommand : SeedreamApiCmdletBase
    {
        private const string ByIdSet = "ById";
        private const string ByTaskSet = "ByTask";
        private const string UnsavedSet = "Unsaved";

        /// <summary>
        /// <para type="description">Task ids as the gateway gave them.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("TaskId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        /// <summary>
        /// <para type="description">Task objects from New-SeedreamImage or another SeedreamPS cmdlet.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ByTaskSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public SeedreamTask[] InputObject { get; set; }

        /// <summary>
        /// <para type="description">Lists the paid tasks in the journal whose images are not all saved yet and have not
        /// expired, with the input properties they carried, ready to pipe into Save-SeedreamImage.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = UnsavedSet)]
        public SwitchParameter Unsaved { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == UnsavedSet)
            {
                foreach (var entry in ModuleSession.Store.Journal.Load().Unsaved)
                {
                    var task = entry.ToTask();
                    if (task.IsFinished) WriteObject(task);
                    else Refresh(task.Gateway, task.Id, task);
                }
                return;
            }
            if (ParameterSetName == ByTaskSet)
            {
                foreach (var task in InputObject) Refresh(task.Gateway, task.Id, task);
            }
            else
            {
                foreach (var id in Id) Refresh(null, id, null);
            }
        }

        private void Refresh(Core.Catalog.SeedreamGateway? gateway, string id, SeedreamTask existing)
        {
            try
            {
                var client = ClientFor(gateway);
                var fresh = RunAsync(token => existing == null ? client.GetTaskAsync(id, token) : client.RefreshAsync(existing, token));
                WriteObject(fresh);
            }
            catch (Exception e) when (e is SeedreamApiException || e is SeedreamValidationException || e is InvalidOperationException)
            {
                WriteError(ErrorFor(e, (object)existing ?? id));
            }
        }
    }
}
