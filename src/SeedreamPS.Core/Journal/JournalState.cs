using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;

namespace SeedreamPS.Core.Journal
{
    /// <summary>The journal read into memory: requests by key, tasks by id.</summary>
    public sealed class JournalState
    {
        private readonly Dictionary<JournalKey, (AttemptStatus Status, string TaskId)> _attempts = new Dictionary<JournalKey, (AttemptStatus, string)>();
        private readonly Dictionary<string, JournalTask> _tasks = new Dictionary<string, JournalTask>(StringComparer.Ordinal);
        // Which image each saved path holds now: a later save to the same path (only ever with -Force) replaced the file,
        // so the earlier image is no longer saved.
        private readonly Dictionary<string, (string TaskId, int Index)> _savedAt = new Dictionary<string, (string, int)>(Storage.FileClaims.PathComparer);
        // The length each path had when it was saved: a file written over since is not that save any more.
        private readonly Dictionary<string, long> _lengthAt = new Dictionary<string, long>(Storage.FileClaims.PathComparer);

        // The folder a line may name an inline image's decoded file in (TaskJournal.InlineFolder); null: none.
        private readonly string _inlineFolder;

        /// <summary>A state that takes no line's inline file (it names no folder for them).</summary>
        public JournalState() : this(null)
        {
        }

        internal JournalState(string inlineFolder) => _inlineFolder = inlineFolder;

        // A decoded inline image a line names: a decoder's file name, found in this journal's inline folder; anything
        // else (a path, another name) is not taken.
        private string InlineFile(string name) =>
            _inlineFolder != null && Client.InlineImageParser.IsStagedName(name) ? System.IO.Path.Combine(_inlineFolder, name) : null;

        /// <summary>Lines that could not be read (torn by a crash mid-write).</summary>
        public int TornLines { get; internal set; }

        /// <summary>Whether the file ended in a line without its newline (being written, or torn by a crash).</summary>
        public bool PendingTail { get; internal set; }

        /// <summary>Every task the journal knows.</summary>
        public IReadOnlyCollection<JournalTask> Tasks => _tasks.Values;

        /// <summary>Paid tasks with images not yet saved that can still be fetched.</summary>
        public IEnumerable<JournalTask> Unsaved =>
            _tasks.Values.Where(t => t.KnownCreated && !t.Failed && !t.IsExpired && (t.ImageUrls.Count == 0
                ? t.Saved.Count == 0 && !t.Streamed
                // Only images that can be had: fetched by URL, or an inline one still waiting where it was decoded.
                : Enumerable.Range(0, t.ImageUrls.Count).Any(i => !t.Saved.ContainsKey(i) && (t.ImageUrls[i] != null || t.HasStagedFile(i)))));

        /// <summary>The task with this id, or null.</summary>
        public JournalTask Task(string id) => id != null && _tasks.TryGetValue(id, out var task) ? task : null;

        /// <summary>What happened to the request with this key, and its task where one was made.</summary>
        public AttemptStatus StatusOf(JournalKey key, out JournalTask task)
        {
            task = null;
            if (!_attempts.TryGetValue(key, out var entry)) return AttemptStatus.None;
            task = Task(entry.TaskId);
            return entry.Status;
        }

        /// <summary>Whether image <paramref name="index"/> of the task was saved to <paramref name="path"/> and the file
        /// there is still the one saved (same length), not something else written over it since.</summary>
        /// <remarks>Any save of the image counts, not only its last: saved to A, then B, a re-run into A finds it there.</remarks>
        public bool WasSavedTo(string taskId, int index, string path)
        {
            if (path == null || !_savedAt.TryGetValue(path, out var owner) || !string.Equals(owner.TaskId, taskId, StringComparison.Ordinal) || owner.Index != index) return false;
            var file = new System.IO.FileInfo(path);
            return file.Exists && (!_lengthAt.TryGetValue(path, out long length) || file.Length == length);
        }

