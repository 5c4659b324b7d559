using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Journal
{
    /// <summary>The record of every paid task and every saved file, in JSON lines, as one service per journal file and
    /// process. A record is on disk (flushed and synced) before the task that waits for it completes, so a crash loses
    /// nothing that was paid for; several processes may append at once. The live file keeps only what is still open
    /// (tasks whose images can still be fetched, and requests whose outcome is unknown): finished history is rolled
    /// into dated archives beside it when the journal is opened, so start-up time and memory do not grow with history.
    /// Appends are written by one dedicated thread, so fsyncs and lock waits never block the thread pool the HTTP stack
    /// needs, and appends that arrive together share one fsync. Records of money (an attempt, a created task, an unknown
    /// outcome) are fsynced before their append completes; records that a re-run can learn again (images known, saved,
    /// failed, expired) are written at once, so a crash of the process loses none, and fsynced with the next record of
    /// money, by <see cref="SyncAsync"/>, or within <see cref="LazySyncDelay"/>. The API key is never written.</summary>
    public sealed class TaskJournal : IJournalView
    {
        /// <summary>Environment variable that moves the journal.</summary>
        public const string PathVariable = "SEEDREAM_JOURNAL_PATH";

        /// <summary>How many finished lines the live file may hold before opening it rolls them into the archives.</summary>
        public const int DefaultCompactionThreshold = 2000;

        private static readonly ConcurrentDictionary<string, TaskJournal> Shared = new ConcurrentDictionary<string, TaskJournal>(PathComparer);

        /// <summary>At most how long a record that a re-run can learn again stays written but not yet fsynced.</summary>
        public static readonly TimeSpan LazySyncDelay = JournalWriter.LazySyncDelay;

        // _io serialises this instance's file work (appends, tail reads, loads); _gate guards the state and is held only
        // for moments, so readers never wait for an fsync.
        private readonly object _io = new object();
        private readonly object _gate = new object();
        private readonly JournalLock _lock;
        private readonly JournalWriter _writer;
        private readonly JournalCompactor _compactor;

        /// <summary>How many times this instance fsynced the live file (for tests of what is durable when).</summary>
        internal int Fsyncs => _writer.Fsyncs;

        /// <summary>Whether the writer thread is running (for tests that it ends).</summary>
        internal bool WriterRunning => _writer.Running;

        private JournalState _state;
        private long _offset;
        private string _generation;

        /// <summary>Opens (or will create) the journal at <paramref name="path"/>. Nothing is read until it is used.</summary>
        public TaskJournal(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The journal path is empty.", nameof(path));
            Path = System.IO.Path.GetFullPath(path);
            _lock = new JournalLock(Path);
            _writer = new JournalWriter(Path, _lock, this);
            _compactor = new JournalCompactor(Path);
        }

        /// <summary>The live journal file.</summary>
        public string Path { get; }

        /// <summary>Where inline images (<c>-ImageDelivery Inline</c>) wait, decoded, until they are saved: beside the
        /// journal that names them, so <c>-Resume</c> can still save one whose process ended first (within the result
        /// lifetime, like a URL); compaction deletes those of tasks it archives.</summary>
        public string InlineFolder => InlineFolderOf(Path);

        /// <summary>The inline folder of the journal at <paramref name="journalPath"/>.</summary>
        internal static string InlineFolderOf(string journalPath) =>
            System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(journalPath)),
                System.IO.Path.GetFileNameWithoutExtension(journalPath) + InlineFolderSuffix);

        // journal.jsonl's is journal.inline: each journal its own, so two journals (or a copy) in one folder never share
        // decoded files, nor delete each other's when compacting.
        private const string InlineFolderSuffix = ".inline";

        // Where a record names the decoded file of an inline image, by its name in InlineFolder (never a path, so the
        // journal can move, or be reached by another spelling): one ("file", an image record) or by index ("inlineFiles").
        internal const string InlineFileProperty = "file";
        internal const string InlineFilesProperty = "inlineFiles";

        /// <summary>Finished lines the live file may hold before it is compacted on opening.</summary>
        public int CompactionThreshold { get; set; } = DefaultCompactionThreshold;

        /// <summary>Where the journal lives unless moved: the user's local application data folder.</summary>
        public static string DefaultPath =>
            System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "SeedreamPS", "journal.jsonl");

        /// <summary>The journal named by <paramref name="path"/>, else by SEEDREAM_JOURNAL_PATH, else the default; one
        /// instance per file in this process, so its state is read once per session.</summary>
        public static TaskJournal Resolve(string path = null)
        {
            string chosen = !string.IsNullOrWhiteSpace(path) ? path : Environment.GetEnvironmentVariable(PathVariable);
            return Open(string.IsNullOrWhiteSpace(chosen) ? DefaultPath : chosen);
        }

        /// <summary>The process's one instance for the journal file at <paramref name="path"/>.</summary>
        public static TaskJournal Open(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The journal path is empty.", nameof(path));
            return Shared.GetOrAdd(System.IO.Path.GetFullPath(path), full => new TaskJournal(full));
        }

        private static StringComparer PathComparer =>
            Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>The dated archive files beside the live one, oldest first.</summary>
        public IReadOnlyList<string> ArchivePaths => _compactor.ArchivePaths;

        // ---- Records -------------------------------------------------------------------------------------------------

        /// <summary>Records that a create is about to be sent; from now until <see cref="RecordCreatedAsync"/> its outcome is unknown.</summary>
        public Task RecordAttemptAsync(JournalKey key, SeedreamGateway gateway, string model) =>
            Append(JournalRecordTypes.Attempt, Durability.Synced, w =>
            {
                WriteKey(w, key);
                w.WriteString("gateway", gateway.ToString());
                w.WriteString("model", model);
            });

        /// <summary>Records a created (paid) task with the request and record it came from.</summary>
        public Task RecordCreatedAsync(JournalKey key, SeedreamTask task) =>
            Append(JournalRecordTypes.Created, Durability.Synced, w =>
            {
                if (key != null) WriteKey(w, key);
                w.WriteString("gateway", task.Gateway.ToString());
                w.WriteString("id", task.Id);
                w.WriteString("model", task.Model);
                if (task.CreatedAt.HasValue) w.WriteString("createdAt", task.CreatedAt.Value.ToString("O", CultureInfo.InvariantCulture));
                if (task.Request?.Prompt != null) w.WriteString("prompt", task.Request.Prompt);
                // For usage reports: what was pre-charged for, and what the gateway said it charged (LinkModel: USD;
                // EvoLink: credits reserved).
                if (task.Request != null) w.WriteNumber("count", task.Request.Count);
                if (task.Charge.HasValue) w.WriteNumber("charge", task.Charge.Value);
                // Synchronous gateways answer with the images; they cannot be queried later, so their URLs are kept. An
                // image that came inline has none (null): it cannot be fetched again, and the journal says so.
                if (task.Images.Count > 0)
                {
                    w.WriteStartArray("images");
                    foreach (var image in task.Images)
                    {
                        if (image.Url == null) w.WriteNullValue();
                        else w.WriteStringValue(image.Url.AbsoluteUri);
                    }
                    w.WriteEndArray();
                    // Where each inline image waits, decoded (null for one with a URL): -Resume saves it from there.
                    if (task.Images.Any(i => i.Url == null && i.InlineFile != null))
                    {
                        w.WriteStartArray(InlineFilesProperty);
                        foreach (var image in task.Images)
                        {
                            if (image.Url == null && image.InlineFile != null) w.WriteStringValue(System.IO.Path.GetFileName(image.InlineFile));
                            else w.WriteNullValue();
                        }
                        w.WriteEndArray();
                    }
                }
                // A stream's images follow in image records as they arrive.
                if (task.Streamed) w.WriteBoolean("stream", true);
                w.WriteStartObject("context");
                foreach (var pair in task.Context ?? new Dictionary<string, object>())
                {
                    if (IsPlain(pair.Value)) w.WriteString(pair.Key, Convert.ToString(pair.Value, CultureInfo.InvariantCulture));
                }
                w.WriteEndObject();
            });

        /// <summary>Records that a create was refused, so nothing was made and a re-run may send it again.</summary>
        public Task RecordRefusedAsync(JournalKey key, string reason) => Append(JournalRecordTypes.Refused, Durability.Synced, w => { WriteKey(w, key); w.WriteString("reason", reason); });

        /// <summary>Records that a create's outcome stays unknown (it may have made a task nobody heard of).</summary>
        public Task RecordUnknownAsync(JournalKey key, string reason) => Append(JournalRecordTypes.Unknown, Durability.Synced, w => { WriteKey(w, key); w.WriteString("reason", reason); });

        /// <summary>Records a finished task's result URLs, so the journal knows how many images there are to save. Lost
        /// to a power cut, a re-run queries the task again, so it is fsynced lazily.</summary>
        public Task RecordCompletedAsync(SeedreamTask task) =>
            Append(JournalRecordTypes.Completed, Durability.Lazy, w =>
            {
                w.WriteString("id", task.Id);
                w.WriteStartArray("images");
                foreach (var image in task.Images)
                {
                    if (image.Url == null) w.WriteNullValue();
                    else w.WriteStringValue(image.Url.AbsoluteUri);
                }
                w.WriteEndArray();
            });

        /// <summary>Records one image of a stream as it arrives: its URL, or that it came inline and has none. Synced before
        /// anyone saves it: a stream cannot be asked again, so this is the only record of where the image is.</summary>
        public Task RecordStreamedImageAsync(string taskId, SeedreamImage image) =>
            Append(JournalRecordTypes.Image, Durability.Synced, w =>
            {
                w.WriteString("id", taskId);
                w.WriteNumber("index", image.Index);
                if (image.Url != null) w.WriteString("url", image.Url.AbsoluteUri);
                else
                {
                    w.WriteBoolean("inline", true);
                    if (image.InlineFile != null) w.WriteString(InlineFileProperty, System.IO.Path.GetFileName(image.InlineFile));
                }
            });

        /// <summary>Records that a stream ended: complete, or broken off with the images recorded so far.</summary>
        public Task RecordStreamEndedAsync(string taskId, int images, bool complete) =>
            Append(JournalRecordTypes.StreamEnded, Durability.Lazy, w =>
            {
                w.WriteString("id", taskId);
                w.WriteNumber("images", images);
                w.WriteBoolean("complete", complete);
            });

        /// <summary>Records a saved file (itself already fsynced). Lost to a power cut, a re-run downloads the file again,
        /// so it is fsynced lazily.</summary>
        public Task RecordSavedAsync(string taskId, int index, string path, long length) =>
            Append(JournalRecordTypes.Saved, Durability.Lazy, w =>
            {
                w.WriteString("id", taskId);
                w.WriteNumber("index", index);
                w.WriteString("path", path);
                w.WriteNumber("length", length);
            });

        /// <summary>Records that a task finished without images (failed or cancelled): there is nothing left to save.</summary>
        public Task RecordFailedAsync(SeedreamTask task) =>
            Append(JournalRecordTypes.Failed, Durability.Lazy, w =>
            {
                w.WriteString("id", task.Id);
                w.WriteString("status", task.Status.ToString());
                if (task.Error != null) w.WriteString("error", task.Error.ToString());
            });

        /// <summary>Records that a task's images can no longer be fetched.</summary>
        public Task RecordExpiredAsync(string taskId) => Append(JournalRecordTypes.Expired, Durability.Lazy, w => w.WriteString("id", taskId));

        // ---- Reads of the live state ---------------------------------------------------------------------------------

        /// <summary>Reads what other processes appended since this process last looked.</summary>
        public void Refresh()
        {
            EnsureLoaded();
            lock (_io) ReadTail();
        }

        /// <summary>Paid tasks whose images are not all saved and can still be fetched, as tasks ready to save (what
        /// other processes appended included).</summary>
        public IReadOnlyList<SeedreamTask> UnsavedTasks()
        {
            Refresh();
            lock (_gate) return _state.Unsaved.Select(t => t.ToTask()).ToList();
        }

        /// <summary>What happened to the request with <paramref name="key"/>, and a copy of its task where one was made.</summary>
        internal AttemptStatus StatusOf(JournalKey key, out JournalTask task)
        {
            EnsureLoaded();
            lock (_gate)
            {
                var status = _state.StatusOf(key, out var found);
                task = found?.Copy();
                return status;
            }
        }

        /// <summary>Whether image <paramref name="index"/> of the task was saved to <paramref name="path"/> and is still there.</summary>
        internal bool WasSavedTo(string taskId, int index, string path)
        {
            EnsureLoaded();
            lock (_gate) return _state.WasSavedTo(taskId, index, path);
        }

        /// <summary>A file image <paramref name="index"/> of the task was saved to and that still holds it (the journal with
        /// what other processes appended); null when there is none.</summary>
        internal string SavedFileOf(string taskId, int index)
        {
            Refresh();
            lock (_gate)
            {
                return _state.Task(taskId) is JournalTask task && task.Saved.TryGetValue(index, out var path) && _state.WasSavedTo(taskId, index, path) ? path : null;
            }
        }

        /// <summary>A copy of the task whose image the journal (with what other processes appended) says was last saved to
        /// <paramref name="path"/>, and that image's index; null when none was.</summary>
        internal JournalTask SavedTo(string path, out int index)
        {
            Refresh();
            lock (_gate)
            {
                var task = _state.SavedTo(path, out index);
                return task?.Copy();
            }
        }

        /// <summary>Whether the journal already holds the task's result URLs.</summary>
        internal bool KnowsImagesOf(string taskId)
        {
            EnsureLoaded();
            lock (_gate) return _state.KnowsImagesOf(taskId);
        }

        /// <summary>Lines of the live file this process holds in memory (for tests and diagnostics).</summary>
        public int LiveTaskCount
        {
            get
            {
                EnsureLoaded();
                lock (_gate) return _state.Tasks.Count;
            }
        }

        // ---- Fresh reads ---------------------------------------------------------------------------------------------

        /// <summary>Reads the live file afresh (and, with <paramref name="includeArchives"/>, the archives first) into a
        /// state of its own. A line torn by a crash is skipped and counted.</summary>
        public JournalState Load(bool includeArchives = false)
        {
            var state = new JournalState(InlineFolder);
            if (includeArchives)
            {
                foreach (var archive in ArchivePaths) JournalLines.ReadAll(archive, state);
            }
            JournalLines.ReadAll(Path, state);
            return state;
        }

        // ---- Loading, tailing and compaction -------------------------------------------------------------------------

        private void EnsureLoaded()
        {
            lock (_gate)
            {
                if (_state != null) return;
            }
            lock (_io)
            {
                lock (_gate)
                {
                    if (_state != null) return;
                }
                if (File.Exists(Path))
                {
                    // Compaction replaces the live file: other processes must not append meanwhile.
                    using (_lock.Acquire())
                    {
                        try
                        {
                            _compactor.Compact(DateTimeOffset.UtcNow, force: false, CompactionThreshold);
                        }
                        catch (IOException)
                        {
                            // An archive that cannot be written now leaves the live file whole; the next opening tries again.
                        }
                        catch (UnauthorizedAccessException)
                        {
                        }
                    }
                }
                LoadLive();
            }
        }

        // Under _io: reads the whole live file into a new state.
        private void LoadLive()
        {
            var state = new JournalState(InlineFolder);
            long offset = 0;
            string generation = null;
            if (File.Exists(Path))
            {
                using (var stream = JournalLines.OpenForReading(Path))
                {
                    if (stream != null) offset = JournalLines.ReadLines(stream, state, out generation);
                }
            }
            lock (_gate)
            {
                _state = state;
                _offset = offset;
                _generation = generation;
            }
        }

        // Under _io: applies lines other processes appended; reloads when the file was compacted meanwhile.
        private void ReadTail()
        {
            using (var stream = JournalLines.OpenForReading(Path))
            {
                if (stream == null) return;
                // One handle for the header check and the tail: it keeps reading one file even if it is replaced meanwhile.
                string generation = JournalLines.ReadGeneration(stream);
                if (generation != _generation || stream.Length < _offset)
                {
                    stream.Position = 0;
                    var fresh = new JournalState(InlineFolder);
                    long all = JournalLines.ReadLines(stream, fresh, out string g);
                    lock (_gate)
                    {
                        _state = fresh;
                        _offset = all;
                        _generation = g;
                    }
                    return;
                }
                if (stream.Length == _offset) return;
                stream.Position = _offset;
                long consumed;
                lock (_gate) consumed = JournalLines.ReadLines(stream, _state, out _);
                _offset += consumed;
            }
        }

        /// <summary>Rolls finished history out of the live file into the dated archives now, whatever its size.
        /// Returns how many lines moved.</summary>
        public int Compact()
        {
            lock (_io)
            {
                int moved;
                using (_lock.Acquire()) moved = _compactor.Compact(DateTimeOffset.UtcNow, force: true, CompactionThreshold);
                LoadLive();
                return moved;
            }
        }

        // ---- Appending -----------------------------------------------------------------------------------------------

        private enum Durability
        {
            Synced,
            Lazy,
        }

        /// <summary>Completes once every record appended before it is on disk (fsynced), the lazily synced ones included.</summary>
        public Task SyncAsync() => _writer.SyncAsync();

        private Task Append(string type, Durability durability, Action<Utf8JsonWriter> body)
        {
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteNumber("v", 1);
                w.WriteString("type", type);
                w.WriteString("time", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                body(w);
                w.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            return _writer.Append(buffer.ToArray(), durability == Durability.Synced);
        }

        // What the writer thread keeps in step with the file: it catches this state up with other processes' lines and
        // applies its own, under _io and the cross-process lock, so the state and the offset follow the file in order.
        object IJournalView.FileWork => _io;

        void IJournalView.EnsureLoaded() => EnsureLoaded();

        long IJournalView.CatchUp()
        {
            ReadTail();
            return _offset;
        }

        void IJournalView.Appended(IReadOnlyList<byte[]> lines, long end)
        {
            lock (_gate)
            {
                string ignored = null;
                foreach (var line in lines) JournalLines.ApplyLine(line, line.Length - 1, _state, ref ignored);
                _offset = end;
            }
        }

        private static void WriteKey(Utf8JsonWriter w, JournalKey key)
        {
            w.WriteString("fingerprint", key.Fingerprint);
            w.WriteString("record", key.Record);
            w.WriteNumber("occurrence", key.Occurrence);
        }

        private static bool IsPlain(object value) =>
            value == null || value is string || value is IConvertible || value is Uri || value is DateTimeOffset || value is Guid;
    }
}
