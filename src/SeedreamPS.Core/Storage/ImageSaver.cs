using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Storage
{
    /// <summary>What to do when the target file already exists.</summary>
    public enum ExistingFileAction
    {
        /// <summary>Report an error and keep the existing file (the default: nothing is destroyed).</summary>
        Fail,

        /// <summary>Replace it (atomically).</summary>
        Overwrite,

        /// <summary>Keep it and do not download (re-running a batch saves only what is missing).</summary>
        Skip,
    }

    /// <summary>Where and how images are saved.</summary>
    public sealed class SaveOptions
    {
        /// <summary>The target folder.</summary>
        public string Folder { get; set; } = ".";

        /// <summary>The file name template (see <see cref="Storage.FileNameTemplate"/>).</summary>
        public string FileNameTemplate { get; set; } = Storage.FileNameTemplate.Default;

        /// <summary>What to do with existing files.</summary>
        public ExistingFileAction ExistingFile { get; set; } = ExistingFileAction.Fail;

        /// <summary>Cap on one download.</summary>
        public long MaxBytes { get; set; } = DownloadOptions.DefaultMaxBytes;

        /// <summary>Most downloads at once. Each streams in 80 KB chunks, so memory does not grow with this.</summary>
        public int MaxConcurrentDownloads { get; set; } = DefaultMaxConcurrentDownloads;

        /// <summary>The default download concurrency: enough to fill a link from a CDN, few enough not to thrash a disk.</summary>
        public const int DefaultMaxConcurrentDownloads = 8;
    }

    /// <summary>One image that was saved (or skipped because its file exists).</summary>
    public sealed class SavedImage
    {
        internal SavedImage(SeedreamTask task, SeedreamImage image, string path, long length, string format, bool skipped)
        {
            Task = task;
            Image = image;
            Path = path;
            Length = length;
            Format = format;
            Skipped = skipped;
        }

        /// <summary>The task the image came from, when known.</summary>
        public SeedreamTask Task { get; }

        /// <summary>The image.</summary>
        public SeedreamImage Image { get; }

        /// <summary>The full path of the file.</summary>
        public string Path { get; }

        /// <summary>Bytes written (0 when skipped).</summary>
        public long Length { get; }

        /// <summary>The detected format (null when skipped).</summary>
        public string Format { get; }

        /// <summary>True when the file existed and <see cref="ExistingFileAction.Skip"/> kept it.</summary>
        public bool Skipped { get; }
    }

    /// <summary>Saves images under names from a template, atomically, by the rules of <see cref="SaveOptions"/>.</summary>
    public sealed class ImageSaver
    {
        private readonly SaveOptions _options;
        private readonly Func<SeedreamTask, SeedreamClient> _clientFor;
        private readonly SemaphoreSlim _downloads;
        private readonly TaskJournal _journal;
        private readonly JournalState _saved;

        /// <summary>Creates a saver; <paramref name="clientFor"/> gives the client that downloads a task's images. With a
        /// <paramref name="journal"/>, every saved file is recorded, files the journal says were saved here are not fetched
        /// again, and images found expired mark their task.</summary>
        public ImageSaver(SaveOptions options, Func<SeedreamTask, SeedreamClient> clientFor, TaskJournal journal = null)
        {
            _journal = journal;
            _saved = journal?.Load();
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _clientFor = clientFor ?? throw new ArgumentNullException(nameof(clientFor));
            _downloads = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDownloads));
        }

        /// <summary>The path an image will be saved to.</summary>
        /// <exception cref="ArgumentException">The template is invalid or leads outside the folder.</exception>
        public string TargetPath(SeedreamTask task, SeedreamImage image) => FileNameTemplate.Resolve(_options.Folder, _options.FileNameTemplate, task, image);

        /// <summary>Saves every image of a finished task. A task that finished without images is recorded as such in the
        /// journal (so it is not listed as unsaved) and reported by an <see cref="InvalidOperationException"/>.</summary>
        public async Task<IReadOnlyList<SavedImage>> SaveTaskAsync(SeedreamTask task, CancellationToken cancellation)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            if (task.Status != SeedreamTaskStatus.Succeeded)
            {
                if (task.IsFinished) _journal?.RecordFailed(task);
                throw new InvalidOperationException(TaskFailureMessage(task));
            }
            return await Task.WhenAll(task.Images.Select(image => SaveAsync(task, image, cancellation))).ConfigureAwait(false);
        }

        /// <summary>What to tell the user about a task that has no images to save.</summary>
        public static string TaskFailureMessage(SeedreamTask task)
        {
            if (!task.IsFinished) return "Task " + task.Id + " on " + task.Gateway + " has not finished (" + task.Status + ").";
            string message = "Task " + task.Id + " on " + task.Gateway + (task.Status == SeedreamTaskStatus.Cancelled ? " was cancelled" : " failed") +
                ": " + (task.Error?.ToString() ?? "no reason given");
            return task.Error?.IsTransient == true ? message + " (a server-side failure: submitting the request again may succeed)" : message;
        }

        /// <summary>Saves one image.</summary>
        public async Task<SavedImage> SaveAsync(SeedreamTask task, SeedreamImage image, CancellationToken cancellation)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            string path = TargetPath(task, image);
            string taskId = task?.Id ?? image.TaskId;
            if (_journal != null && task != null && task.Images.Count > 0)
            {
                lock (_saved)
                {
                    if (!_saved.KnowsImagesOf(task.Id))
                    {
                        _journal.RecordCompleted(task);
                        _saved.NoteCompleted(task);
                    }
                }
            }
            bool savedBefore = false;
            if (_saved != null && taskId != null)
            {
                lock (_saved) savedBefore = _saved.WasSavedTo(taskId, image.Index, path);
            }
            if ((_options.ExistingFile == ExistingFileAction.Skip || savedBefore) && File.Exists(path))
            {
                // Already here: a re-run saves only what is missing.
                image.Path = path;
                return new SavedImage(task, image, path, 0, null, skipped: true);
            }
            var download = new DownloadOptions { Overwrite = _options.ExistingFile == ExistingFileAction.Overwrite, MaxBytes = _options.MaxBytes };
            await _downloads.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                var result = await _clientFor(task).DownloadAsync(image, path, download, cancellation).ConfigureAwait(false);
                if (_journal != null && taskId != null)
                {
                    _journal.RecordSaved(taskId, image.Index, result.Path, result.Length);
                    lock (_saved) _saved.NoteSaved(taskId, image.Index, result.Path, result.Length);
                }
                return new SavedImage(task, image, result.Path, result.Length, result.Format, skipped: false);
            }
            catch (Http.SeedreamApiException e) when (e.ErrorCode == "image_expired" && _journal != null && taskId != null)
            {
                _journal.RecordExpired(taskId);
                throw;
            }
            finally
            {
                _downloads.Release();
            }
        }
    }
}
