using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Session;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Validation;

namespace SeedreamPS.Commands
{
    /// <summary>A cmdlet that calls a gateway. -ApiKey, -Gateway and -BaseUri override, for this call only, what
    /// Connect-Seedream or the SEEDREAM_* environment variables set. The work itself is Core's <see cref="ImageBatch"/>:
    /// this class turns its events into output, errors, warnings, verbose lines and a progress bar on the pipeline thread.</summary>
    public abstract class SeedreamApiCmdletBase : SeedreamCmdletBase
    {
        private ClientSet _clients;
        private ImageBatch _batch;
        private ProgressRecord _progress;

        /// <summary>
        /// <para type="description">The API key for this call only, as a SecureString or a plain string (never echoed).
        /// Without it, the key from Connect-Seedream or the SEEDREAM_API_KEY environment variable is used. Default: the key of Connect-Seedream, else SEEDREAM_API_KEY.</para>
        /// </summary>
        [Parameter]
        [ApiKeyTransformation]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; }

        /// <summary>
        /// <para type="description">The gateway for this call: EvoLink, LinkModel or ModelArk. Without it, the gateway last
        /// connected with Connect-Seedream, SEEDREAM_GATEWAY, or EvoLink. Tasks always use their own gateway. Default: the gateway last connected, else SEEDREAM_GATEWAY, else EvoLink.</para>
        /// </summary>
        [Parameter]
        public SeedreamGateway Gateway { get; set; }

        /// <summary>
        /// <para type="description">The gateway's API root for this call, for example a local simulator
        /// (http:// is accepted only for loopback addresses). Default: the connection's, else SEEDREAM_BASE_URI, else the gateway's public address.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Uri BaseUri { get; set; }

        /// <summary>Whether -Gateway was given.</summary>
        protected SeedreamGateway? ExplicitGateway => this.IfGiven(nameof(Gateway), Gateway);

        /// <summary>The clients of this call, one per gateway, from the explicit parameters, the session and the environment.</summary>
        protected ClientSet Clients
        {
            get
            {
                if (_clients == null)
                {
                    ConnectionSettings settings;
                    try
                    {
                        // A bad -ApiKey or -BaseUri stops the command at once, with the module's own error id.
                        if (BaseUri != null && !TransportRules.IsAllowed(BaseUri))
                        {
                            throw Core.Requests.SeedreamValidationException.For(nameof(BaseUri), BaseUri, "BaseUri '" + BaseUri + "' must use https:// (plain http:// is allowed only to a loopback address such as 127.0.0.1).");
                        }
                        settings = new ConnectionSettings
                        {
                            Gateway = ExplicitGateway,
                            ApiKey = ApiKey == null ? null : new SeedreamApiKey(ApiKey),
                            BaseUri = BaseUri,
                        };
                    }
                    catch (Exception e) when (e is ISeedreamError)
                    {
                        ThrowTerminatingError(ErrorFor(e, null));
                        throw;
                    }
                    // A URL saved alone belongs to no gateway, but goes through the session's proxy all the same.
                    _clients = new ClientSet(gateway => ModuleSession.Store.Resolve(gateway, settings), Trace, ModuleSession.Store.DefaultConnection);
                }
                return _clients;
            }
        }

        /// <summary>The batch of this call, once started.</summary>
        protected ImageBatch Batch => _batch;

        /// <summary>Starts the batch engine; its events come back on the pipeline thread through <see cref="OnBatchEvent"/>.</summary>
        protected ImageBatch StartBatch(BatchOptions options)
        {
            options.Journal = options.Journal ?? ModuleSession.Store.Journal;
            options.Clients = options.Clients ?? Clients;
            _batch = new ImageBatch(options, e => PostEvent(e), Cancellation);
            return _batch;
        }

        // After a stop nobody writes output any more; what a create answers late is in the journal all the same.
        private void PostEvent(BatchEvent e)
        {
            try
            {
                Pump.Post(() => OnBatchEvent(e));
            }
            catch (Exception error) when (error is ObjectDisposedException || error is InvalidOperationException)
            {
            }
        }

        /// <inheritdoc />
        protected override void OnDisposing()
        {
            // The pipeline may have stopped with creates in flight: they get the batch's short grace period to answer, so
            // their tasks are journalled with ids (-Resume reuses them), and nothing new is sent. A second Ctrl+C ends the wait.
            if (_batch == null) return;
            using (var abandon = new System.Threading.CancellationTokenSource())
            {
                ConsoleCancelEventHandler second = (sender, e) =>
                {
                    e.Cancel = true;
                    abandon.Cancel();
                };
                bool hooked = false;
                if (Cancellation.IsCancellationRequested)
                {
                    try
                    {
                        Console.CancelKeyPress += second;
                        hooked = true;
                    }
                    catch (Exception e) when (e is PlatformNotSupportedException || e is InvalidOperationException || e is System.Security.SecurityException || e is System.IO.IOException)
                    {
                    }
                }
                try
                {
                    _batch.Stop(abandon.Token);
                }
                finally
                {
                    if (hooked) Console.CancelKeyPress -= second;
                }
            }
        }

