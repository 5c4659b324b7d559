using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.References;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Client
{
    /// <summary>The API of one gateway connection: create tasks, read them, wait for them, save their images.
    /// Thread-safe; share one per connection.</summary>
    public sealed class SeedreamClient
    {
        private readonly IGatewayAdapter _adapter;
        private readonly ConcurrentDictionary<string, Lazy<Task<(string Url, string FileId)>>> _uploads = new ConcurrentDictionary<string, Lazy<Task<(string Url, string FileId)>>>();
        private readonly ApiPipeline _pipeline;

        /// <summary>Creates a client for <paramref name="connection"/>.</summary>
        /// <param name="connection">Where and how to connect; may be shared by many clients. Its settings are frozen from
        /// here on: to change one, make a new connection (Connect-Seedream again).</param>
        /// <param name="trace">Receives this client's HTTP trace lines instead of <see cref="SeedreamConnection.Trace"/>.</param>
        public SeedreamClient(SeedreamConnection connection, Action<string> trace = null)
        {
            Connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _adapter = GatewayAdapters.For(connection.Gateway);
            _pipeline = new ApiPipeline(HttpTransport.For(connection, trace), _adapter, connection.ApiKey);
            Downloader = new SeedreamDownloader(_pipeline.Transport);
            PollSchedule = connection.PollInterval.HasValue ? PollSchedule.Every(connection.PollInterval.Value) : PollSchedule.For(connection.Gateway);
        }

        /// <summary>What the gateway can do.</summary>
        public GatewayCapabilities Capabilities => _adapter.Capabilities;

        /// <summary>Downloads this gateway's result images with this connection's timeout, retries, proxy and trace.</summary>
        public SeedreamDownloader Downloader { get; }

        /// <summary>The connection this client uses.</summary>
        public SeedreamConnection Connection { get; }

        /// <summary>When the watcher polls this client's tasks; the gateway's documented schedule unless replaced.</summary>
        public PollSchedule PollSchedule { get; set; }

        /// <summary>Checks <paramref name="request"/> against the gateway's and model's rules without sending anything.</summary>
        /// <exception cref="SeedreamValidationException">A rule is broken.</exception>
        public ValidatedRequest Validate(SeedreamRequest request) => RequestValidator.Validate(request, Connection.Gateway, Connection.Region);

        /// <summary>Validates and submits a request; the returned task is pending or running (it costs money from here on).</summary>
        /// <exception cref="SeedreamValidationException">A rule is broken; nothing was sent.</exception>
        /// <exception cref="SeedreamApiException">The gateway refused, or the outcome is unknown (see <see cref="SeedreamApiException.OutcomeUnknown"/>).</exception>
        public Task<SeedreamTask> CreateTaskAsync(SeedreamRequest request, CancellationToken cancellation = default(CancellationToken)) =>
            CreateTaskAsync(Validate(request), cancellation);

        /// <summary>Submits an already validated request. A streamed answer is read to its end here, so the task returned is
        /// finished as with any synchronous answer (the engine takes the images one by one instead).</summary>
        public async Task<SeedreamTask> CreateTaskAsync(ValidatedRequest request, CancellationToken cancellation = default(CancellationToken))
        {
            var task = await OpenTaskAsync(request, cancellation).ConfigureAwait(false);
            if (task.Feed != null)
            {
                task.Feed.Start(null);
                await task.Feed.Completion.ConfigureAwait(false);
                task.Feed = null;
            }
            return task;
        }

        /// <summary>Submits an already validated request; a streamed task comes back as soon as the stream opens, running,
        /// with its images still to arrive through <see cref="SeedreamTask.Feed"/>. Inline images are decoded into
        /// <paramref name="inlineStaging"/> (null: <see cref="InlineStaging"/>); the engine passes its journal's folder, so
        /// a paid image waits where <c>-Resume</c> finds it.</summary>
        internal Task<SeedreamTask> OpenTaskAsync(ValidatedRequest request, CancellationToken cancellation, string inlineStaging = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.Count > request.Model.ImagesPerRequest)
            {
                throw new ArgumentException(request.Model.Id + " makes " + request.Model.ImagesPerRequest + " image(s) a request; send request.Parts() one by one (ImageBatch does).", nameof(request));
            }
            if (request.Gateway != Connection.Gateway)
            {
                throw new ArgumentException("The request was validated for " + request.Gateway + " but this client talks to " + Connection.Gateway + ".", nameof(request));
            }
            return CreateWithReferencesAsync(request, inlineStaging ?? InlineStaging, cancellation);
        }

        private async Task<SeedreamTask> CreateWithReferencesAsync(ValidatedRequest request, string staging, CancellationToken cancellation)
        {
            var uploaded = new List<string>();
            if (request.References.Any(r => !LocalReference.IsUrl(r)))
            {
                // Local files go up to the files API or inline first, as the gateway takes them; a failed upload costs nothing.
                var urls = new List<string>();
                foreach (var reference in request.References)
                {
                    if (LocalReference.IsUrl(reference)) urls.Add(reference);
                    else if (Capabilities.References == ReferenceTransport.Inline) urls.Add(LocalReference.DataUrl(LocalReference.PathOf(reference)));
                    else
                    {
                        var upload = await UploadAsync(LocalReference.PathOf(reference), cancellation).ConfigureAwait(false);
                        urls.Add(upload.Url);
                        if (upload.FileId != null) uploaded.Add(upload.FileId);
                    }
                }
                request = request.WithReferences(urls);
            }
            if (Capabilities.ImagesPerMinute is int perMinute)
            {
                // Paced per gateway address and model (the limit is per model and account) across this process.
                await RateWindow.For(Connection.BaseUri.AbsoluteUri + "|" + request.WireModel, perMinute).TakeAsync(request.Count, cancellation).ConfigureAwait(false);
            }
            var sent = DateTimeOffset.UtcNow;
            var task = _adapter is IStreamingGatewayAdapter streaming && (request.Stream || request.Inline)
                ? await CreateStreamedAsync(streaming, request, staging, cancellation).ConfigureAwait(false)
                : await _pipeline.SendJsonAsync(() => _adapter.BuildCreate(Connection.BaseUri, request), body => _adapter.ParseCreate(body, request), RequestKind.Create, cancellation).ConfigureAwait(false);
            task.SubmittedAt = sent;
            foreach (var id in uploaded) task.UploadedFiles.Add(id);
            return task;
        }

        /// <summary>Where inline images wait, decoded, until they are saved.</summary>
        public string InlineStaging { get; set; } = InlineImageParser.DefaultStaging;

        // A stream (or an answer with inline images): the headers arrive with the first image, and the body is read as it
        // comes, so each image can be saved while the rest are still being made, and no inline image is held in memory.
        private async Task<SeedreamTask> CreateStreamedAsync(IStreamingGatewayAdapter streaming, ValidatedRequest request, string staging, CancellationToken cancellation)
        {
            var response = await _pipeline.OpenAsync(() => _adapter.BuildCreate(Connection.BaseUri, request), RequestKind.Create, cancellation).ConfigureAwait(false);
            if (!string.Equals(response.Content?.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
            {
                return await ReadWholeAnswerAsync(response, request, staging, cancellation).ConfigureAwait(false);
            }
            var task = streaming.StartStream(request);
            task.Feed = new ImageFeed(beforePublish => ReadStreamAsync(streaming, response, task, staging, beforePublish, cancellation));
            return task;
        }

        // One JSON answer whose images came inline: decoded to files as the body arrives, then parsed without them.
        private async Task<SeedreamTask> ReadWholeAnswerAsync(HttpResponseMessage response, ValidatedRequest request, string staging, CancellationToken cancellation)
        {
            using (response)
            using (var parser = new InlineImageParser(staging, events: false))
            {
                (string Json, IReadOnlyList<string> Files) parsed;
                try
                {
                    using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    {
                        var buffer = new byte[81920];
                        int read;
                        while ((read = await body.ReadAsync(buffer, 0, buffer.Length, cancellation).ConfigureAwait(false)) > 0)
                        {
                            try
                            {
                                parser.Feed(buffer, read);
                            }
                            catch (Exception e) when (IsLocalWriteFailure(e))
                            {
                                // Made and paid for, but this machine could not keep them (a full disk): held, never sent again.
                                throw new SeedreamApiException(Connection.Gateway, "The images arrived but could not be written to '" + staging + "' (" + e.Message +
                                    "). The gateway made them and bills them; this answer is lost here, so the request is held as of unknown outcome.", e)
                                {
                                    OutcomeUnknown = true,
                                    IdName = ImagesNotWrittenId,
                                };
                            }
                        }
                    }
                    parsed = parser.Finish();
                }
                catch (Exception e) when (ImageDownloader.IsBrokenRead(e) && !cancellation.IsCancellationRequested)
                {
                    // The images were made and paid for, but the answer did not arrive whole (or ended inside an image).
                    throw new SeedreamApiException(Connection.Gateway, "The answer with the images broke off: " + e.Message +
                        " The gateway made them and bills them; the request is held as of unknown outcome.", e)
                    {
                        OutcomeUnknown = true,
                        IdName = AnswerBrokenId,
                    };
                }

                SeedreamTask task;
                try
                {
                    task = _adapter.ParseCreate(_pipeline.Transport.Redact(parsed.Json), request);
                }
                catch
                {
                    // Files no task will name: nothing could ever find them.
                    foreach (var file in parsed.Files) Storage.AtomicFile.TryDelete(file);
                    throw;
                }
                int next = 0;
                foreach (var image in task.Images)
                {
                    if (image.Inline && next < parsed.Files.Count) image.InlineFile = parsed.Files[next++];
                }
                return task;
            }
        }

        // Reads the events to the end of the stream. Each image goes through beforePublish (the journal) and then to the
        // feed's readers; a stream that ends without its completed event is broken off, and what arrived stays.
        private async Task ReadStreamAsync(IStreamingGatewayAdapter streaming, HttpResponseMessage response, SeedreamTask task, string staging,
            Func<SeedreamImage, Task> beforePublish, CancellationToken cancellation)
        {
            var feed = task.Feed;
            bool complete = false;
            Exception broken = null;
            var expires = task.CreatedAt.Value + SeedreamTask.ResultLifetime;
            int requested = task.Request?.Count ?? 1;
            try
            {
                using (response)
                using (var parser = new InlineImageParser(staging, events: true))
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                using (idle.Token.Register(() => response.Dispose()))
                using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    while (!complete && broken == null)
                    {
                        // Silence longer than the connection's timeout between two images ends the stream.
                        idle.CancelAfter(_pipeline.Transport.Timeout);
                        int read;
                        try
                        {
                            read = await body.ReadAsync(buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false);
                        }
                        catch (Exception e) when (ImageDownloader.IsBrokenRead(e))
                        {
                            broken = BrokenOff(task, cancellation.IsCancellationRequested ? "the command stopped" : Text.Shorten(e.Message, 200));
                            break;
                        }
                        if (read == 0) break;
                        try
                        {
                            parser.Feed(buffer, read);
                        }
                        catch (Exception e) when (IsLocalWriteFailure(e))
                        {
                            broken = NotWritten(task, staging, e);
                            break;
                        }
                        foreach (var e in parser.TakeEvents())
                        {
                            if (e.Data == "[DONE]")
                            {
                                complete = true;
                                break;
                            }
                            var parsed = streaming.ParseStreamEvent(e.Name, _pipeline.Transport.Redact(e.Data));
                            switch (parsed.Kind)
                            {
                                case StreamEventKind.Image:
                                    var image = new SeedreamImage(task.Id, task.Images.Count, parsed.Url, parsed.Url == null ? (DateTimeOffset?)null : expires)
                                    {
                                        Inline = parsed.Url == null,
                                        InlineFile = parsed.Url == null && e.Files.Count > 0 ? e.Files[0] : null,
                                    };
                                    if (beforePublish != null) await beforePublish(image).ConfigureAwait(false);
                                    task.Images.Add(image);
                                    task.Progress = Math.Min(99, 100 * (task.Images.Count + task.FailedImages.Count) / Math.Max(1, requested));
                                    feed.Publish(image);
                                    break;
                                case StreamEventKind.ImageFailed:
                                    var failure = new SeedreamImageFailure(parsed.Index, parsed.Error);
                                    task.FailedImages.Add(failure);
                                    feed.Publish(failure);
                                    break;
                                case StreamEventKind.Completed:
                                    task.WebSearches = parsed.WebSearches ?? task.WebSearches;
                                    complete = true;
                                    break;
                                case StreamEventKind.Error:
                                    broken = BrokenOff(task, parsed.Error?.ToString());
                                    break;
                            }
                            if (broken != null) break;
                        }
                    }
                }
            }
            catch (Exception e) when (e is Errors.ISeedreamError)
            {
                // The journal could not be written, or an event could not be read: the stream ends here.
                broken = e;
            }
            catch (Exception e)
            {
                broken = BrokenOff(task, Text.Shorten(e.Message, 200));
            }
            if (!complete && broken == null) broken = BrokenOff(task, "the connection closed before the stream was complete");
            task.Progress = 100;
            task.Status = task.Images.Count > 0 ? SeedreamTaskStatus.Succeeded : SeedreamTaskStatus.Failed;
            if (task.Status == SeedreamTaskStatus.Failed)
            {
                task.Error = broken != null ? new SeedreamTaskError("stream_broken", broken.Message)
                    : task.FailedImages.Count > 0 ? task.FailedImages[0].Error : new SeedreamTaskError("no_images", "The stream ended without images.");
            }
            task.UpdatedAt = DateTimeOffset.UtcNow;
            feed.End(broken);
        }

        /// <summary>The id (after SeedreamPS.Api.) of inline images that arrived in one answer but could not be written here.</summary>
        internal const string ImagesNotWrittenId = "ImagesNotWritten";

        /// <summary>The id (after SeedreamPS.Api.) of one answer with inline images that broke off or ended inside an image.</summary>
        internal const string AnswerBrokenId = "AnswerBroken";

        // Only around the decoder's writes: a read of the body failing is a broken answer, not this.
        private static bool IsLocalWriteFailure(Exception e) => e is IOException || e is UnauthorizedAccessException;

        // Unlike a stream that broke off, these images were made and are billed: the message must not say otherwise.
        private static Errors.SeedreamException NotWritten(SeedreamTask task, string staging, Exception e) =>
            new Errors.SeedreamException(Errors.ErrorIds.FileError, Errors.SeedreamErrorCategory.WriteError, string.Format(CultureInfo.InvariantCulture,
                "Inline images of task {0} could not be written to '{1}' after {2} image(s): {3} The gateway made the batch and bills it; what was " +
                "written is kept and saved, the rest are lost here. Free the space, then send the record again without -Resume for the missing images.",
                task.Id, staging, task.Images.Count, e.Message), e);

        private SeedreamApiException BrokenOff(SeedreamTask task, string why) =>
            new SeedreamApiException(Connection.Gateway, string.Format(CultureInfo.InvariantCulture,
                "The stream of task {0} broke off after {1} image(s) ({2}). What arrived is kept and saved; the rest were not delivered (and are not billed), " +
                "and nothing is requested again: send the record again without -Resume for the missing images.", task.Id, task.Images.Count, why))
            {
                ErrorCode = "stream_broken",
            };

        /// <summary>Uploads a local reference image through the gateway's files API and returns the URL to reference it by.
        /// The files API overwrites a file uploaded earlier under the same name, so a file goes up under a name made from
        /// its content (two different ref.png from two folders never share a URL), and the same content goes up once
        /// per client (uploads stay valid for 72 hours).</summary>
        public async Task<string> UploadReferenceAsync(string path, CancellationToken cancellation = default(CancellationToken)) =>
            (await UploadAsync(path, cancellation).ConfigureAwait(false)).Url;

        private async Task<(string Url, string FileId)> UploadAsync(string path, CancellationToken cancellation)
        {
            // A gateway at another address (a simulator, a proxy) with the files API left at its public default would
            // send the user's local files to the public service, where the other gateway cannot have them: refused.
            if (!Connection.UsesPublicBaseUri && !Connection.FilesBaseUriGiven)
            {
                throw Errors.SeedreamException.InvalidConfiguration("Local reference images are uploaded through " + Connection.Gateway + "'s files API, which is still the public " +
                    Uploader.DefaultFilesBaseUri.AbsoluteUri + " while " + Connection.Gateway + " is at " + Connection.BaseUri.AbsoluteUri +
                    ". Nothing was uploaded or sent. Give Connect-Seedream -FilesBaseUri (or SEEDREAM_FILES_BASE_URI): the simulator's is {url}/evolink-files, the public one " +
                    Uploader.DefaultFilesBaseUri.AbsoluteUri + ".");
            }
            var file = new FileInfo(path);
            string hash = ContentHash(file);
            var upload = _uploads.GetOrAdd(hash, _ => new Lazy<Task<(string Url, string FileId)>>(() => SendUploadAsync(file, hash.Substring(0, 32) + file.Extension.ToLowerInvariant(), cancellation)));
            try
            {
                return await upload.Value.ConfigureAwait(false);
            }
            catch
            {
                // A failed upload is not remembered: the next request tries again.
                _uploads.TryRemove(hash, out _);
                throw;
            }
        }

        /// <summary>Deletes an uploaded reference image from the gateway's files API (its quota fills otherwise). A file
        /// already gone is no error. Later requests for the same content upload it again.</summary>
        public async Task DeleteUploadAsync(string fileId, CancellationToken cancellation = default(CancellationToken))
        {
            foreach (var pair in _uploads)
            {
                if (pair.Value.IsValueCreated && pair.Value.Value.Status == TaskStatus.RanToCompletion && pair.Value.Value.Result.FileId == fileId) _uploads.TryRemove(pair.Key, out _);
            }
            try
            {
                // Through the one retry policy (a 429 with Retry-After is waited for); a file already gone (404) is no error.
                await _pipeline.SendAsync(() => Uploader.BuildDeleteUpload(Connection.FilesBaseUri, fileId), status => status == 404, cancellation).ConfigureAwait(false);
            }
            catch (SeedreamApiException e) when (e.HttpStatus == null || e.HttpStatus >= 500 || (e.HttpStatus >= 300 && e.HttpStatus < 400))
            {
                // It expires after 72 hours anyway.
                _pipeline.Transport.Log("could not delete uploaded reference " + fileId + ": " + e.Message);
            }
        }

        // The files API of a gateway whose references are uploaded; asking another gateway's client is a bug.
        private IUploadingGatewayAdapter Uploader => _adapter as IUploadingGatewayAdapter
            ?? throw new InvalidOperationException(Connection.Gateway + " has no files API: its references travel as " + Capabilities.References + ".");

        private static string ContentHash(FileInfo file)
        {
            using (var sha = System.Security.Cryptography.SHA256.Create())
            using (var stream = file.OpenRead())
            {
                return BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", "").ToLowerInvariant();
            }
        }

        private Task<(string Url, string FileId)> SendUploadAsync(FileInfo file, string uploadName, CancellationToken cancellation) =>
            _pipeline.SendJsonAsync(() => Uploader.BuildUpload(Connection.FilesBaseUri, file.OpenRead, uploadName),
                body => Uploader.ParseUpload(body, file.Name), RequestKind.Query, cancellation);

        /// <summary>Reads a task's current state by id.</summary>
        /// <exception cref="SeedreamValidationException">The id does not have the gateway's form; nothing was sent.</exception>
        public Task<SeedreamTask> GetTaskAsync(string taskId, CancellationToken cancellation = default(CancellationToken))
        {
            string id = taskId?.Trim();
            if (!(_adapter is IQueryableGatewayAdapter queries))
            {
                throw SeedreamValidationException.For("Id", taskId, Connection.Gateway + " answers synchronously: its results come with New-SeedreamImage, and there is no task to query by Id.");
            }
            if (!_adapter.IsValidTaskId(id))
            {
                throw SeedreamValidationException.For("Id", taskId, "Id '" + taskId + "' is not a task id of " + Connection.Gateway +
                    (Capabilities.TaskIdRule == null ? "." : " (" + Capabilities.TaskIdRule + ")."));
            }
            return _pipeline.SendJsonAsync(() => queries.BuildQuery(Connection.BaseUri, id), queries.ParseQuery, RequestKind.Query, cancellation);
        }

        /// <summary>Reads <paramref name="task"/>'s current state into it, keeping its request and carried context.</summary>
        public async Task<SeedreamTask> RefreshAsync(SeedreamTask task, CancellationToken cancellation = default(CancellationToken))
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            var fresh = await GetTaskAsync(task.Id, cancellation).ConfigureAwait(false);
            task.UpdateFrom(fresh);
            return task;
        }

        /// <summary><paramref name="task"/> in its current state: as it is where it is its own
        /// (<see cref="GatewayCapabilities.IsOwnCurrentState"/>), else read again in place (<see cref="RefreshAsync"/>). A
        /// task of a gateway that cannot be queried is also returned as it is when unfinished (a synchronous create
        /// journalled without images): there is nothing to ask.</summary>
        public async Task<SeedreamTask> CurrentAsync(SeedreamTask task, CancellationToken cancellation = default(CancellationToken))
        {
            if (Capabilities.IsOwnCurrentState(task) || !Capabilities.Queryable) return task;
            return await RefreshAsync(task, cancellation).ConfigureAwait(false);
        }

        /// <summary>Streams one image to <paramref name="path"/> atomically (see <see cref="SeedreamDownloader.DownloadAsync"/>).</summary>
        /// <exception cref="System.IO.IOException">The file exists and <see cref="DownloadOptions.Overwrite"/> is off.</exception>
        /// <exception cref="SeedreamApiException">The image could not be fetched (expired, truncated, not an image, too large).</exception>
        public Task<DownloadResult> DownloadAsync(SeedreamImage image, string path, DownloadOptions options = null,
            CancellationToken cancellation = default(CancellationToken)) =>
            Downloader.DownloadAsync(image, path, options, cancellation);
    }
}
