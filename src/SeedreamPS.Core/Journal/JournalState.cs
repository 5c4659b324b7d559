using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Journal
{
    /// <summary>What happened to a request, as far as the journal knows.</summary>
    public enum AttemptStatus
    {
        /// <summary>Never sent.</summary>
        None,

        /// <summary>A task was made (and paid for).</summary>
        Created,

        /// <summary>The gateway refused it: nothing was made.</summary>
        Refused,

        /// <summary>It was sent but no answer was recorded: a task may exist that nobody heard of.</summary>
        Unknown,
    }

    /// <summary>A paid task as the journal remembers it.</summary>
    public sealed class JournalTask
    {
        internal JournalTask(string id) => Id = id;

        /// <summary>The task id.</summary>
        public string Id { get; }

        /// <summary>The gateway.</summary>
        public SeedreamGateway Gateway { get; internal set; }

        /// <summary>The model.</summary>
        public string Model { get; internal set; }

        /// <summary>When the gateway created it.</summary>
        public DateTimeOffset? CreatedAt { get; internal set; }

        /// <summary>The prompt.</summary>
        public string Prompt { get; internal set; }

        /// <summary>How many images the request asked (and was pre-charged) for, where recorded.</summary>
        public int? Count { get; internal set; }

        /// <summary>What the gateway reported it charged when the task was created (LinkModel: USD; EvoLink: credits).</summary>
        public decimal? Charge { get; internal set; }

        /// <summary>The input record's properties, as text.</summary>
        public Dictionary<string, object> Context { get; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Result URLs, where the gateway gave them at once (ModelArk); null for an image that came inline, which
        /// has no URL and cannot be fetched again.</summary>
        public List<string> ImageUrls { get; } = new List<string>();

        /// <summary>Whether the images were streamed (recorded one by one as they arrived).</summary>
        public bool Streamed { get; internal set; }

        /// <summary>Whether the stream ended complete; false for one broken off (or cut by a crash): the images recorded
        /// are all there is.</summary>
        public bool StreamComplete { get; internal set; }

        /// <summary>Indexes of images that came inline and were never saved: there is no URL to fetch them again.</summary>
        public IEnumerable<int> Unfetchable => Enumerable.Range(0, ImageUrls.Count).Where(i => ImageUrls[i] == null && !Saved.ContainsKey(i));

        /// <summary>Saved files by image index.</summary>
        public Dictionary<int, string> Saved { get; } = new Dictionary<int, string>();

        /// <summary>The length each saved file had, by image index.</summary>
        internal Dictionary<int, long> SavedLength { get; } = new Dictionary<int, long>();

        /// <summary>Whether the task finished without images.</summary>
        public bool Failed { get; internal set; }

        /// <summary>Whether a download found the images gone.</summary>
        public bool MarkedExpired { get; internal set; }

        /// <summary>Whether the images can no longer be fetched: marked so, or older than the gateways keep them.</summary>
        public bool IsExpired => MarkedExpired || (CreatedAt.HasValue && CreatedAt.Value + SeedreamTask.ResultLifetime <= DateTimeOffset.UtcNow);

        /// <summary>Whether the task's record came from a create (and not only from a saved file).</summary>
        public bool KnownCreated { get; internal set; }

        /// <summary>A copy that later records do not change.</summary>
        internal JournalTask Copy()
        {
            var copy = new JournalTask(Id)
            {
                Gateway = Gateway,
                Model = Model,
                CreatedAt = CreatedAt,
                Prompt = Prompt,
                Count = Count,
                Charge = Charge,
                Failed = Failed,
                MarkedExpired = MarkedExpired,
                Streamed = Streamed,
                StreamComplete = StreamComplete,
                KnownCreated = KnownCreated,
            };
            foreach (var pair in Context) copy.Context[pair.Key] = pair.Value;
            copy.ImageUrls.AddRange(ImageUrls);
            foreach (var pair in Saved) copy.Saved[pair.Key] = pair.Value;
            foreach (var pair in SavedLength) copy.SavedLength[pair.Key] = pair.Value;
            return copy;
        }

        /// <summary>The task as an object the cmdlets take: finished with its images where the journal has them,
        /// otherwise pending until the gateway is asked.</summary>
        public SeedreamTask ToTask()
        {
            var task = new SeedreamTask
            {
                Gateway = Gateway,
                Id = Id,
                Model = Model,
                CreatedAt = CreatedAt,
                // A stream cannot be asked again: with no image recorded, there is none to have.
                Status = ImageUrls.Count > 0 ? SeedreamTaskStatus.Succeeded : Streamed ? SeedreamTaskStatus.Failed : SeedreamTaskStatus.Pending,
                Progress = ImageUrls.Count > 0 || Streamed ? 100 : 0,
                Request = new SeedreamRequest { Prompt = Prompt, Model = Model },
                Streamed = Streamed,
            };
            if (task.Status == SeedreamTaskStatus.Failed) task.Error = new SeedreamTaskError("stream_broken", "The stream ended before any image of it was recorded.");
            var expires = (CreatedAt ?? DateTimeOffset.UtcNow) + SeedreamTask.ResultLifetime;
            for (int i = 0; i < ImageUrls.Count; i++)
            {
                // An inline image has no URL: saving it again says it cannot be fetched, rather than pretend.
                task.Images.Add(ImageUrls[i] == null ? new SeedreamImage(Id, i, null, null) { Inline = true } : new SeedreamImage(Id, i, new Uri(ImageUrls[i]), expires));
            }
            foreach (var pair in Context) task.Context[pair.Key] = pair.Value;
            return task;
        }
    }

    /// <summary>The journal read into memory: requests by key, tasks by id.</summary>
    public sealed class JournalState
    {
        private readonly Dictionary<JournalKey, (AttemptStatus Status, string TaskId)> _attempts = new Dictionary<JournalKey, (AttemptStatus, string)>();
        private readonly Dictionary<string, JournalTask> _tasks = new Dictionary<string, JournalTask>(StringComparer.Ordinal);
        // Which image each saved path holds now: a later save to the same path (only ever with -Force) replaced the file,
        // so the earlier image is no longer saved.
        private readonly Dictionary<string, (string TaskId, int Index)> _savedAt = new Dictionary<string, (string, int)>(Storage.FileClaims.PathComparer);

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
                // Only images that can be fetched: one that came inline and was never written has no URL.
                : Enumerable.Range(0, t.ImageUrls.Count).Any(i => t.ImageUrls[i] != null && !t.Saved.ContainsKey(i))));

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
        public bool WasSavedTo(string taskId, int index, string path)
        {
            if (!(Task(taskId) is JournalTask task) || !task.Saved.TryGetValue(index, out var saved) || !string.Equals(saved, path, StringComparison.Ordinal)) return false;
            var file = new System.IO.FileInfo(path);
            return file.Exists && (!task.SavedLength.TryGetValue(index, out long length) || file.Length == length);
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
                    replaced.SavedLength.Remove(before.Index);
                }
                _savedAt[path] = (task.Id, index);
            }
            task.Saved[index] = path;
            if (length.HasValue) task.SavedLength[index] = length.Value;
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