        internal void Apply(JsonElement record)
        {
            JsonElement? r = record;
            string type = r.Prop("type").Text();
            string id = r.Prop("id").Text();
            var key = r.Prop("fingerprint") == null ? null
                : new JournalKey(r.Prop("fingerprint").Text(), r.Prop("record").Text(), (int)(r.Prop("occurrence").Long() ?? 0));
            switch (type)
            {
                case JournalRecordTypes.Attempt:
                    _attempts[key] = (AttemptStatus.Unknown, null);
                    break;
                case JournalRecordTypes.Unknown:
                    _attempts[key] = (AttemptStatus.Unknown, null);
                    break;
                case JournalRecordTypes.Refused:
                    _attempts[key] = (AttemptStatus.Refused, null);
                    break;
                case JournalRecordTypes.Created:
                    var task = TaskFor(id);
                    task.KnownCreated = true;
                    if (Enum.TryParse(r.Prop("gateway").Text(), out SeedreamGateway gateway)) task.Gateway = gateway;
                    task.Model = r.Prop("model").Text();
                    task.Prompt = r.Prop("prompt").Text();
                    if (r.Prop("count").Long() is long count) task.Count = (int)count;
                    task.Charge = r.Prop("charge").Decimal();
                    if (DateTimeOffset.TryParse(r.Prop("createdAt").Text(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created)) task.CreatedAt = created;
                    var images = ImageList(r.Prop("images"));
                    if (images.Count > 0)
                    {
                        task.ImageUrls.Clear();
                        task.ImageUrls.AddRange(images);
                    }
                    var staged = ImageList(r.Prop(TaskJournal.InlineFilesProperty));
                    for (int i = 0; i < staged.Count; i++)
                    {
                        if (InlineFile(staged[i]) is string file) task.InlineFiles[i] = file;
                    }
                    if (r.Prop("stream") is JsonElement streamed && streamed.ValueKind == JsonValueKind.True) task.Streamed = true;
                    var context = r.Prop("context");
                    if (context != null && context.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in context.Value.EnumerateObject()) task.Context[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    }
                    if (key != null) _attempts[key] = (AttemptStatus.Created, id);
                    break;
                case JournalRecordTypes.Completed:
                    var done = TaskFor(id);
                    done.ImageUrls.Clear();
                    done.ImageUrls.AddRange(ImageList(r.Prop("images")));
                    break;
                case JournalRecordTypes.Image:
                    var arrived = TaskFor(id);
                    arrived.Streamed = true;
                    int at = (int)(r.Prop("index").Long() ?? arrived.ImageUrls.Count);
                    while (arrived.ImageUrls.Count <= at) arrived.ImageUrls.Add(null);
                    arrived.ImageUrls[at] = r.Prop("url").Text();
                    if (InlineFile(r.Prop(TaskJournal.InlineFileProperty).Text()) is string decoded) arrived.InlineFiles[at] = decoded;
                    break;
                case JournalRecordTypes.StreamEnded:
                    var ended = TaskFor(id);
                    ended.Streamed = true;
                    ended.StreamComplete = r.Prop("complete") is JsonElement complete && complete.ValueKind == JsonValueKind.True;
                    break;
                case JournalRecordTypes.Saved:
                    int index = (int)(r.Prop("index").Long() ?? 0);
                    NoteSaved(id, index, r.Prop("path").Text(), r.Prop("length").Long());
                    break;
                case JournalRecordTypes.Failed:
                    TaskFor(id).Failed = true;
                    break;
                case JournalRecordTypes.Expired:
                    TaskFor(id).MarkedExpired = true;
                    break;
            }
        }

        private void NoteSaved(string taskId, int index, string path, long? length)
        {
            var task = TaskFor(taskId);
            if (path != null)
            {
                if (_savedAt.TryGetValue(path, out var before) && (before.TaskId != task.Id || before.Index != index) && Task(before.TaskId) is JournalTask replaced
                    && replaced.Saved.TryGetValue(before.Index, out var old) && Storage.FileClaims.PathComparer.Equals(old, path))
                {
                    replaced.Saved.Remove(before.Index);
                }
                _savedAt[path] = (task.Id, index);
                if (length.HasValue) _lengthAt[path] = length.Value;
                else _lengthAt.Remove(path);
            }
            task.Saved[index] = path;
        }

        /// <summary>The task and image index the journal last saved to <paramref name="path"/>, or null.</summary>
        public JournalTask SavedTo(string path, out int index)
        {
            index = 0;
            if (path == null || !_savedAt.TryGetValue(path, out var owner)) return null;
            index = owner.Index;
            return Task(owner.TaskId);
        }

        // An images array: URLs, and null for an image that came inline (kept, so the indexes stay right).
        private static List<string> ImageList(JsonElement? images)
        {
            var list = new List<string>();
            if (images == null || images.Value.ValueKind != JsonValueKind.Array) return list;
            foreach (var item in images.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Null) list.Add(null);
                else if (((JsonElement?)item).Text() is string url && !string.IsNullOrWhiteSpace(url)) list.Add(url);
            }
            return list;
        }

        internal bool KnowsImagesOf(string taskId) => Task(taskId)?.ImageUrls.Count > 0;

        private JournalTask TaskFor(string id)
        {
            if (!_tasks.TryGetValue(id ?? "", out var task)) _tasks[id ?? ""] = task = new JournalTask(id ?? "");
            return task;
        }
    }
}
