using System;
using System.Management.Automation;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Waits for Seedream tasks to finish.</para>
    /// <para type="description">Wait-SeedreamTask waits for any number of tasks together, polling each on its gateway's
    /// documented schedule from one loop, with a progress bar. It outputs each task as it finishes, while more are
    /// still arriving from the pipeline (succeeded, failed or cancelled;
    /// a failed task also gets a warning with the gateway's reason). Tasks still running when -TimeoutSec passes are
    /// reported as errors and keep running on the gateway. Ctrl+C stops waiting at once.</para>
    /// </summary>
    /// <example>
    /// <code>Import-Csv .\banners.csv | New-SeedreamImage | Wait-SeedreamTask -TimeoutSec 600</code>
    /// <para>Submits a batch and waits up to ten minutes for all of it.</para>
    /// </example>
    /// <example>
    /// <code>Wait-SeedreamTask -Id task-unified-1757165031-seedream4d | Save-SeedreamImage -Path .\out</code>
    /// <para>Waits for a task by id and saves its images.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Wait, "SeedreamTask", DefaultParameterSetName = ByTaskSet)]
    [OutputType(typeof(SeedreamTask))]
    public sealed class WaitSeedreamTaskCommand : SeedreamApiCmdletBase
    {
        private const string ByIdSet = "ById";
        private const string ByTaskSet = "ByTask";

        /// <summary>
        /// <para type="description">Task objects to wait for.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByTaskSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public SeedreamTask[] InputObject { get; set; }

        /// <summary>
        /// <para type="description">Ids of tasks to wait for.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("TaskId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        /// <summary>
        /// <para type="description">How many seconds to wait at most (default: until every task finishes).</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            WatchTimeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
            OnTaskFinished = task => Pump.Post(() =>
            {
                if (task.Status != SeedreamTaskStatus.Succeeded) WriteWarning(TaskFailedError(task).Exception.Message);
                WriteObject(task);
            });
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByTaskSet)
            {
                foreach (var task in InputObject) TryWatch(task, task);
                return;
            }
            foreach (var id in Id)
            {
                try
                {
                    var client = ClientFor(null);
                    TryWatch(RunAsync(token => client.GetTaskAsync(id, token)), id);
                }
                catch (Exception e) when (e is Core.Http.SeedreamApiException || e is Core.Requests.SeedreamValidationException || e is InvalidOperationException)
                {
                    WriteError(ErrorFor(e, id));
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing() => FinishWork();

        private void TryWatch(SeedreamTask task, object target)
        {
            try
            {
                Watch(task);
            }
            catch (InvalidOperationException e)
            {
                WriteError(ErrorFor(e, target));
            }
        }
    }
}
