using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
    /// <summary>How an <see cref="ImageBatch"/> works.</summary>
    public sealed class BatchOptions
    {
        /// <summary>Where paid tasks and saved files are recorded (required: nothing paid for may be forgotten).</summary>
        public TaskJournal Journal { get; set; }

        /// <summary>The clients, one per gateway.</summary>
        public ClientSet Clients { get; set; }

        /// <summary>Reuse tasks of earlier runs for identical requests from identical records.</summary>
        public bool Resume { get; set; }

        /// <summary>With <see cref="Resume"/>: send again requests whose earlier outcome is unknown (may pay twice).</summary>
        public bool RetryUnknown { get; set; }

        /// <summary>Most create requests in flight at once.</summary>
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>The default: the gateways publish no rate limit for creates (ModelArk allows 500 images a minute); ten
        /// at once submits hundreds of rows in seconds while staying far from any limit, and a 429 is retried safely.</summary>
        public const int DefaultThrottleLimit = 10;

        /// <summary>Watch created and added tasks until they finish (implied by <see cref="Save"/>).</summary>
        public bool Wait { get; set; }

        /// <summary>Save the images of finished tasks by these rules; null saves nothing.</summary>
        public SaveOptions Save { get; set; }

        /// <summary>How long each task may be watched; null waits until it finishes.</summary>
        public TimeSpan? WaitTimeout { get; set; }

        /// <summary>The most this batch may spend, in US dollars, by the catalogue's estimate for Count images per request
        /// (the gateways pre-charge for Count); null for no budget. Reused tasks cost nothing against it.</summary>
        public decimal? MaxCostUsd { get; set; }

        /// <summary>Under a budget, send requests for models without a published price (they count as nothing).</summary>
        public bool AllowUnpriced { get; set; }

        /// <summary>Keep the reference images uploaded for the batch's tasks (EvoLink's files API) instead of deleting them
        /// once every task of the batch that used them has finished.</summary>
        public bool KeepUploads { get; set; }

        /// <summary>Environment variable that sets a budget for scheduled jobs (US dollars, invariant culture: 12.50).</summary>
        public const string MaxCostVariable = "SEEDREAM_MAX_COST_USD";

        /// <summary>The budget <paramref name="text"/> (the variable's value) gives: null when blank.</summary>
        /// <exception cref="SeedreamException">Not a non-negative amount.</exception>
        public static decimal? ParseBudget(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            // The same parser as -MaxCostUsd: "0,05" is five cents, never 5 dollars; "1,000" is refused as ambiguous.
            try
            {
                decimal? value = NumberText.ParseDecimal(text, MaxCostVariable);
                if (value >= 0) return value;
            }
            catch (FormatException e)
            {
                throw SeedreamException.InvalidConfiguration("The " + MaxCostVariable + " environment variable says '" + text + "', which is not an amount in US dollars such as 12.50: " + e.Message);
            }
            throw SeedreamException.InvalidConfiguration("The " + MaxCostVariable + " environment variable says '" + text + "', which is not an amount in US dollars such as 12.50.");
        }
    }

    /// <summary>The batch engine every entry point runs (the cmdlets, the demo, the benchmark and the crash test): it
    /// takes requests with their input records, fed lazily with back-pressure, and turns each into events. It owns the
    /// throttled creates, the journal (each create recorded before it is sent and again with its task before anyone sees
    /// it; each saved file recorded), resume, the shared watcher, the concurrent atomic downloads and cancellation.
    /// <see cref="BatchEvent"/>s are raised on worker threads, possibly at once from several; a PowerShell caller hands
    /// them to its pipeline thread.</summary>
    public sealed class ImageBatch
    {
        private readonly BatchOptions _options;
        private readonly Action<BatchEvent> _onEvent;
        private readonly CancellationToken _cancellation;
        private readonly Dictionary<string, int> _occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly SemaphoreSlim _createSlots;
        private readonly SemaphoreSlim _downloadSlots;
        private readonly TaskCompletionSource<bool> _done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _gate = new object();
        private TaskWatcher _watcher;
        private Task _watching;
        private int _outstanding;
        private int _pendingSaves;
        private bool _completing;
        private int _watched;
        private int _finished;
        private decimal _committedUsd;
        private readonly Dictionary<string, List<SeedreamTask>> _uploadUsers = new Dictionary<string, List<SeedreamTask>>(StringComparer.Ordinal);

        /// <summary>Creates a batch; <paramref name="onEvent"/> receives every event, on worker threads.</summary>
        public ImageBatch(BatchOptions options, Action<BatchEvent> onEvent, CancellationToken cancellation = default(CancellationToken))
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.Journal == null) throw new ArgumentException("A batch needs a journal.", nameof(options));
            if (options.Clients == null) throw new ArgumentException("A batch needs its clients.", nameof(options));
            _onEvent = onEvent ?? throw new ArgumentNullException(nameof(onEvent));
            _cancellation = cancellation;
            _createSlots = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
            _downloadSlots = new SemaphoreSlim(Math.Max(1, options.Save?.MaxConcurrentDownloads ?? 1));
            // Other processes may have recorded tasks since this session read the journal.
            if (options.Resume) options.Journal.Refresh();
        }

        /// <summary>Completes when <see cref="Complete"/> was called and every item has reached its last event.</summary>
        public Task Completion => _done.Task;

        /// <summary>Whether another create can start now and the queue of saves is short: a feeder that waits while this
        /// is false reads a huge input only as fast as the gateway takes it.</summary>
        public bool HasCapacity => _createSlots.CurrentCount > 0 && Volatile.Read(ref _pendingSaves) < 4 * Math.Max(1, _options.Save?.MaxConcurrentDownloads ?? 1);

        /// <summary>Tasks handed to the watcher so far.</summary>
        public int WatchedCount => Volatile.Read(ref _watched);

        /// <summary>Watched tasks that have finished, failed to be read or timed out.</summary>
        public int FinishedCount => Volatile.Read(ref _finished);

        /// <summary>The estimated cost of what this batch has sent (or is sending), in US dollars.</summary>
        public decimal CommittedUsd
        {
            get
            {
                lock (_gate) return _committedUsd;
            }
        }

        /// <summary>Whether <paramref name="request"/> fits what is left of the budget (always, without one). A model
        /// without a published price fits only when allowed.</summary>
        public bool FitsBudget(ValidatedRequest request)
        {
            if (!_options.MaxCostUsd.HasValue) return true;
            if (!request.EstimatedCostUsd.HasValue) return _options.AllowUnpriced;
            lock (_gate) return _committedUsd + request.EstimatedCostUsd.Value <= _options.MaxCostUsd.Value;
        }

        /// <summary>Checks, creates (or, with resume, reuses or holds) one request. Runs the checks at once on the calling
        /// thread, in input order (repeated identical records are told apart by their order); the create runs in the
        /// background. Waits for a free create slot when none is free (see <see cref="HasCapacity"/>).</summary>
        /// <param name="request">The request.</param>
        /// <param name="gateway">The record's gateway; null for the batch's default.</param>
        /// <param name="context">The input record's properties, carried by the task and journalled with it.</param>
        /// <param name="target">What events about this item name as their target.</param>
        /// <param name="confirm">Asked, with the checked request, whether to send it (-WhatIf, -Confirm); null sends.</param>
        public SubmitOutcome Submit(SeedreamRequest request, SeedreamGateway? gateway, IDictionary<string, object> context, object target, Func<ValidatedRequest, bool> confirm = null)
        {
            ThrowIfCompleting();
            SeedreamClient client;
            ValidatedRequest validated;
            try
            {
                client = _options.Clients.For(gateway);
                validated = client.Validate(request);
            }
            catch (Exception e) when (e is ISeedreamError)
            {
                Raise(new BatchEvent(BatchEventKind.Invalid, target, error: e));
                return SubmitOutcome.Invalid;
            }
            if (confirm != null && !confirm(validated)) return SubmitOutcome.Declined;

            context = context ?? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            var key = KeyFor(validated, context);
            JournalTask earlier = null;
            bool reuse = false;
            if (_options.Resume)
            {
                switch (_options.Journal.StatusOf(key, out earlier))
                {
                    case AttemptStatus.Created:
                        reuse = earlier != null && !earlier.IsExpired;
                        break;
                    case AttemptStatus.Unknown when !_options.RetryUnknown:
                        Raise(new BatchEvent(BatchEventKind.Held, target, error: new SeedreamException(ErrorIds.OutcomeUnknown, SeedreamErrorCategory.ResourceExists, HoldMessage(validated)), request: validated));
                        return SubmitOutcome.Held;
                }
            }

            // A slot first, so creates still in flight have settled what they cost when the budget is checked.
            _createSlots.Wait(_cancellation);
            // The budget: what this invocation sends never exceeds it. A reused task costs nothing.
            decimal cost = reuse ? 0m : validated.EstimatedCostUsd ?? 0m;
            if (!reuse && _options.MaxCostUsd is decimal budget)
            {
                SeedreamException overBudget = null;
                lock (_gate)
                {
                    if (!validated.EstimatedCostUsd.HasValue && !_options.AllowUnpriced)
                    {
                        overBudget = new SeedreamException(ErrorIds.BudgetUnpriced, SeedreamErrorCategory.LimitsExceeded, string.Format(CultureInfo.InvariantCulture,
                            "{0} has no published price, so it cannot be counted against the budget of ${1:0.000}; it was not sent. Use -AllowUnpricedModel to send it anyway.",
                            validated.Model.Id, budget));
                    }
                    else if (_committedUsd + cost > budget)
                    {
                        overBudget = new SeedreamException(ErrorIds.BudgetExceeded, SeedreamErrorCategory.LimitsExceeded, string.Format(CultureInfo.InvariantCulture,
                            "The budget is ${0:0.000} and ${1:0.000} is committed; this record would cost ${2:0.000} ({3}), so it was not sent.",
                            budget, _committedUsd, cost, validated.Summary));
                    }
                    else _committedUsd += cost;
                }
                if (overBudget != null)
                {
                    _createSlots.Release();
                    Raise(new BatchEvent(BatchEventKind.Refused, target, error: overBudget, request: validated));
                    return SubmitOutcome.OverBudget;
                }
            }

            Begin();
            Task.Run(async () =>
            {
                try
                {
                    var task = reuse
                        ? await ReuseAsync(client, earlier, validated, context).ConfigureAwait(false)
                        : await CreateAsync(client, validated, key, context).ConfigureAwait(false);
                    Raise(new BatchEvent(reuse ? BatchEventKind.Reused : BatchEventKind.Created, target, task, request: validated));
                    if (!reuse) ReportFailedImages(task, target);
                    if (_options.Wait || _options.Save != null) Follow(task, task);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    bool refused = e is SeedreamApiException api && !api.OutcomeUnknown;
                    // A create the gateway refused made nothing: its cost goes back to the budget.
                    if (refused && cost > 0) lock (_gate) _committedUsd -= cost;
                    Raise(new BatchEvent(refused ? BatchEventKind.Refused : BatchEventKind.Failed, target, error: SeedreamException.From(e), request: validated));
                }
                finally
                {
                    _createSlots.Release();
                    End();
                }
            });
            return SubmitOutcome.Accepted;
        }

        /// <summary><see cref="Submit"/> for async callers: waits for a free create slot without blocking a thread.</summary>
        public async Task<SubmitOutcome> SubmitAsync(SeedreamRequest request, SeedreamGateway? gateway, IDictionary<string, object> context, object target)
        {
            await _createSlots.WaitAsync(_cancellation).ConfigureAwait(false);
            _createSlots.Release();
            return Submit(request, gateway, context, target);
        }

        /// <summary>Takes an existing task: watches it until it finishes (when waiting or saving) and saves its images
        /// (when saving); a finished task is reported or saved at once.</summary>
        public void Add(SeedreamTask task, object target = null)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            ThrowIfCompleting();
            Begin();
            try
            {
                Follow(task, target ?? task);
            }
            finally
            {
                End();
            }
        }

        /// <summary>Saves one image (from a URL, or one image of a task) by the batch's save rules.</summary>
        public void AddImage(SeedreamImage image, SeedreamTask task = null, object target = null)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            if (_options.Save == null) throw new InvalidOperationException("This batch does not save images.");
            ThrowIfCompleting();
            Begin();
            Interlocked.Increment(ref _pendingSaves);
            Task.Run(async () =>
            {
                try
                {
                    await SaveImageAsync(task, image, target ?? (object)task ?? image).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _pendingSaves);
                    End();
                }
            });
        }

        /// <summary>Says no more items come: <see cref="Completion"/> completes once every item is done.</summary>
        public void Complete()
        {
            lock (_gate) _completing = true;
            Begin();
            End();
        }

        // ---- Creating -------------------------------------------------------------------------------------------------

        private JournalKey KeyFor(ValidatedRequest request, IDictionary<string, object> context)
        {
            string fingerprint = RequestFingerprint.Of(request);
            string record = RequestFingerprint.OfContext(context);
            string pair = fingerprint + "|" + record;
            _occurrences.TryGetValue(pair, out int seen);
            _occurrences[pair] = seen + 1;
            return new JournalKey(fingerprint, record, seen);
        }

        /// <summary>The message for a held request.</summary>
        public static string HoldMessage(ValidatedRequest request) =>
            "An earlier run sent this request and never heard back, so a task may exist that cannot be found (prompt '" +
            Text.Shorten(request.Prompt) + "'). It was not sent again, so it is not paid for twice; use -RetryUnknown to send it anyway.";

        // The journal holds the attempt before it is sent and the task before anyone sees it: a crash loses nothing paid for.
        private async Task<SeedreamTask> CreateAsync(SeedreamClient client, ValidatedRequest request, JournalKey key, IDictionary<string, object> context)
        {
            var journal = _options.Journal;
            await Journalled(journal.RecordAttemptAsync(key, request.Gateway, request.Model.Id)).ConfigureAwait(false);
            SeedreamTask task;
            try
            {
                task = await client.CreateTaskAsync(request, _cancellation).ConfigureAwait(false);
            }
            catch (SeedreamApiException e)
            {
                if (e.OutcomeUnknown) await Journalled(journal.RecordUnknownAsync(key, e.Message)).ConfigureAwait(false);
                else await Journalled(journal.RecordRefusedAsync(key, e.Message)).ConfigureAwait(false);
                throw;
            }
            catch (OperationCanceledException)
            {
                await Journalled(journal.RecordUnknownAsync(key, "cancelled while the request was under way")).ConfigureAwait(false);
                throw;
            }
            foreach (var pair in context) task.Context[pair.Key] = pair.Value;
            await Journalled(journal.RecordCreatedAsync(key, task)).ConfigureAwait(false);
            return task;
        }

        private async Task<SeedreamTask> ReuseAsync(SeedreamClient client, JournalTask earlier, ValidatedRequest request, IDictionary<string, object> context)
        {
            SeedreamTask task = earlier.ToTask();
            task.Reused = true;
            // A synchronous gateway's task is complete in the journal; others are asked for their state now.
            if (!client.Capabilities.Synchronous) await client.RefreshAsync(task, _cancellation).ConfigureAwait(false);
            task.Request = request.Source;
            foreach (var pair in context) task.Context[pair.Key] = pair.Value;
            return task;
        }

        // A batch the gateway made only part of: each image it could not make is an error of its own; the rest go on.
        private void ReportFailedImages(SeedreamTask task, object target)
        {
            foreach (var failure in task.FailedImages)
            {
                string code = string.IsNullOrWhiteSpace(failure.Error.Code) ? "unknown" : failure.Error.Code;
                Raise(new BatchEvent(BatchEventKind.Failed, target, task, new SeedreamException(ErrorIds.TaskFailed + "." + code, SeedreamErrorCategory.InvalidResult,
                    string.Format(CultureInfo.InvariantCulture, "Image {0} of task {1} on {2} was not made: {3} The other {4} image(s) were.",
                        failure.Position, task.Id, task.Gateway, failure.Error, task.Images.Count))));
            }
        }

        // ---- Watching -------------------------------------------------------------------------------------------------

        private void Follow(SeedreamTask task, object target)
        {
            lock (_gate)
            {
                foreach (var fileId in task.UploadedFiles)
                {
                    if (!_uploadUsers.TryGetValue(fileId, out var users)) _uploadUsers[fileId] = users = new List<SeedreamTask>();
                    if (!users.Contains(task)) users.Add(task);
                }
            }
            if (task.IsFinished)
            {
                Finished(task, target);
                return;
            }
            if (!_options.Wait && _options.Save == null)
            {
                Raise(new BatchEvent(BatchEventKind.Finished, target, task));
                return;
            }
            try
            {
                // Resolved here, on the caller's thread: a task on a gateway without a key fails alone.
                _options.Clients.For(task.Gateway);
            }
            catch (SeedreamException e)
            {
                Raise(new BatchEvent(BatchEventKind.Failed, target, task, e));
                return;
            }
            Begin();
            Interlocked.Increment(ref _watched);
            lock (_gate)
            {
                if (_watcher == null)
                {
                    _watcher = new TaskWatcher(t => _options.Clients.For(t.Gateway));
                    _watching = Task.Run(() => _watcher.RunAsync(_options.WaitTimeout, OnWatched, _cancellation));
                    _watching.ContinueWith(t => Fault(t), TaskContinuationOptions.NotOnRanToCompletion);
                }
                _watcher.Add(task);
            }
        }

        private void OnWatched(TaskEvent e)
        {
            switch (e.Kind)
            {
                case TaskEventKind.Progress:
                    Raise(new BatchEvent(BatchEventKind.Progress, e.Task, e.Task));
                    return;
                case TaskEventKind.Finished:
                    Interlocked.Increment(ref _finished);
                    Finished(e.Task, e.Task);
                    break;
                case TaskEventKind.TimedOut:
                    Interlocked.Increment(ref _finished);
                    Raise(new BatchEvent(BatchEventKind.TimedOut, e.Task, e.Task, new SeedreamException(ErrorIds.Timeout, SeedreamErrorCategory.OperationTimeout, e.Error.Message, e.Error)));
                    break;
                default:
                    Interlocked.Increment(ref _finished);
                    Raise(new BatchEvent(BatchEventKind.Failed, e.Task, e.Task, SeedreamException.From(e.Error)));
                    break;
            }
            End();
        }

        private void Finished(SeedreamTask task, object target)
        {
            if (_options.Save == null)
            {
                Raise(new BatchEvent(BatchEventKind.Finished, target, task));
                return;
            }
            Begin();
            Interlocked.Increment(ref _pendingSaves);
            Task.Run(async () =>
            {
                try
                {
                    await SaveTaskAsync(task, target).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _pendingSaves);
                    End();
                }
            });
        }

        // ---- Saving ---------------------------------------------------------------------------------------------------

        private async Task SaveTaskAsync(SeedreamTask task, object target)
        {
            var journal = _options.Journal;
            if (task.Status != SeedreamTaskStatus.Succeeded)
            {
                // Marked in the journal, so the task is not listed as unsaved.
                try
                {
                    if (task.Id != null) await Journalled(journal.RecordFailedAsync(task)).ConfigureAwait(false);
                    Raise(new BatchEvent(BatchEventKind.Failed, target, task, new SeedreamTaskFailedException(task)));
                }
                catch (SeedreamException e)
                {
                    Raise(new BatchEvent(BatchEventKind.Failed, target, task, e));
                }
                return;
            }
            if (task.Images.Count == 0)
            {
                Raise(new BatchEvent(BatchEventKind.NoImages, target, task, new SeedreamException(ErrorIds.NoImages, SeedreamErrorCategory.InvalidResult,
                    "Task " + task.Id + " succeeded without images (the prompt may have asked for fewer than Count).")));
                return;
            }
            // The journal learns how many images there are, so a task half saved stays listed as unsaved. Not awaited: the
            // saves' own records queue behind it (and report a journal that cannot be written), and a re-run that finds
            // it missing queries the task again.
            if (task.Id != null && !journal.KnowsImagesOf(task.Id)) Observe(journal.RecordCompletedAsync(task));
            await Task.WhenAll(task.Images.Select(image => SaveImageAsync(task, image, target))).ConfigureAwait(false);
        }

        private async Task SaveImageAsync(SeedreamTask task, SeedreamImage image, object target)
        {
            var save = _options.Save;
            var journal = _options.Journal;
            string taskId = task?.Id ?? image.TaskId;
            try
            {
                string path = TargetPath(task, image);
                bool savedBefore = taskId != null && journal.WasSavedTo(taskId, image.Index, path);
                if ((save.ExistingFile == ExistingFileAction.Skip || savedBefore) && File.Exists(path))
                {
                    // Already here: a re-run saves only what is missing.
                    image.Path = path;
                    Raise(new BatchEvent(BatchEventKind.Saved, target, task, saved: new SavedImage(task, image, path, 0, null, skipped: true)));
                    return;
                }
                var download = new DownloadOptions { Overwrite = save.ExistingFile == ExistingFileAction.Overwrite, MaxBytes = save.MaxBytes };
                await _downloadSlots.WaitAsync(_cancellation).ConfigureAwait(false);
                DownloadResult result;
                try
                {
                    result = await _options.Clients.ForDownload(task).DownloadAsync(image, path, download, _cancellation).ConfigureAwait(false);
                }
                finally
                {
                    _downloadSlots.Release();
                }
                if (taskId != null) await Journalled(journal.RecordSavedAsync(taskId, image.Index, result.Path, result.Length)).ConfigureAwait(false);
                var savedImage = new SavedImage(task, image, result.Path, result.Length, result.Format, skipped: false);
                if (save.Sidecar) await DiskWork.Run(() => ImageProvenance.Of(savedImage).WriteSidecar()).ConfigureAwait(false);
                Raise(new BatchEvent(BatchEventKind.Saved, target, task, saved: savedImage));
            }
            catch (SeedreamApiException e) when (e.ErrorCode == "image_expired")
            {
                if (taskId != null)
                {
                    try
                    {
                        await Journalled(journal.RecordExpiredAsync(taskId)).ConfigureAwait(false);
                    }
                    catch (SeedreamException)
                    {
                        // The expiry is reported below all the same.
                    }
                }
                Raise(new BatchEvent(BatchEventKind.Expired, target, task, e));
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                Raise(new BatchEvent(BatchEventKind.Failed, target, task, SeedreamException.From(e)));
            }
        }

        private string TargetPath(SeedreamTask task, SeedreamImage image)
        {
            try
            {
                return FileNameTemplate.Resolve(_options.Save.Folder, _options.Save.FileNameTemplate, task, image);
            }
            catch (ArgumentException e) when (!(e is ISeedreamError))
            {
                throw SeedreamValidationException.For("FileName", _options.Save.FileNameTemplate, e.Message);
            }
        }

        // ---- Bookkeeping ----------------------------------------------------------------------------------------------

        // A failure of a record nobody waits for is seen (not left to the finalizer); the next record reports it.
        private static void Observe(Task append) =>
            append.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        private static async Task Journalled(Task append)
        {
            try
            {
                await append.ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw SeedreamException.ForFile(e);
            }
        }

        private void Raise(BatchEvent e)
        {
            _onEvent(e);
        }

        private void ThrowIfCompleting()
        {
            lock (_gate)
            {
                if (_completing) throw new InvalidOperationException("Complete() was called: the batch takes no more items.");
            }
        }

        private void Begin() => Interlocked.Increment(ref _outstanding);

        private void End()
        {
            if (Interlocked.Decrement(ref _outstanding) != 0) return;
            TaskWatcher watcher;
            lock (_gate)
            {
                if (!_completing) return;
                watcher = _watcher;
            }
            watcher?.Complete();
            if (_cancellation.IsCancellationRequested)
            {
                _done.TrySetCanceled();
                return;
            }
            Task.Run(FinishAsync).ContinueWith(_ => _done.TrySetResult(true), TaskScheduler.Default);
        }

        private async Task FinishAsync()
        {
            await DeleteUploadsAsync().ConfigureAwait(false);
            try
            {
                // What the batch wrote lazily (images known, saved) is on disk when the batch says it is done.
                await _options.Journal.SyncAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Those lines are written; only their fsync failed, and a re-run can learn them again.
            }
        }

        // The reference images uploaded for tasks that have all finished are no longer needed: the files API keeps at most
        // 100 files, so they are deleted unless asked to keep them. A task still running (timed out) keeps its upload.
        private async Task DeleteUploadsAsync()
        {
            List<KeyValuePair<string, List<SeedreamTask>>> uploads;
            lock (_gate) uploads = _uploadUsers.ToList();
            if (_options.KeepUploads || uploads.Count == 0) return;
            foreach (var upload in uploads)
            {
                if (!upload.Value.All(t => t.IsFinished)) continue;
                try
                {
                    await _options.Clients.For(upload.Value[0].Gateway).DeleteUploadAsync(upload.Key, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ISeedreamError)
                {
                    // It expires after 72 hours anyway; the batch's results are what matter.
                }
            }
        }

        private void Fault(Task watching)
        {
            if (watching.IsCanceled || _cancellation.IsCancellationRequested) _done.TrySetCanceled();
            else _done.TrySetException(watching.Exception?.InnerExceptions ?? (IEnumerable<Exception>)new Exception[0]);
        }
    }
}
