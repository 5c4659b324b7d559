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
        // Warnings already given by this batch (one per command for each).
        private readonly HashSet<string> _notices = new HashSet<string>(StringComparer.Ordinal);
        private TaskWatcher _watcher;
        private Task _watching;
        private int _outstanding;
        private int _pendingSaves;
        private bool _completing;
        private int _watched;
        private int _finished;
        private readonly Budget _budget;
        private int _streamExpected;
        private int _streamArrived;
        private readonly List<KeyValuePair<string, string>> _claims = new List<KeyValuePair<string, string>>();
        // Creates already sent run on this token: a stop gives them StopGrace to answer before it cancels them.
        private readonly CancellationTokenSource _sending = new CancellationTokenSource();
        // Cancelled at the stop, or at a failure of the whole batch: nothing new is sent after it.
        private readonly CancellationTokenSource _noNewSends = new CancellationTokenSource();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _creates = new System.Collections.Concurrent.ConcurrentDictionary<Task, bool>();
        private Exception _batchFailure;
        private int _notSent;
        private readonly Dictionary<string, List<SeedreamTask>> _uploadUsers = new Dictionary<string, List<SeedreamTask>>(StringComparer.Ordinal);

        /// <summary>Creates a batch; <paramref name="onEvent"/> receives every event, on worker threads.</summary>
        public ImageBatch(BatchOptions options, Action<BatchEvent> onEvent, CancellationToken cancellation = default(CancellationToken))
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.Journal == null) throw new ArgumentException("A batch needs a journal.", nameof(options));
            if (options.Clients == null) throw new ArgumentException("A batch needs its clients.", nameof(options));
            _onEvent = onEvent ?? throw new ArgumentNullException(nameof(onEvent));
            _cancellation = cancellation;
            _budget = new Budget(options.MaxCostUsd, options.AllowUnpriced);
            // A folder that cannot be written is found now, before anything is sent and paid for.
            if (options.Save != null && options.Save.VerifyFolder) SaveTarget.EnsureWritable(options.Save.Folder);
            _createSlots = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
            _downloadSlots = new SemaphoreSlim(Math.Max(1, options.Save?.MaxConcurrentDownloads ?? 1));
            // Other processes may have recorded tasks since this session read the journal.
            if (options.Resume) options.Journal.Refresh();
            // Ctrl+C: nothing new is sent, and the creates already sent get their grace period.
            _cancellation.Register(BeginStop);
        }

        /// <summary>How long creates already sent may take to answer once the batch stops (Ctrl+C, a terminating error, a
        /// break): their answers take milliseconds, and a task whose id is journalled is reused by -Resume instead of being
        /// held as outcome unknown. A create still without an answer then is cancelled and held as unknown.</summary>
        public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

        // On top of the grace: the journal's synced records of the last answers.
        private static readonly TimeSpan JournalMargin = TimeSpan.FromSeconds(2);

        /// <summary>Stops the batch: nothing new is sent, and this waits (at most <see cref="BatchOptions.StopGrace"/>, plus a moment for
        /// the journal, or until <paramref name="abandon"/>) for creates already sent to answer and be journalled with their
        /// ids. Downloads and watching end at once. Returns whether every create in flight settled.</summary>
        public bool Stop(CancellationToken abandon = default(CancellationToken))
        {
            BeginStop();
            var pending = _creates.Keys.ToArray();
            bool settled = true;
            if (pending.Length > 0)
            {
                var all = Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
                try
                {
                    // A second Ctrl+C (abandon) cancels the creates still waiting, which then record themselves as unknown.
                    using (abandon.Register(() => TryCancel(_sending)))
                    {
                        settled = all.Wait(_options.StopGrace + JournalMargin);
                    }
                }
                catch (AggregateException)
                {
                }
            }
            ReleaseClaims();
            return settled;
        }

        private void BeginStop()
        {
            TryCancel(_noNewSends);
            try
            {
                _sending.CancelAfter(_options.StopGrace);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private static void TryCancel(CancellationTokenSource source)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>A failure of the whole batch (the key refused, the balance gone, the API host unreachable), after which
        /// nothing more was sent, as one error that says how many records were not sent; null when there was none.</summary>
        public SeedreamException BatchFailure
        {
            get
            {
                Exception cause;
                int notSent;
                lock (_gate)
                {
                    cause = _batchFailure;
                    notSent = _notSent;
                }
                if (cause == null) return null;
                var known = (ISeedreamError)SeedreamException.From(cause);
                string said = cause.Message.TrimEnd();
                if (said.Length > 0 && ".!?".IndexOf(said[said.Length - 1]) < 0) said += ".";
                // The cause's id, so a script matches a refused key or an empty balance by one id whether it stopped a batch or not.
                return new SeedreamException(known.ErrorId, known.Category, string.Format(CultureInfo.InvariantCulture,
                    "{0} This stops the whole batch, so nothing more was sent: {1} record(s) were not sent. Put it right and run the same " +
                    "command again with -Resume: it reuses the tasks already made and sends the rest.", said, notSent), cause)
                {
                    RecordsNotSent = notSent,
                };
            }
        }

        /// <summary>Whether <paramref name="error"/> makes every record fail, not just this one: the key refused (401),
        /// no balance or quota (402, LinkModel's insufficient balance, ModelArk's AccountOverdueError), or no connection to
        /// the API host at all (its name does not resolve, the connection is refused).</summary>
        public static bool AffectsEveryRecord(Exception error)
        {
            if (!(error is SeedreamApiException api)) return false;
            if (api.ErrorCode == SendGate.NotSentCode) return false;
            if (api.HttpStatus == 401 || api.HttpStatus == 402) return true;
            if (string.Equals(api.ErrorCode, "AccountOverdueError", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(api.ErrorType, "insufficient_balance", StringComparison.OrdinalIgnoreCase)
                || string.Equals(api.ErrorType, "insufficient_quota_error", StringComparison.OrdinalIgnoreCase)
                || string.Equals(api.ErrorType, "authentication_error", StringComparison.OrdinalIgnoreCase)) return true;
            return api.NotSent && !api.HttpStatus.HasValue && api.FromApiHost;
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

        /// <summary>What this batch may spend: every request is committed against it before it is sent; -WhatIf plans
        /// against it without committing.</summary>
        public Budget Budget => _budget;

        /// <summary>Images this batch's streams were asked for.</summary>
        public int StreamedImagesExpected => Volatile.Read(ref _streamExpected);

        /// <summary>Images (made or refused) that arrived on this batch's streams so far: progress counts images.</summary>
        public int StreamedImagesArrived => Volatile.Read(ref _streamArrived);

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
            if (_noNewSends.IsCancellationRequested)
            {
                // Stopped, or the whole batch failed: counted, and reported once (BatchFailure).
                Interlocked.Increment(ref _notSent);
                return SubmitOutcome.NotSent;
            }
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
            if (validated.Notice != null)
            {
                bool first;
                lock (_gate) first = _notices.Add(validated.Notice);
                if (first) Raise(new BatchEvent(BatchEventKind.Notice, target, error: new SeedreamException(ErrorIds.EndpointWithoutVersion, SeedreamErrorCategory.NotSpecified, validated.Notice), request: validated));
            }
            if (confirm != null && !confirm(validated)) return SubmitOutcome.Declined;
            context = context ?? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            // A model that makes fewer images a request than asked (5.0 Pro: one) gets one request per part, each
            // journalled, budgeted and resumable on its own, each a task carrying the record's columns.
            var parts = validated.Parts();
            if (parts.Count == 1) return SubmitPart(client, validated, context, target);
            var outcome = SubmitOutcome.Accepted;
            bool anyAccepted = false;
            foreach (var part in parts)
            {
                var one = SubmitPart(client, part, context, target);
                if (one == SubmitOutcome.Accepted) anyAccepted = true;
                else if (outcome == SubmitOutcome.Accepted) outcome = one;
            }
            return anyAccepted ? SubmitOutcome.Accepted : outcome;
        }

        private SubmitOutcome SubmitPart(SeedreamClient client, ValidatedRequest validated, IDictionary<string, object> context, object target)
        {
            if (_noNewSends.IsCancellationRequested)
            {
                Interlocked.Increment(ref _notSent);
                return SubmitOutcome.NotSent;
            }
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

            if (!reuse && validated.Inline && InlineFolderRefusal(validated) is SeedreamException unwritable)
            {
                Raise(new BatchEvent(BatchEventKind.Invalid, target, error: unwritable, request: validated));
                return SubmitOutcome.Invalid;
            }

            // A slot first, so creates still in flight have settled what they cost when the budget is checked.
            _createSlots.Wait(_cancellation);
            // The budget: what this invocation sends never exceeds it. A reused task costs nothing.
            decimal cost = reuse ? 0m : validated.EstimatedCostUsd ?? 0m;
            if (!reuse && _budget.TryCommit(validated, cost) is SeedreamException overBudget)
            {
                _createSlots.Release();
                Raise(new BatchEvent(BatchEventKind.Refused, target, error: overBudget, request: validated));
                return SubmitOutcome.OverBudget;
            }

            Begin();
            Task create = null;
            create = Task.Run(async () =>
            {
                SendGate.Set(_noNewSends.Token);
                try
                {
                    var task = reuse
                        ? await ReuseAsync(client, earlier, validated, context).ConfigureAwait(false)
                        : await CreateAsync(client, validated, key, context).ConfigureAwait(false);
                    Raise(new BatchEvent(reuse ? BatchEventKind.Reused : BatchEventKind.Created, target, task, request: validated));
                    if (!reuse && task.Feed == null) ReportFailedImages(task, target);
                    if (_options.Wait || _options.Save != null) Follow(task, task);
                    // A stream stays this create's until it ends: its images are journalled as they arrive, and what it
                    // could not make or deliver is reported here, once, whoever saves the images.
                    if (!reuse && task.Feed != null) await WatchStreamAsync(task, target).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    bool refused = e is SeedreamApiException api && !api.OutcomeUnknown;
                    // A create the gateway refused made nothing: its cost goes back to the budget.
                    if (refused) _budget.Release(cost);
                    if (!NotSentForTheBatch(e)) Raise(new BatchEvent(refused ? BatchEventKind.Refused : BatchEventKind.Failed, target, error: SeedreamException.From(e), request: validated));
                }
                finally
                {
                    _createSlots.Release();
                    End();
                }
            });
            _creates[create] = true;
            create.ContinueWith(t => _creates.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return SubmitOutcome.Accepted;
        }

        // A create that failed with the whole batch (or was not sent because of the stop) is counted, not reported on its
        // own: the batch's one error says how many records were not sent.
        private bool NotSentForTheBatch(Exception e)
        {
            bool stopped = e is SeedreamApiException api && api.ErrorCode == SendGate.NotSentCode;
            if (!stopped && !AffectsEveryRecord(e)) return false;
            lock (_gate)
            {
                if (!stopped && _batchFailure == null) _batchFailure = e;
                if (_batchFailure == null) return false;
                _notSent++;
            }
            TryCancel(_noNewSends);
            return true;
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

        // Inline images have no URL: the folder beside the journal is their only copy until saved, so it must take files
        // before anything is paid for. (A reused task sends nothing and needs no check.)
        private SeedreamException InlineFolderRefusal(ValidatedRequest validated)
        {
            string folder = _options.Journal.InlineFolder;
            try
            {
                SaveTarget.EnsureWritable(folder, why => "Inline images are decoded to '" + folder + "' (beside the journal) until they are saved, and it cannot be created or written: " +
                    why + " Nothing was sent. Make that folder writable, move the journal (Connect-Seedream -JournalPath), or use -ImageDelivery Url.");
                return null;
            }
            catch (SeedreamException e)
            {
                return e;
            }
        }

        // The journal holds the attempt before it is sent and the task before anyone sees it: a crash loses nothing paid for.
        private async Task<SeedreamTask> CreateAsync(SeedreamClient client, ValidatedRequest request, JournalKey key, IDictionary<string, object> context)
        {
            var journal = _options.Journal;
            await Journalled(journal.RecordAttemptAsync(key, request.Gateway, request.Model.Id)).ConfigureAwait(false);
            SeedreamTask task;
            try
            {
                task = await client.OpenTaskAsync(request, _sending.Token, journal.InlineFolder).ConfigureAwait(false);
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
            await JournalledOrSayWhere(journal.RecordCreatedAsync(key, task), task, task.Images).ConfigureAwait(false);
            // Each streamed image is journalled (synced: a stream cannot be asked again) before anyone can save it.
            task.Feed?.Start(image => JournalledOrSayWhere(journal.RecordStreamedImageAsync(task.Id, image), task, new[] { image }));
            return task;
        }

        // The creator's view of a stream: progress per image, each refused image reported for its index, and a stream
        // broken off reported with what arrived.
        private async Task WatchStreamAsync(SeedreamTask task, object target)
        {
            var feed = task.Feed;
            int seen = 0;
            Interlocked.Add(ref _streamExpected, Math.Max(1, task.Request?.Count ?? 1));
            while (true)
            {
                var items = await feed.NextAsync(seen, CancellationToken.None).ConfigureAwait(false);
                if (items.Count == 0) break;
                seen += items.Count;
                foreach (var item in items)
                {
                    Interlocked.Increment(ref _streamArrived);
                    if (item is SeedreamImageFailure failure) ReportFailedImage(task, target, failure, "The other images still come.");
                    else Raise(new BatchEvent(BatchEventKind.Progress, task, task));
                }
            }
            try
            {
                await Journalled(_options.Journal.RecordStreamEndedAsync(task.Id, task.Images.Count, feed.BrokenOff == null)).ConfigureAwait(false);
            }
            catch (SeedreamException)
            {
                // The images are journalled one by one; this only says the stream is over.
            }
            if (feed.BrokenOff != null) Raise(new BatchEvent(BatchEventKind.Failed, target, task, SeedreamException.From(feed.BrokenOff)));
        }

        private async Task<SeedreamTask> ReuseAsync(SeedreamClient client, JournalTask earlier, ValidatedRequest request, IDictionary<string, object> context)
        {
            SeedreamTask task = earlier.ToTask();
            task.Reused = true;
            // Asked for its state now, unless it is its own (a synchronous gateway's task, complete in the journal).
            await client.CurrentAsync(task, _cancellation).ConfigureAwait(false);
            task.Request = request.Source;
            foreach (var pair in context) task.Context[pair.Key] = pair.Value;
            return task;
        }

        // A batch the gateway made only part of: each image it could not make is an error of its own; the rest go on.
        private void ReportFailedImages(SeedreamTask task, object target)
        {
            foreach (var failure in task.FailedImages)
            {
                ReportFailedImage(task, target, failure, string.Format(CultureInfo.InvariantCulture, "The other {0} image(s) were.", task.Images.Count));
            }
        }

        private void ReportFailedImage(SeedreamTask task, object target, SeedreamImageFailure failure, string others)
        {
            string code = string.IsNullOrWhiteSpace(failure.Error?.Code) ? "unknown" : failure.Error.Code;
            Raise(new BatchEvent(BatchEventKind.Failed, target, task, new SeedreamException(ErrorIds.TaskFailed + "." + code, SeedreamErrorCategory.InvalidResult,
                string.Format(CultureInfo.InvariantCulture, "Image {0} of task {1} on {2} was not made: {3} {4}",
                    failure.Position, task.Id, task.Gateway, failure.Error, others))));
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
            if (task.Feed != null && !task.Feed.Ended)
            {
                FollowStream(task, target);
                return;
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

        // A stream still arriving: each image is saved the moment it arrives, while the rest are still being made (or,
        // without saving, the task is reported once the stream has ended).
        private void FollowStream(SeedreamTask task, object target)
        {
            if (_options.Save == null && !_options.Wait)
            {
                Raise(new BatchEvent(BatchEventKind.Finished, target, task));
                return;
            }
            Begin();
            Task.Run(async () =>
            {
                try
                {
                    if (_options.Save == null)
                    {
                        await task.Feed.Completion.ConfigureAwait(false);
                        Finished(task, target);
                        return;
                    }
                    // One after another, in arrival order: images arrive seconds apart and a save takes milliseconds, so
                    // each is on disk long before the next arrives, and files appear in the order the images were made.
                    int seen = 0;
                    while (true)
                    {
                        var items = await task.Feed.NextAsync(seen, _cancellation).ConfigureAwait(false);
                        if (items.Count == 0) break;
                        seen += items.Count;
                        foreach (var image in items.OfType<SeedreamImage>())
                        {
                            Interlocked.Increment(ref _pendingSaves);
                            await SaveOneAsync(task, image, target).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    End();
                }
            });
        }

        private async Task SaveOneAsync(SeedreamTask task, SeedreamImage image, object target)
        {
            try
            {
                await SaveImageAsync(task, image, target).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _pendingSaves);
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
                    var error = SeedreamException.From(e.Error);
                    // The gateway would not say how the task is doing (429s until the retries ran out, an outage): it is
                    // paid for and kept, and the error says how to get it.
                    if (error is SeedreamApiException api && e.Task?.Id != null)
                    {
                        error = api.WithMore("Task " + e.Task.Id + " is kept in the journal: Get-SeedreamTask -Unsaved | Save-SeedreamImage saves it later, and a rerun with -Resume reuses it.");
                    }
                    Raise(new BatchEvent(BatchEventKind.Failed, e.Task, e.Task, error));
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
            if (task.Id != null && !task.Streamed && !journal.KnowsImagesOf(task.Id)) Observe(journal.RecordCompletedAsync(task));
            await Task.WhenAll(task.Images.Select(image => SaveImageAsync(task, image, target))).ConfigureAwait(false);
        }

        private async Task SaveImageAsync(SeedreamTask task, SeedreamImage image, object target)
        {
            var save = _options.Save;
            var journal = _options.Journal;
            string taskId = task?.Id ?? image.TaskId;
            KeyValuePair<string, string>? claim = null;
            bool kept = false;
            try
            {
                if (image.Url == null && (image.InlineFile == null || !File.Exists(image.InlineFile)) && taskId != null &&
                    journal.SavedFileOf(taskId, image.Index) is string copySource)
                {
                    // Its decoded file went with a save since this object was made (another command or process): a
                    // further save copies that file (first, so {Ext} names what it holds).
                    image.InlineFile = copySource;
                }
                string path = TargetPath(task, image);
                bool savedBefore = taskId != null && journal.WasSavedTo(taskId, image.Index, path);
                if (savedBefore && File.Exists(path))
                {
                    // Already here: a re-run saves only what is missing.
                    image.Path = path;
                    Raise(new BatchEvent(BatchEventKind.Saved, target, task, saved: new SavedImage(task, image, path, 0, null, skipped: true)));
                    return;
                }
                if (image.Url == null && (image.InlineFile == null || !File.Exists(image.InlineFile)))
                {
                    // Honest about it: an inline image has no URL, so once its decoded file is gone, so is it.
                    throw new SeedreamException(ErrorIds.InlineImageLost, SeedreamErrorCategory.ResourceUnavailable, string.Format(CultureInfo.InvariantCulture,
                        "Image {0} of task {1} came inline (-ImageDelivery Inline), and neither the file it was decoded to{2} nor a file it was saved to is there any more. " +
                        "It has no URL, so it cannot be fetched again; send the record again (without -Resume) to make it again.", image.Index, taskId,
                        image.InlineFile == null ? string.Empty : " (" + image.InlineFile + ")"));
                }
                // The name is this image's before anything is fetched; another image of this process that wants it is told so.
                string owner = Describe(task, image);
                // A file the journal says holds another image is that image's, whatever -NoClobber says (-Force replaces it).
                if (save.ExistingFile != ExistingFileAction.Overwrite && File.Exists(path) && SavedElsewhere(path, taskId, image.Index) is string before) throw Collision(path, owner, before);
                string holder = FileClaims.TryClaim(path, owner);
                if (holder != null) throw Collision(path, owner, holder);
                claim = new KeyValuePair<string, string>(path, owner);
                if (save.ExistingFile == ExistingFileAction.Skip && new FileInfo(path) is FileInfo existing && existing.Exists && existing.Length > 0)
                {
                    // -NoClobber keeps a file, but never passes off another image's file as this one's.
                    if (SavedElsewhere(path, taskId, image.Index) is string other) throw Collision(path, owner, other);
                    kept = true;
                    image.Path = path;
                    Raise(new BatchEvent(BatchEventKind.Saved, target, task, saved: new SavedImage(task, image, path, 0, null, skipped: true)));
                    return;
                }
                var download = new DownloadOptions { Overwrite = save.ExistingFile == ExistingFileAction.Overwrite, MaxBytes = save.MaxBytes, Metadata = save.MetadataFor(task, image) };
                await _downloadSlots.WaitAsync(_cancellation).ConfigureAwait(false);
                DownloadResult result;
                string decoded = null;
                try
                {
                    if (image.Url == null)
                    {
                        // Inline: already decoded to a file of its own; written by the same rules as a download, with none.
                        string staged = image.InlineFile;
                        result = await ImageDownloader.SaveLocalAsync(staged, path, download, _cancellation).ConfigureAwait(false);
                        image.Path = result.Path;
                        // Later saves of this image (another folder) read the saved file; the decoded one goes once the
                        // journal has the save (below).
                        image.InlineFile = result.Path;
                        if (InlineImageParser.IsStagedFileIn(journal.InlineFolder, staged) || InlineImageParser.IsStagedFileIn(InlineImageParser.DefaultStaging, staged)) decoded = staged;
                    }
                    else result = await _options.Clients.ForDownload(task).DownloadAsync(image, path, download, _cancellation).ConfigureAwait(false);
                }
                catch (FileExistsException) when (SavedElsewhere(path, taskId, image.Index) is string other)
                {
                    throw Collision(path, owner, other);
                }
                catch (FileExistsException) when (new FileInfo(path) is FileInfo placeholder && placeholder.Exists && placeholder.Length == 0)
                {
                    throw Collision(path, owner, "an image another process is saving now");
                }
                finally
                {
                    _downloadSlots.Release();
                }
                kept = true;
                if (taskId != null) await Journalled(journal.RecordSavedAsync(taskId, image.Index, result.Path, result.Length)).ConfigureAwait(false);
                // Only now: until the journal names the saved file, the decoded one is the image's only record.
                if (decoded != null) AtomicFile.TryDelete(decoded);
                var savedImage = new SavedImage(task, image, result.Path, result.Length, result.Format, skipped: false)
                {
                    DigitalSourceType = result.MetadataEmbedded ? download.Metadata.DigitalSourceType : null,
                };
                if (save.Sidecar) await DiskWork.Run(() => ImageProvenance.Of(savedImage).WriteSidecar()).ConfigureAwait(false);
                Raise(new BatchEvent(BatchEventKind.Saved, target, task, saved: savedImage));
            }
            catch (SeedreamApiException e) when (e.ErrorCode == DownloadErrorCodes.ImageExpired)
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
            finally
            {
                // A name stays claimed by the image in its file until the batch ends; an image that did not get it gives it back.
                if (claim is KeyValuePair<string, string> held)
                {
                    if (kept) lock (_gate) _claims.Add(held);
                    else FileClaims.Release(new[] { held });
                }
            }
        }

        // What an error says about an image; it also tells two images apart in the claims.
        private static string Describe(SeedreamTask task, SeedreamImage image)
        {
            string id = task?.Id ?? image.TaskId;
            string what = id != null
                ? string.Format(CultureInfo.InvariantCulture, "image {0} of task {1}", image.Index, id)
                : "the image at " + image.Url?.GetLeftPart(UriPartial.Path);
            string prompt = task?.Request?.Prompt;
            return string.IsNullOrEmpty(prompt) ? what : what + " (prompt '" + Text.Shorten(prompt, 40) + "')";
        }

        // The image the journal says is in the file at path, when it is another one than this.
        private string SavedElsewhere(string path, string taskId, int index)
        {
            var other = _options.Journal.SavedTo(path, out int otherIndex);
            if (other == null || (other.Id == taskId && otherIndex == index)) return null;
            string what = string.Format(CultureInfo.InvariantCulture, "image {0} of task {1}", otherIndex, other.Id);
            return string.IsNullOrEmpty(other.Prompt) ? what : what + " (prompt '" + Text.Shorten(other.Prompt, 40) + "')";
        }

        private SeedreamException Collision(string path, string owner, string holder) =>
            new SeedreamException(ErrorIds.FileNameCollision, SeedreamErrorCategory.ResourceExists, string.Format(CultureInfo.InvariantCulture,
                "Two images would be saved as '{0}': {1} has that name, so {2} was not saved (nothing was replaced). It stays unsaved in the journal: " +
                "Get-SeedreamTask -Unsaved lists it. Give each image a name of its own, for example -FileName '{3}', or use -Force to replace the file.",
                path, holder, owner, SuggestedTemplate(_options.Save.FileNameTemplate)));

        // The template with the task id added, which no two tasks share.
        internal static string SuggestedTemplate(string template)
        {
            template = string.IsNullOrWhiteSpace(template) ? FileNameTemplate.Default : template;
            if (template.IndexOf("{TaskId", StringComparison.OrdinalIgnoreCase) >= 0 || template.IndexOf("{Id", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return template.IndexOf("{Index", StringComparison.OrdinalIgnoreCase) >= 0 || template.IndexOf("{Number", StringComparison.OrdinalIgnoreCase) >= 0
                    ? template : Insert(template, "-{Index}");
            }
            return Insert(template, "-{TaskId}");
        }

        private static string Insert(string template, string part)
        {
            int ext = template.IndexOf("{Ext}", StringComparison.OrdinalIgnoreCase);
            if (ext >= 0) return template.Substring(0, ext) + part + template.Substring(ext);
            string extension = Path.GetExtension(template);
            return extension.Length > 0 && extension.IndexOf('}') < 0
                ? template.Substring(0, template.Length - extension.Length) + part + extension
                : template + part;
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

        // A journal that cannot take a record of inline images leaves their decoded files named by nothing: the error
        // says they were made and billed, and where they are, since -Resume cannot find them.
        private static async Task JournalledOrSayWhere(Task append, SeedreamTask task, IEnumerable<SeedreamImage> images)
        {
            try
            {
                await Journalled(append).ConfigureAwait(false);
            }
            catch (SeedreamException e)
            {
                var files = images.Where(i => i.Url == null && i.InlineFile != null).Select(i => i.InlineFile).ToList();
                if (files.Count == 0) throw;
                throw new SeedreamException(e.ErrorId, e.Category, e.Message + " Task " + task.Id + " was made and is billed, and its inline images could not be " +
                    "recorded, so -Resume cannot find them; they are kept as " + string.Join(", ", files) + " (image data: copy them out).", e);
            }
        }

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
            ReleaseClaims();
            if (_cancellation.IsCancellationRequested)
            {
                _done.TrySetCanceled();
                return;
            }
            Task.Run(FinishAsync).ContinueWith(_ => _done.TrySetResult(true), TaskScheduler.Default);
        }

        // The names this batch gave its images are free again once it is done (or stopped).
        private void ReleaseClaims()
        {
            List<KeyValuePair<string, string>> claims;
            lock (_gate)
            {
                claims = new List<KeyValuePair<string, string>>(_claims);
                _claims.Clear();
            }
            FileClaims.Release(claims);
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
