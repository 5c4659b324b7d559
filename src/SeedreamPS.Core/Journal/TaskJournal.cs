using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Journal
{
    /// <summary>An append-only record of every paid task and every saved file, in JSON lines. Each record is flushed to
    /// disk before the caller goes on, so a crash loses nothing that was paid for; several processes may append at once
    /// (each append takes the file for itself for a moment). The API key is never written.</summary>
    public sealed class TaskJournal
    {
        /// <summary>Environment variable that moves the journal.</summary>
        public const string PathVariable = "SEEDREAM_JOURNAL_PATH";

        private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

        /// <summary>Opens (or will create) the journal at <paramref name="path"/>.</summary>
        public TaskJournal(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The journal path is empty.", nameof(path));
            Path = System.IO.Path.GetFullPath(path);
        }

        /// <summary>The journal file.</summary>
        public string Path { get; }

        /// <summary>Where the journal lives unless moved: the user's local application data folder.</summary>
        public static string DefaultPath =>
            System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "SeedreamPS", "journal.jsonl");

        /// <summary>The journal named by <paramref name="path"/>, else by SEEDREAM_JOURNAL_PATH, else the default.</summary>
        public static TaskJournal Resolve(string path = null)
        {
            string chosen = !string.IsNullOrWhiteSpace(path) ? path : Environment.GetEnvironmentVariable(PathVariable);
            return new TaskJournal(string.IsNullOrWhiteSpace(chosen) ? DefaultPath : chosen);
        }

        /// <summary>Records that a create is about to be sent; from now until <see cref="RecordCreated"/> its outcome is unknown.</summary>
        public void RecordAttempt(JournalKey key, SeedreamGateway gateway, string model) =>
            Append("attempt", w =>
            {
                WriteKey(w, key);
                w.WriteString("gateway", gateway.ToString());
                w.WriteString("model", model);
            });

        /// <summary>Records a created (paid) task with the request and record it came from.</summary>
        public void RecordCreated(JournalKey key, SeedreamTask task) =>
            Append("created", w =>
            {
                WriteKey(w, key);
                w.WriteString("gateway", task.Gateway.ToString());
                w.WriteString("id", task.Id);
                w.WriteString("model", task.Model);
                if (task.CreatedAt.HasValue) w.WriteString("createdAt", task.CreatedAt.Value.ToString("O", CultureInfo.InvariantCulture));
                if (task.Request?.Prompt != null) w.WriteString("prompt", task.Request.Prompt);
                // Synchronous gateways answer with the images; they cannot be queried later, so their URLs are kept.
                if (task.Images.Count > 0)
                {
                    w.WriteStartArray("images");
                    foreach (var image in task.Images) w.WriteStringValue(image.Url.AbsoluteUri);
                    w.WriteEndArray();
                }
                w.WriteStartObject("context");
                foreach (var pair in task.Context ?? new Dictionary<string, object>())
                {
                    if (IsPlain(pair.Value)) w.WriteString(pair.Key, Convert.ToString(pair.Value, CultureInfo.InvariantCulture));
                }
                w.WriteEndObject();
            });

        /// <summary>Records that a create was refused, so nothing was made and a re-run may send it again.</summary>
        public void RecordRefused(JournalKey key, string reason) => Append("refused", w => { WriteKey(w, key); w.WriteString("reason", reason); });

        /// <summary>Records that a create's outcome stays unknown (it may have made a task nobody heard of).</summary>
        public void RecordUnknown(JournalKey key, string reason) => Append("unknown", w => { WriteKey(w, key); w.WriteString("reason", reason); });

        /// <summary>Records a finished task's result URLs, so the journal knows how many images there are to save.</summary>
        public void RecordCompleted(SeedreamTask task) =>
            Append("completed", w =>
            {
                w.WriteString("id", task.Id);
                w.WriteStartArray("images");
                foreach (var image in task.Images) w.WriteStringValue(image.Url.AbsoluteUri);
                w.WriteEndArray();
            });

        /// <summary>Records a saved file.</summary>
        public void RecordSaved(string taskId, int index, string path, long length) =>
            Append("saved", w =>
            {
                w.WriteString("id", taskId);
                w.WriteNumber("index", index);
                w.WriteString("path", path);
                w.WriteNumber("length", length);
            });

        /// <summary>Records that a task finished without images (failed or cancelled): there is nothing left to save.</summary>
        public void RecordFailed(SeedreamTask task) =>
            Append("failed", w =>
            {
                w.WriteString("id", task.Id);
                w.WriteString("status", task.Status.ToString());
                if (task.Error != null) w.WriteString("error", task.Error.ToString());
            });

        /// <summary>Records that a task's images can no longer be fetched.</summary>
        public void RecordExpired(string taskId) => Append("expired", w => w.WriteString("id", taskId));

        /// <summary>Reads the journal. A line torn by a crash is skipped.</summary>
        public JournalState Load()
        {
            var state = new JournalState();
            if (!File.Exists(Path)) return state;
            using (var stream = OpenForReading())
            using (var reader = new StreamReader(stream, Encoding.UTF8))
            {
                string line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Length == 0) continue;
                    try
                    {
                        using (var doc = JsonDocument.Parse(line)) state.Apply(doc.RootElement);
                    }
                    catch (JsonException)
                    {
                        state.TornLines++;
                    }
                }
            }
            return state;
        }

        // A writer holds the file for a moment; a reader waits for it.
        private FileStream OpenForReading()
        {
            var deadline = DateTime.UtcNow + LockWait;
            while (true)
            {
                try
                {
                    return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                }
                catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(Path))
                {
                    Thread.Sleep(2 + new Random().Next(10));
                }
            }
        }

        private void Append(string type, Action<Utf8JsonWriter> body)
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
            byte[] line = buffer.ToArray();
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path));
            var deadline = DateTime.UtcNow + LockWait;
            while (true)
            {
                try
                {
                    // FileShare.None: one writer at a time, across processes (an exclusive lock on Unix too); the others wait.
                    using (var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None))
                    {
                        file.Seek(0, SeekOrigin.End);
                        file.Write(line, 0, line.Length);
                        file.Flush(flushToDisk: true);
                    }
                    return;
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(2 + new Random().Next(10));
                }
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

    /// <summary>Which request, from which input record, and which repetition of that pair within one run.</summary>
    public sealed class JournalKey : IEquatable<JournalKey>
    {
        /// <summary>Creates a key.</summary>
        public JournalKey(string fingerprint, string record, int occurrence)
        {
            Fingerprint = fingerprint;
            Record = record ?? "";
            Occurrence = occurrence;
        }

        /// <summary>The request fingerprint.</summary>
        public string Fingerprint { get; }

        /// <summary>The carried record's fingerprint ("" for none).</summary>
        public string Record { get; }

        /// <summary>0 for the first identical request from an identical record in a run, 1 for the second, …</summary>
        public int Occurrence { get; }

        /// <inheritdoc />
        public bool Equals(JournalKey other) => other != null && Fingerprint == other.Fingerprint && Record == other.Record && Occurrence == other.Occurrence;

        /// <inheritdoc />
        public override bool Equals(object obj) => Equals(obj as JournalKey);

        /// <inheritdoc />
        public override int GetHashCode() => (Fingerprint + "|" + Record + "|" + Occurrence.ToString(CultureInfo.InvariantCulture)).GetHashCode();
    }
}