        /// <summary>Writes output while the batch has no room for more input (back-pressure: a huge input is read only
        /// as fast as the gateway takes it).</summary>
        protected void WaitForCapacity()
        {
            if (_batch != null) PumpWhile(() => !_batch.HasCapacity);
        }

        /// <summary>Writes output while <paramref name="task"/>'s images are still streaming in: PowerShell lets a command
        /// write only while it runs, so a command downstream of New-SeedreamImage outputs each file as its image arrives
        /// only if it stays here until the stream ends.</summary>
        protected void WriteWhileStreaming(SeedreamTask task)
        {
            if (_batch != null && task != null) PumpWhile(() => task.IsStreaming);
        }

        /// <summary>Says no more input comes, and writes output until the batch is done.</summary>
        protected void FinishBatch()
        {
            if (_batch == null) return;
            _batch.Complete();
            PumpWhile(() => !_batch.Completion.IsCompleted);
            Pump.Drain();
            if (_progress != null)
            {
                _progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(_progress);
            }
            if (_batch.Completion.IsCanceled) throw new PipelineStoppedException();
            _batch.Completion.GetAwaiter().GetResult();
            // The key, the balance or the connection failed for every record: one error, after the records that did go.
            if (_batch.BatchFailure is Core.Errors.SeedreamException failure) ThrowTerminatingError(ErrorFor(failure, null));
        }

        /// <summary>Turns one batch event into PowerShell output, on the pipeline thread.</summary>
        protected virtual void OnBatchEvent(BatchEvent e)
        {
            switch (e.Kind)
            {
                case BatchEventKind.Created:
                case BatchEventKind.Reused:
                    WriteVerbose((e.Kind == BatchEventKind.Reused ? "Reused " : "Created ") + e.Task.Gateway + " task " + e.Task.Id + (e.Request == null ? "" : ": " + e.Request.Summary));
                    break;
                case BatchEventKind.Progress:
                    ReportProgress(e.Task);
                    break;
                case BatchEventKind.Finished:
                    ReportProgress(e.Task);
                    // A failed generation is an error where it first surfaces; the task is still output, for the record.
                    if (e.Task.Status != SeedreamTaskStatus.Succeeded) ReportTaskFailure(new SeedreamTaskFailedException(e.Task), e.Task);
                    WriteObject(OutputObjects.Task(e.Task));
                    break;
                case BatchEventKind.NoImages:
                case BatchEventKind.Notice:
                    WriteWarning(e.Error.Message);
                    break;
                case BatchEventKind.Saved:
                    break;
                default:
                    if (e.Task != null) ReportProgress(e.Task);
                    if (e.Error is SeedreamTaskFailedException failed) ReportTaskFailure(failed, e.Target);
                    else WriteError(ErrorFor(e.Error, e.Target));
                    break;
            }
        }

        /// <summary>Writes a failed task's error unless an earlier cmdlet of this pipeline (or script) wrote it already:
        /// one failure, one error, however many cmdlets the task passes through.</summary>
        protected void ReportTaskFailure(SeedreamTaskFailedException failure, object target)
        {
            if (TaskFailures.FirstReport(failure.Task, MyInvocation.HistoryId)) WriteError(ErrorFor(failure, target ?? failure.Task));
            else WriteVerbose("Already reported earlier in this pipeline: " + failure.Message);
        }

        private void ReportProgress(SeedreamTask current)
        {
            int watched = _batch?.WatchedCount ?? 0;
            int expected = _batch?.StreamedImagesExpected ?? 0;
            if (watched == 0 && expected == 0) return;
            int finished = _batch.FinishedCount;
            if (_progress == null) _progress = new ProgressRecord(1, "Seedream", "Waiting for tasks");
            if (expected > 0)
            {
                // Streams count images, one by one as they arrive.
                int arrived = _batch.StreamedImagesArrived;
                _progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0} of {1} image(s) arrived", arrived, expected) +
                    (watched > 0 ? string.Format(CultureInfo.InvariantCulture, "; {0} of {1} task(s) finished", finished, watched) : string.Empty);
                _progress.PercentComplete = Math.Min(100, (arrived + finished) * 100 / Math.Max(1, expected + watched));
            }
            else
            {
                _progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0} of {1} task(s) finished", finished, watched);
                _progress.PercentComplete = Math.Min(100, finished * 100 / Math.Max(1, watched));
            }
            _progress.CurrentOperation = string.Format(CultureInfo.InvariantCulture, "{0}: {1} {2}%", current.Id, current.Status, current.Progress);
            WriteProgress(_progress);
        }

        /// <summary>Reads one task by id on the pipeline thread (errors are written, null returned).</summary>
        protected SeedreamTask FetchTask(string id, SeedreamGateway? gateway, object target)
        {
            try
            {
                var client = Clients.For(gateway);
                return RunAsync(token => client.GetTaskAsync(id, token));
            }
            catch (Exception e) when (e is ISeedreamError)
            {
                WriteError(ErrorFor(e, target));
                return null;
            }
        }
    }
}
