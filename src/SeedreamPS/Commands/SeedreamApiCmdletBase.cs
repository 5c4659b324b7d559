using System;
using System.Collections.Concurrent;
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
        private readonly ConcurrentDictionary<SeedreamGateway, SeedreamClient> _watchClients = new ConcurrentDictionary<SeedreamGateway, SeedreamClient>();
        private readonly ConcurrentDictionary<SeedreamGateway, SeedreamClient> _downloadClients = new ConcurrentDictionary<SeedreamGateway, SeedreamClient>();
        private SeedreamClient _downloads;
        private TaskWatcher _watcher;
        private ProgressRecord _progress;
        private int _watched;
        private int _finished;

        /// <summary>
        /// <para type="description">The API key for this call only, as a SecureString or a plain string (never echoed).
        /// Without it, the key from Connect-Seedream or the SEEDREAM_API_KEY environment variable is used.</para>
        /// </summary>
        [Parameter]
        [ApiKeyTransformation]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; }

        /// <summary>
        /// <para type="description">The gateway for this call: EvoLink, LinkModel or ModelArk. Without it, the gateway last
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

        /// <summary>How long each watched task may be waited for (null: until it finishes).</summary>
        protected TimeSpan? WatchTimeout { get; set; }

        /// <summary>Called on a worker thread for each watched task as it finishes; may start more work with
        /// <see cref="StartWork"/>. Errors of individual tasks are written as non-terminating errors.</summary>
        protected Action<SeedreamTask> OnTaskFinished { get; set; }

        /// <summary>Starts background work that posts its results to the pipeline thread.</summary>
        protected void StartWork(Func<CancellationToken, Task> work) => Pump.Start(work, Cancellation);

        /// <summary>Hands a task to the shared watcher (started on first use), which polls every task from one loop
        /// and reports each as it finishes, while the pipeline goes on.</summary>
        protected void Watch(SeedreamTask task)
        {
            // Resolved here, on the pipeline thread: the watcher's threads only read this cache.
            _watchClients[task.Gateway] = ClientFor(task.Gateway);
            if (_watcher == null)
            {
                _watcher = new TaskWatcher(t => _watchClients[t.Gateway]);
                _progress = new ProgressRecord(1, "Seedream", "Waiting for tasks");
                StartWork(token => _watcher.RunAsync(WatchTimeout, OnWatchEvent, token));
            }
            _watched++;
            _watcher.Add(task);
        }

        /// <summary>Says no more tasks come, and writes output until every watched task and all work started are done.</summary>
        protected void FinishWork()
        {
            _watcher?.Complete();
            PumpWhile(() => Pump.Running > 0);
            if (_progress != null)
            {
                _progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(_progress);
            }
        }

        private void OnWatchEvent(TaskEvent e)
        {
            switch (e.Kind)
            {
                case TaskEventKind.Progress:
                    Pump.Post(() => ReportProgress(e.Task));
                    break;
                case TaskEventKind.Finished:
                    Interlocked.Increment(ref _finished);
                    Pump.Post(() => ReportProgress(e.Task));
                    OnTaskFinished?.Invoke(e.Task);
                    break;
                default:
                    Interlocked.Increment(ref _finished);
                    Pump.Post(() => WriteError(ErrorFor(e.Error, e.Task)));
                    break;
            }
        }

        private void ReportProgress(SeedreamTask current)
        {
            int finished = Volatile.Read(ref _finished);
            _progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0} of {1} task(s) finished", finished, _watched);
            _progress.PercentComplete = Math.Min(100, finished * 100 / Math.Max(1, _watched));
            _progress.CurrentOperation = string.Format(CultureInfo.InvariantCulture, "{0}: {1} {2}%", current.Id, current.Status, current.Progress);
            WriteProgress(_progress);
        }

        /// <summary>Resolves, on the pipeline thread, the client that will download <paramref name="task"/>'s images:
        /// the task's own connection where there is one, else a key-less download client (result URLs need no key).</summary>
        protected void PrepareDownloadClient(SeedreamTask task)
        {
            if (_downloads == null) _downloads = SeedreamClient.ForDownloads(TimeSpan.FromSeconds(100), 3, Trace);
            if (task == null || _downloadClients.ContainsKey(task.Gateway)) return;
            try
            {
                _downloadClients[task.Gateway] = ClientFor(task.Gateway);
            }
            catch (InvalidOperationException)
            {
                // No key for that gateway: downloading needs none.
                _downloadClients[task.Gateway] = _downloads;
            }
        }

        /// <summary>The client prepared by <see cref="PrepareDownloadClient"/>; safe on any thread.</summary>
        protected SeedreamClient DownloadClientFor(SeedreamTask task) =>
            task != null && _downloadClients.TryGetValue(task.Gateway, out var client) ? client : _downloads;
    }
}
