using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Journal
{
    /// <summary>Decides, line by line, what stays in the live journal and which dated archive the rest goes to.
    /// What stays: every task whose images can still be fetched (younger than the gateways keep results, and not found
    /// expired), and every request whose outcome is unknown, since -Resume holds it. What goes: tasks past their result
    /// lifetime (reuse and saving are impossible for them anyway), refusals older than that, and unreadable lines.</summary>
    internal sealed class CompactionScan
    {
        /// <summary>The route of a line that stays in the live file.</summary>
        public const string Live = "";

        private readonly DateTimeOffset _now;
        private readonly Dictionary<string, TaskAge> _tasks = new Dictionary<string, TaskAge>(StringComparer.Ordinal);
        private readonly Dictionary<JournalKey, KeyAge> _keys = new Dictionary<JournalKey, KeyAge>();
        private int _tornLines;

        public CompactionScan(DateTimeOffset now) => _now = now;

        private sealed class TaskAge
        {
            public DateTimeOffset? Created;
            public DateTimeOffset Last = DateTimeOffset.MinValue;
            public bool Expired;
            public int Lines;
            public List<string> Staged;
        }

        private sealed class KeyAge
        {
            public AttemptStatus Status;
            public string TaskId;
            public DateTimeOffset Last = DateTimeOffset.MinValue;
            public int Lines;
        }

        private struct Line
        {
            public bool Readable;
            public bool Header;
            public string Type;
            public string Id;
            public JournalKey Key;
            public DateTimeOffset? Time;
            public DateTimeOffset? CreatedAt;
            public List<string> Staged;
        }

        /// <summary>First pass: learns each task's and request's age and state.</summary>
        public void Note(byte[] bytes, int length)
        {
            var line = Parse(bytes, length);
            if (!line.Readable)
            {
                _tornLines++;
                return;
            }
            if (line.Header) return;
            var time = line.Time ?? _now;
            if (line.Id != null && !JournalRecordTypes.IsAboutRequest(line.Type))
            {
                if (!_tasks.TryGetValue(line.Id, out var task)) _tasks[line.Id] = task = new TaskAge();
                task.Lines++;
                if (time > task.Last) task.Last = time;
                if (line.Type == JournalRecordTypes.Created && line.CreatedAt.HasValue) task.Created = line.CreatedAt;
                if (line.Type == JournalRecordTypes.Expired) task.Expired = true;
                if (line.Staged != null) (task.Staged ?? (task.Staged = new List<string>())).AddRange(line.Staged);
                if (line.Type == JournalRecordTypes.Created && line.Key != null) KeyOf(line.Key, time, counts: false, AttemptStatus.Created, line.Id);
                return;
            }
            if (line.Key == null)
            {
                _tornLines++;
                return;
            }
            KeyOf(line.Key, time, counts: true, line.Type == JournalRecordTypes.Refused ? AttemptStatus.Refused : AttemptStatus.Unknown, null);
        }

        private void KeyOf(JournalKey key, DateTimeOffset time, bool counts, AttemptStatus status, string taskId)
        {
            if (!_keys.TryGetValue(key, out var entry)) _keys[key] = entry = new KeyAge();
            if (counts) entry.Lines++;
            if (time > entry.Last) entry.Last = time;
            entry.Status = status;
            entry.TaskId = taskId;
        }

        private bool TaskGoes(string id) =>
            _tasks.TryGetValue(id, out var task) && (task.Expired || (task.Created ?? task.Last) + SeedreamTask.ResultLifetime <= _now);

        private bool KeyGoes(JournalKey key)
        {
            if (!_keys.TryGetValue(key, out var entry)) return true;
            switch (entry.Status)
            {
                case AttemptStatus.Created: return TaskGoes(entry.TaskId);
                case AttemptStatus.Refused: return entry.Last + SeedreamTask.ResultLifetime <= _now;
                default: return false;
            }
        }

        /// <summary>The decoded inline images of the tasks that leave the live file: unsaved, and past the time -Resume
        /// would save them, so they are deleted once the archive is written.</summary>
        public IEnumerable<string> StagedFilesLeaving()
        {
            // A file a staying task names stays, whatever an archived line says of it.
            var staying = new HashSet<string>(_tasks.Where(t => t.Value.Staged != null && !TaskGoes(t.Key)).SelectMany(t => t.Value.Staged), Storage.FileClaims.PathComparer);
            foreach (var pair in _tasks)
            {
                if (pair.Value.Staged == null || !TaskGoes(pair.Key)) continue;
                foreach (var file in pair.Value.Staged)
                {
                    if (!staying.Contains(file)) yield return file;
                }
            }
        }

        /// <summary>How many lines would leave the live file.</summary>
        public int ArchivableLines()
        {
            int lines = _tornLines;
            foreach (var pair in _tasks) if (TaskGoes(pair.Key)) lines += pair.Value.Lines;
            foreach (var pair in _keys) if (KeyGoes(pair.Key)) lines += pair.Value.Lines;
            return lines;
        }

        /// <summary>Second pass: <see cref="Live"/>, the archive month (yyyy-MM) a line goes to, or null to drop it (an old header).</summary>
        public string Route(byte[] bytes, int length)
        {
            var line = Parse(bytes, length);
            if (!line.Readable) return Month(_now);
            if (line.Header) return null;
            bool goes = line.Id != null && !JournalRecordTypes.IsAboutRequest(line.Type)
                ? TaskGoes(line.Id)
                : line.Key == null || KeyGoes(line.Key);
            return goes ? Month(line.Time ?? _now) : Live;
        }

        private static string Month(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        private static Line Parse(byte[] bytes, int length)
        {
            var line = new Line();
            try
            {
                using (var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, 0, length)))
                {
                    JsonElement? r = doc.RootElement;
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) return line;
                    line.Readable = true;
                    line.Type = r.Prop("type").Text();
                    line.Header = line.Type == JournalRecordTypes.Header;
                    line.Id = r.Prop("id").Text();
                    if (r.Prop("fingerprint") != null)
                    {
                        line.Key = new JournalKey(r.Prop("fingerprint").Text(), r.Prop("record").Text(), (int)(r.Prop("occurrence").Long() ?? 0));
                    }
                    if (DateTimeOffset.TryParse(r.Prop("time").Text(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)) line.Time = time;
                    if (r.Prop(TaskJournal.InlineFileProperty).Text() is string file) line.Staged = new List<string> { file };
                    if (r.Prop(TaskJournal.InlineFilesProperty) is JsonElement files && files.ValueKind == JsonValueKind.Array)
                    {
                        line.Staged = files.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()).ToList();
                    }
                    if (DateTimeOffset.TryParse(r.Prop("createdAt").Text(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created)) line.CreatedAt = created;
                }
            }
            catch (JsonException)
            {
                line.Readable = false;
            }
            return line;
        }
    }
}
