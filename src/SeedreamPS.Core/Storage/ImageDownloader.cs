using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Http;

namespace SeedreamPS.Core.Storage
{
    /// <summary>Streams a result URL to disk: a temporary file beside the target, renamed into place only once
    /// the whole body arrived and proved to be an image. A failed or cancelled download leaves nothing behind.</summary>
    internal static class ImageDownloader
    {
        private const int BufferSize = 81920;

        // Unix has no asynchronous file writes: .NET carries each WriteAsync to another thread-pool thread, which then
        // blocks in write(2) all the same. Writing where the chunk arrived does the same work without the hand-over
        // (a page-cache copy; the fsync still goes to a disk thread). Windows writes overlapped.
        private static readonly bool WriteInline = Environment.OSVersion.Platform != PlatformID.Win32NT;

        public static async Task<DownloadResult> DownloadAsync(HttpTransport transport, Uri url, string path, DownloadOptions options, CancellationToken cancellation)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            if (string.IsNullOrEmpty(path)) throw new ArgumentNullException(nameof(path));
            options = options ?? new DownloadOptions();
            TransportRules.Demand(url, "Image URL");
            string target = Path.GetFullPath(path);
            if (!options.Overwrite && File.Exists(target) && !IsEmptyFile(target))
            {
                throw new Errors.FileExistsException(target);
            }
            string folder = Path.GetDirectoryName(target);
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new IOException("The output folder '" + folder + "' cannot be created or written (-Path): " + e.Message, e);
            }
            // Without -Force the name is claimed before anything is fetched, by a create that refuses an existing file:
            // two downloads (of this process or another) never both end up renamed to one name.
            FileStream claim = options.Overwrite ? null : Claim(target);
            bool committed = false;
            try
            {
                var result = await transport.ExecuteWithRetryAsync(token => DownloadOnceAsync(transport, url, target, options, claim, token), RequestKind.Download, cancellation).ConfigureAwait(false);
                committed = true;
                return result;
            }
            finally
            {
                if (claim != null)
                {
                    claim.Dispose();
                    // A failed download gives its name back: the empty placeholder goes.
                    if (!committed && IsEmptyFile(target)) AtomicFile.TryDelete(target);
                }
            }
        }

        // Unix locks with flock (FileShare.None), which the kernel drops when the process dies; Windows locks by sharing
        // mode, and must still let the finished image be renamed over the placeholder (delete sharing).
        private static readonly FileShare ClaimShare = Environment.OSVersion.Platform == PlatformID.Win32NT ? FileShare.Delete : FileShare.None;

        /// <summary>Claims <paramref name="target"/>: an empty placeholder made by a create that refuses an existing file,
        /// held locked while the image downloads. A placeholder left by a process that died mid-download (empty, and
        /// nobody holds its lock) is taken over, with the temporary files it left.</summary>
        /// <exception cref="Errors.FileExistsException">The name is taken: a file, or a download under way elsewhere.</exception>
        internal static FileStream Claim(string target)
        {
            try
            {
                return new FileStream(target, FileMode.CreateNew, FileAccess.Write, ClaimShare);
            }
            catch (IOException) when (File.Exists(target))
            {
            }
            FileStream stale = null;
            try
            {
                stale = new FileStream(target, FileMode.Open, FileAccess.Write, ClaimShare);
                if (stale.Length == 0)
                {
                    foreach (var partial in Directory.GetFiles(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + "*.partial")) AtomicFile.TryDelete(partial);
                    return stale;
                }
            }
            catch (IOException)
            {
                // Locked: another download holds the name right now.
            }
            stale?.Dispose();
            throw new Errors.FileExistsException(target);
        }

        private static bool IsEmptyFile(string path)
        {
            try
            {
                var file = new FileInfo(path);
                return file.Exists && file.Length == 0;
            }
            catch (IOException)
            {
                return false;
            }
        }

        private static async Task<DownloadResult> DownloadOnceAsync(HttpTransport transport, Uri url, string target, DownloadOptions options, FileStream claim, CancellationToken cancellation)
        {
            // A name of its own per download: two downloads never share a temporary file.
            string temp = Path.Combine(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".partial");
            // The timeout is an idle timeout: it restarts with every chunk, so a large image on a slow link is not cut off.
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                idle.CancelAfter(transport.Timeout);
                try
                {
                    using (var response = await transport.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), RequestKind.Download, HttpCompletionOption.ResponseHeadersRead, idle.Token, cancellation).ConfigureAwait(false))
                    // HttpWebRequest-based stacks (.NET Framework) ignore the token once a read has started: when the idle
                    // timeout or Ctrl+C fires, disposing the response ends a read that has stalled, on every runtime.
                    using (idle.Token.Register(() => response.Dispose()))
                    {
                        if (!response.IsSuccessStatusCode)
                        {
                            throw DownloadError(transport, response, url, await ReadStartAsync(response, idle.Token).ConfigureAwait(false));
                        }
                        long? declared = response.Content.Headers.ContentLength;
                        if (declared > options.MaxBytes) throw TooLarge(transport, url, declared.Value, options.MaxBytes);

                        long got = 0;
                        using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                        {
                            return await WriteImageAsync(async buffer =>
                            {
                                try
                                {
                                    int read = await body.ReadAsync(buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false);
                                    if (read > 0) idle.CancelAfter(transport.Timeout);
                                    got += read;
                                    return read;
                                }
                                catch (Exception e) when (IsBrokenRead(e))
                                {
                                    cancellation.ThrowIfCancellationRequested();
                                    throw Truncated(transport, url, got, declared, e);
                                }
                            }, declared, temp, target, options, claim, () => NotAnImage(transport, url),
                                written => Truncated(transport, url, written, declared, null), size => TooLarge(transport, url, size, options.MaxBytes), cancellation).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    AtomicFile.TryDelete(temp);
                }
            }
        }

        /// <summary>Writes an inline image, already decoded to <paramref name="source"/>, to <paramref name="path"/> by the
        /// same rules as a download (the name claimed, a temporary file, the image checked, the XMP packet put in, fsync,
        /// rename): only where the bytes come from differs.</summary>
        public static async Task<DownloadResult> SaveLocalAsync(string source, string path, DownloadOptions options, CancellationToken cancellation)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentNullException(nameof(path));
            options = options ?? new DownloadOptions();
            string target = Path.GetFullPath(path);
            if (!options.Overwrite && File.Exists(target) && !IsEmptyFile(target)) throw new Errors.FileExistsException(target);
            string folder = Path.GetDirectoryName(target);
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new IOException("The output folder '" + folder + "' cannot be created or written (-Path): " + e.Message, e);
            }
            FileStream claim = options.Overwrite ? null : Claim(target);
            bool committed = false;
            string temp = Path.Combine(folder, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".partial");
            try
            {
                using (var body = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: !WriteInline))
                {
                    long length = body.Length;
                    var result = await WriteImageAsync(buffer => body.ReadAsync(buffer, 0, buffer.Length, cancellation), length, temp, target, options, claim,
                        () => InlineError("is not an image (no PNG, JPEG, GIF, WebP, BMP or TIFF signature); nothing was saved.", "not_an_image"),
                        written => InlineError("is not a complete image; nothing was saved.", "truncated_download"),
                        size => InlineError(string.Format(CultureInfo.InvariantCulture, "is larger than the {0:N0}-byte cap ({1:N0} bytes); nothing was saved.", options.MaxBytes, size), "download_too_large"),
                        cancellation).ConfigureAwait(false);
                    committed = true;
                    return result;
                }
            }
            finally
            {
                AtomicFile.TryDelete(temp);
                if (claim != null)
                {
                    claim.Dispose();
                    if (!committed && IsEmptyFile(target)) AtomicFile.TryDelete(target);
                }
            }
        }

        private static SeedreamApiException InlineError(string what, string code) =>
            new SeedreamApiException(null, "The inline image " + what) { ErrorCode = code };

        // The one writer of image files: the first bytes must be an image, the last must end it, the XMP packet goes in on
        // the way, and the temporary file is synced, closed and renamed into place.
        private static async Task<DownloadResult> WriteImageAsync(Func<byte[], Task<int>> read, long? declared, string temp, string target, DownloadOptions options,
            FileStream claim, Func<Exception> notAnImage, Func<long, Exception> truncated, Func<long, Exception> tooLarge, CancellationToken cancellation)
        {
            long written = 0;
            // What reaches the disk: the body, plus the metadata put into it on the way (journalled as the file's length).
            long stored = 0;
            var injector = options.Metadata == null ? null : new XmpInjector(options.Metadata);
            string format = null;
            var head = new byte[ImageFormat.SignatureLength];
            int headCount = 0;
            var tail = new byte[ImageFormat.SignatureLength];
            int tailCount = 0;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: !WriteInline))
            {
                var buffer = new byte[BufferSize];
                while (true)
                {
                    int count = await read(buffer).ConfigureAwait(false);
                    if (count == 0) break;
                    if (headCount < head.Length)
                    {
                        int take = Math.Min(head.Length - headCount, count);
                        Buffer.BlockCopy(buffer, 0, head, headCount, take);
                        headCount += take;
                        if (headCount == head.Length)
                        {
                            // Reject a non-image on its first bytes rather than after writing it all.
                            format = ImageFormat.Detect(head, headCount) ?? throw notAnImage();
                        }
                    }
                    tailCount = KeepTail(tail, tailCount, buffer, count);
                    written += count;
                    if (written > options.MaxBytes) throw tooLarge(written);
                    if (injector == null)
                    {
                        if (WriteInline) file.Write(buffer, 0, count);
                        else await file.WriteAsync(buffer, 0, count, cancellation).ConfigureAwait(false);
                        stored += count;
                    }
                    else
                    {
                        stored += await WriteAllAsync(file, injector.Process(buffer, count), cancellation).ConfigureAwait(false);
                    }
                }
                format = format ?? ImageFormat.Detect(head, headCount);
                if (format == null) throw notAnImage();
                if ((declared.HasValue && written != declared.Value) || !ImageFormat.HasCompleteEnding(format, tail, tailCount)) throw truncated(written);
                if (injector != null) stored += await WriteAllAsync(file, injector.Complete(), cancellation).ConfigureAwait(false);
                // One trip to a disk thread: on disk, closed, then renamed into place.
                await DiskWork.Run(() =>
                {
                    file.Flush(flushToDisk: true);
                    file.Dispose();
                    Commit(temp, target, options, claim);
                }).ConfigureAwait(false);
            }
            return new DownloadResult(target, stored, format, injector?.Embedded ?? false);
        }

        private static async Task<long> WriteAllAsync(FileStream file, System.Collections.Generic.IReadOnlyList<ArraySegment<byte>> segments, CancellationToken cancellation)
        {
            long total = 0;
            for (int i = 0; i < segments.Count; i++)
            {
                var s = segments[i];
                if (WriteInline) file.Write(s.Array, s.Offset, s.Count);
                else await file.WriteAsync(s.Array, s.Offset, s.Count, cancellation).ConfigureAwait(false);
                total += s.Count;
            }
            return total;
        }

        // Enough of an error body to see what it says, and no more: it comes from a host we do not control.
        private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellation)
        {
            if (response.Content == null) return string.Empty;
            try
            {
                using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    var buffer = new byte[4096];
                    int total = 0, read;
                    while (total < buffer.Length && (read = await body.ReadAsync(buffer, total, buffer.Length - total, cancellation).ConfigureAwait(false)) > 0) total += read;
                    return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
                }
            }
            catch (Exception e) when (e is IOException || e is HttpRequestException)
            {
                return string.Empty;
            }
        }

        // A body that broke off: the socket's errors (.NET's IOException and HttpRequestException, .NET Framework's
        // WebException and an IOException wrapping it), a timeout, or the response disposed to end a stalled read.
        internal static bool IsBrokenRead(Exception e) =>
            e is IOException || e is InvalidDataException || e is HttpRequestException || e is System.Net.WebException || e is OperationCanceledException || e is ObjectDisposedException;

        /// <summary>How long to wait before each new try to replace a file that another program holds open.</summary>
        internal static readonly TimeSpan[] ReplaceRetryDelays =
        {
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800),
        };

        // Runs on a disk thread, so its waits hold no thread-pool thread.
        private static void Commit(string temp, string target, DownloadOptions options, FileStream claim)
        {
            if (claim != null)
            {
                // The placeholder is ours (claimed and still locked): the image takes its place in one rename. Windows
                // replaces only a file nobody holds open.
                if (claim.Length != 0 || !File.Exists(target)) throw new Errors.FileExistsException(target);
                if (Environment.OSVersion.Platform == PlatformID.Win32NT) claim.Dispose();
                options.ReplaceFile(temp, target);
                return;
            }
            if (options.Overwrite && File.Exists(target))
            {
                // On Windows an image viewer, antivirus or the search indexer may hold the old file open without delete
                // sharing for a moment: try again briefly, then say which file it is.
                for (int attempt = 0; ; attempt++)
                {
                    try
                    {
                        options.ReplaceFile(temp, target);
                        return;
                    }
                    catch (Exception e) when ((e is IOException || e is UnauthorizedAccessException) && File.Exists(temp) && File.Exists(target))
                    {
                        if (attempt >= ReplaceRetryDelays.Length)
                        {
                            throw new IOException("The file '" + target + "' could not be replaced: another program (an image viewer, antivirus or the search indexer?) holds it open. Close it and save again. (" + e.Message + ")", e);
                        }
                        Thread.Sleep(ReplaceRetryDelays[attempt]);
                    }
                }
            }
            else
            {
                // -Force and no file there yet.
                File.Move(temp, target);
            }
        }

        private static int KeepTail(byte[] tail, int tailCount, byte[] buffer, int read)
        {
            if (read >= tail.Length)
            {
                Buffer.BlockCopy(buffer, read - tail.Length, tail, 0, tail.Length);
                return tail.Length;
            }
            int keep = Math.Min(tailCount, tail.Length - read);
            Buffer.BlockCopy(tail, tailCount - keep, tail, 0, keep);
            Buffer.BlockCopy(buffer, 0, tail, keep, read);
            return keep + read;
        }

        private static SeedreamApiException DownloadError(HttpTransport transport, HttpResponseMessage response, Uri url, string detail)
        {
            int status = (int)response.StatusCode;
            bool gone = status == 403 || status == 404 || status == 410;
            // Object stores say so when a signed URL is past its time ("Request has expired").
            bool expired = gone && detail != null && detail.IndexOf("expired", StringComparison.OrdinalIgnoreCase) >= 0;
            string message = expired
                ? "The image at {0} has expired (HTTP {1}): result URLs are valid for 24 hours after generation. Nothing was saved; the task is marked expired in the journal."
                : gone ? "The image at {0} is no longer available (HTTP {1}); result URLs expire 24 hours after generation."
                : "Downloading {0} failed with HTTP {1}.";
            return new SeedreamApiException(transport.Gateway, string.Format(CultureInfo.InvariantCulture, message, url.GetLeftPart(UriPartial.Path), status))
            {
                HttpStatus = status,
                ErrorCode = expired ? DownloadErrorCodes.ImageExpired : gone ? DownloadErrorCodes.ImageUnavailable : null,
                IsRetryable = HttpTransport.IsTransientStatus(status) || status == 500,
                // The image host's Retry-After counts as much as a gateway's.
                RetryAfter = HttpTransport.RetryAfterOf(response),
            };
        }

        private static SeedreamApiException Truncated(HttpTransport transport, Uri url, long written, long? declared, Exception inner) =>
            new SeedreamApiException(transport.Gateway, string.Format(CultureInfo.InvariantCulture,
                "The download of {0} broke off after {1:N0} of {2} bytes.", url.GetLeftPart(UriPartial.Path), written,
                declared.HasValue ? declared.Value.ToString("N0", CultureInfo.InvariantCulture) : "an unknown number of"), inner)
            {
                ErrorCode = DownloadErrorCodes.TruncatedDownload,
                IsRetryable = true,
            };

        private static SeedreamApiException NotAnImage(HttpTransport transport, Uri url) =>
            new SeedreamApiException(transport.Gateway, "The file at " + url.GetLeftPart(UriPartial.Path) + " is not an image (no PNG, JPEG, GIF, WebP, BMP or TIFF signature); nothing was saved.")
            {
                ErrorCode = DownloadErrorCodes.NotAnImage,
            };

        private static SeedreamApiException TooLarge(HttpTransport transport, Uri url, long size, long cap) =>
            new SeedreamApiException(transport.Gateway, string.Format(CultureInfo.InvariantCulture,
                "The file at {0} is larger than the {1:N0}-byte cap ({2:N0} bytes); nothing was saved.", url.GetLeftPart(UriPartial.Path), cap, size))
            {
                ErrorCode = DownloadErrorCodes.TooLarge,
            };
    }
}
