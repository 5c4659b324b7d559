using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Session;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Validation;

namespace SeedreamPS.Commands
{
    /// <summary>A cmdlet that calls a gateway. -ApiKey, -Gateway and -BaseUri override, for this call only, what
    /// Connect-Seedream or the SEEDREAM_* environment variables set.</summary>
    public abstract class SeedreamApiCmdletBase : SeedreamCmdletBase
    {
        private readonly Dictionary<SeedreamGateway, SeedreamClient> _clients = new Dictionary<SeedreamGateway, SeedreamClient>();
        private SeedreamClient _downloads;

        /// <summary>
        /// <para type="description">The API key for this call only, as a SecureString or a plain string (never echoed).
        /// Without it, the key from Connect-Seedream or the SEEDREAM_API_KEY environment variable is used.</para>
        /// </summary>
        [Parameter]
        [ApiKeyTransformation]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; }

        /// <summary>
        /// <para type="description">The gateway for this call: EvoLink or LinkModel. Without it, the gateway last
        /// connected with Connect-Seedream, SEEDREAM_GATEWAY, or EvoLink.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SeedreamGateway Gateway { get; set; }

        /// <summary>
        /// <para type="description">The gateway's API root for this call, for example a local simulator
        /// (http:// is accepted only for loopback addresses).</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Uri BaseUri { get; set; }

        /// <summary>Whether -Gateway was given.</summary>
        protected SeedreamGateway? ExplicitGateway => MyInvocation.BoundParameters.ContainsKey(nameof(Gateway)) ? Gateway : (SeedreamGateway?)null;

        /// <summary>The settings given on this call.</summary>
        protected ConnectionSettings ExplicitSettings => new ConnectionSettings
        {
            Gateway = ExplicitGateway,
            ApiKey = ApiKey == null ? null : new SeedreamApiKey(ApiKey),
            BaseUri = BaseUri,
        };

        /// <summary>The client for <paramref name="taskGateway"/> (or the call's gateway), made once per call.</summary>
        /// <exception cref="InvalidOperationException">No key could be found; the message says how to give one.</exception>
        protected SeedreamClient ClientFor(SeedreamGateway? taskGateway)
        {
            var settings = ExplicitSettings;
            // A task knows its gateway; a -Gateway bound from an earlier pipeline record must not contradict it.
            if (taskGateway.HasValue) settings.Gateway = null;
            var connection = ModuleSession.Store.Resolve(taskGateway, settings);
            lock (_clients)
            {
                if (!_clients.TryGetValue(connection.Gateway, out var client))
                {
                    client = new SeedreamClient(connection, Trace);
                    _clients[connection.Gateway] = client;
                }
                return client;
            }
        }

        /// <summary>Waits for <paramref name="tasks"/> together with a progress bar. <paramref name="onFinished"/> runs on a
        /// worker thread for each task as it finishes, and may start more async work (downloads), which is awaited
        /// before this returns. Errors of individual tasks are written as non-terminating errors.</summary>
        protected void WatchTasks(IReadOnlyList<SeedreamTask> tasks, TimeSpan? timeout, Func<SeedreamTask, CancellationToken, Task> onFinished)
        {
            if (tasks.Count == 0) return;
            var clients = tasks.Select(t => t.Gateway).Distinct().ToDictionary(g => g, g => ClientFor(g));
            var watcher = new TaskWatcher(t => clients[t.Gateway]);
            int finished = 0;
            var progress = new ProgressRecord(1, "Seedream", "Waiting for " + tasks.Count + " task(s)");
            RunAsync(async token =>
            {
                var followUps = new List<Task>();
                await watcher.WatchAsync(tasks, timeout, e =>
                {
                    switch (e.Kind)
                    {
                        case TaskEventKind.Progress:
                            Pump.Post(() => ReportProgress(progress, finished, tasks.Count, e.Task));
                            break;
                        case TaskEventKind.Finished:
                            Interlocked.Increment(ref finished);
                            Pump.Post(() => ReportProgress(progress, finished, tasks.Count, e.Task));
                            lock (followUps) followUps.Add(onFinished(e.Task, token));
                            break;
                        default:
                            Interlocked.Increment(ref finished);
                            Pump.Post(() => WriteError(ErrorFor(e.Error, e.Task)));
                            break;
                    }
                }, token).ConfigureAwait(false);
                Task[] pending;
                lock (followUps) pending = followUps.ToArray();
                await Task.WhenAll(pending).ConfigureAwait(false);
            });
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        private void ReportProgress(ProgressRecord progress, int finished, int total, SeedreamTask current)
        {
            progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0} of {1} task(s) finished", finished, total);
            progress.PercentComplete = Math.Min(100, finished * 100 / total);
            progress.CurrentOperation = string.Format(CultureInfo.InvariantCulture, "{0}: {1} {2}%", current.Id, current.Status, current.Progress);
            WriteProgress(progress);
        }

        /// <summary>The client that downloads a task's images: the task's own connection where there is one, else a
        /// key-less download client (result URLs need no key).</summary>
        protected SeedreamClient DownloadClientFor(SeedreamTask task)
        {
            if (task != null)
            {
                try
                {
                    return ClientFor(task.Gateway);
                }
                catch (InvalidOperationException)
                {
                    // No key for that gateway: downloading needs none.
                }
            }
            lock (_clients)
            {
                return _downloads ?? (_downloads = SeedreamClient.ForDownloads(TimeSpan.FromSeconds(100), 3, Trace));
            }
        }
    }
}
