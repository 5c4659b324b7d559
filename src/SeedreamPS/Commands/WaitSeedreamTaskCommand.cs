using System;
using System.Management.Automation;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Validation;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Waits for Seedream tasks to finish.</para>
    /// <para type="description">Wait-SeedreamTask waits for any number of tasks together, polling each on its gateway's
    /// documented schedule from one loop, with a progress bar. It outputs each task as it finishes, while more are
    /// still arriving from the pipeline (succeeded, failed or cancelled;
    /// a failed task is also a non-terminating error with the gateway's reason, written once down a pipeline). Tasks still running when -TimeoutSec passes are
    /// reported as errors and keep running on the gateway. Ctrl+C stops waiting at once. Piped tasks keep the input
    /// record's columns they carry.</para>
    /// </summary>
    /// <example>
    /// <code>Import-Csv ./examples/prompts.csv | New-SeedreamImage | Wait-SeedreamTask -TimeoutSec 600</code>
    /// <para>Submits a batch and waits up to ten minutes for all of it.</para>
    /// </example>
    /// <example>
    /// <code>$id = (New-SeedreamImage 'A lighthouse at dusk').Id   # or an id from an earlier run's log
    /// Wait-SeedreamTask -Id $id | Save-SeedreamImage -Path ./out</code>
    /// <para>Waits for a task by id and saves its images.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Wait, "SeedreamTask", DefaultParameterSetName = ByInputSet)]
    [OutputType(typeof(SeedreamTask))]
    public sealed class WaitSeedreamTaskCommand : SeedreamApiCmdletBase
    {
        private const string ByIdSet = "ById";
        private const string ByInputSet = "ByInput";

        /// <summary>
        /// <para type="description">Tasks to wait for: task objects, task id strings, or records with an Id or TaskId property.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByInputSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>
        /// <para type="description">Ids of tasks to wait for.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
        [Alias("TaskId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        /// <summary>
        /// <para type="description">How many seconds to wait at most (default: until every task finishes).</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>
        /// <para type="description">Keeps the local reference images uploaded to EvoLink's files API for these tasks. Without
        /// it they are deleted once every task of this command that used them has finished (the files API keeps at most
        /// 100 files; uploads expire after 72 hours anyway).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter KeepUploads { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            StartBatch(new BatchOptions { Wait = true, KeepUploads = KeepUploads, WaitTimeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null });
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByInputSet)
            {
                NoteInput(InputObject);
                foreach (var input in TaskInput.Read(InputObject, this)) Follow(input, InputObject);
                return;
            }
            foreach (var id in Id) Follow(new TaskInput(id, null), id);
        }

        /// <inheritdoc />
        protected override void EndProcessing() => FinishBatch();

        private void Follow(TaskInput input, object target)
        {
            var task = input.Task ?? FetchTask(input.Id, input.Gateway, target);
            if (task == null) return;
            WaitForCapacity();
            Batch.Add(task, target);
        }
    }
}
