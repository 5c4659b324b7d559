using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text.Json;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Storage
{
    /// <summary>What made a saved image: the request, the task, the input record's columns and the module version. Written
    /// beside the image as <c>&lt;file&gt;.json</c> (Save-SeedreamImage -Sidecar), so an image can be traced without the
    /// journal; read back by Get-SeedreamImageInfo, from the sidecar or, without one, from the journal.</summary>
    public sealed class ImageProvenance
    {
        /// <summary>The sidecar's file name ending.</summary>
        public const string SidecarExtension = ".json";

        /// <summary>The image file.</summary>
        public string Path { get; set; }

        /// <summary>Where this came from: "embedded" (the file's own XMP packet, with what it lacks filled in from the
        /// sidecar or journal where they know the file), "sidecar" or "journal".</summary>
        public string Source { get; set; }

        /// <summary>The task id.</summary>
        public string TaskId { get; set; }

        /// <summary>The image's position among the task's images.</summary>
        public int ImageIndex { get; set; }

        /// <summary>The gateway.</summary>
        public string Gateway { get; set; }

        /// <summary>The model.</summary>
        public string Model { get; set; }

        /// <summary>The prompt.</summary>
        public string Prompt { get; set; }

        /// <summary>The size asked for.</summary>
        public string Size { get; set; }

        /// <summary>The quality tier asked for.</summary>
        public string Quality { get; set; }

        /// <summary>When the gateway created the task.</summary>
        public DateTimeOffset? CreatedAt { get; set; }

        /// <summary>When the file was saved.</summary>
        public DateTimeOffset? SavedAt { get; set; }

        /// <summary>The file's length in bytes when it was saved.</summary>
        public long? Length { get; set; }

        /// <summary>The image format (png, jpeg, …).</summary>
        public string Format { get; set; }

        /// <summary>The input record's columns.</summary>
        public SeedreamContext Columns { get; set; } = new SeedreamContext();

        /// <summary>The SeedreamPS version that saved it.</summary>
        public string ModuleVersion { get; set; }

        /// <summary>The IPTC digital source type embedded in the file (trainedAlgorithmicMedia for AI images); null when the
        /// file carries none (saved before embedding existed, or with -NoEmbeddedMetadata).</summary>
        public string DigitalSourceType { get; set; }

        /// <summary>The tool the embedded packet names (SeedreamPS and its version); null without a packet.</summary>
        public string CreatorTool { get; set; }

        /// <summary>The version of this module (Core's assembly version, which the manifest shares).</summary>
        public static string CurrentModuleVersion =>
            typeof(ImageProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? typeof(ImageProvenance).Assembly.GetName().Version.ToString();

        /// <summary>The sidecar path of <paramref name="imagePath"/>.</summary>
        public static string SidecarPath(string imagePath) => imagePath + SidecarExtension;

        /// <summary>What made <paramref name="saved"/>.</summary>
        public static ImageProvenance Of(SavedImage saved)
        {
            var task = saved.Task;
            var provenance = new ImageProvenance
            {
                Path = saved.Path,
                Source = "sidecar",
                TaskId = task?.Id ?? saved.Image.TaskId,
                ImageIndex = saved.Image.Index,
                Gateway = task?.Gateway.ToString(),
                Model = task?.Model,
                Prompt = task?.Request?.Prompt,
                Size = task?.Request?.Size,
                Quality = task?.Request?.Quality,
                CreatedAt = task?.CreatedAt,
                SavedAt = DateTimeOffset.UtcNow,
                Length = saved.Length,
                Format = saved.Format,
                ModuleVersion = CurrentModuleVersion,
            };
            foreach (var pair in task?.Context ?? new Dictionary<string, object>()) provenance.Columns[pair.Key] = pair.Value;
            return provenance;
        }

        /// <summary>Writes the sidecar atomically (a temporary file, synced, then renamed), like the image.</summary>
        public void WriteSidecar() =>
            AtomicFile.Write(SidecarPath(Path), file =>
            {
                using (var w = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
                {
                    w.WriteStartObject();
                    w.WriteString("file", System.IO.Path.GetFileName(Path));
                    w.WriteString("taskId", TaskId);
                    w.WriteNumber("imageIndex", ImageIndex);
                    w.WriteString("gateway", Gateway);
                    w.WriteString("model", Model);
                    w.WriteString("prompt", Prompt);
                    w.WriteString("size", Size);
                    w.WriteString("quality", Quality);
                    if (CreatedAt.HasValue) w.WriteString("createdAt", CreatedAt.Value.ToString("O", CultureInfo.InvariantCulture));
                    if (SavedAt.HasValue) w.WriteString("savedAt", SavedAt.Value.ToString("O", CultureInfo.InvariantCulture));
                    if (Length.HasValue) w.WriteNumber("length", Length.Value);
                    w.WriteString("format", Format);
                    w.WriteStartObject("columns");
                    foreach (var pair in Columns) w.WriteString(pair.Key, Convert.ToString(pair.Value, CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                    w.WriteString("moduleVersion", ModuleVersion);
                    w.WriteEndObject();
                }
            });

        /// <summary>What made the image at <paramref name="imagePath"/>: its embedded XMP packet, its sidecar, else the
        /// journal's record of the file (the live journal and its archives); null when none knows it.</summary>
        public static ImageProvenance Read(string imagePath, TaskJournal journal) =>
            Read(imagePath, journal == null ? null : new Lazy<JournalState>(() => journal.Load(includeArchives: true)));

        /// <summary><see cref="Read(string, TaskJournal)"/> with the journal's history read at most once for many files
        /// (it is read only when a file has no sidecar). The file's embedded XMP packet comes first, so a file moved or
        /// copied away from its sidecar and journal still says what made it.</summary>
        public static ImageProvenance Read(string imagePath, Lazy<JournalState> history)
        {
            string full = System.IO.Path.GetFullPath(imagePath);
            var recorded = ReadRecorded(full, history);
            var embedded = EmbeddedMetadata.Read(full);
            if (embedded == null) return recorded;
            // The file's own packet first: it travels with the file. What it leaves out (the prompt unless -EmbedPrompt,
            // size, quality, columns not embedded) comes from the sidecar or journal, where they know this file.
            var provenance = new ImageProvenance
            {
                Path = full,
                Source = "embedded",
                TaskId = embedded.TaskId ?? recorded?.TaskId,
                ImageIndex = embedded.ImageIndex ?? recorded?.ImageIndex ?? 0,
                Gateway = embedded.Gateway ?? recorded?.Gateway,
                Model = embedded.Model ?? recorded?.Model,
                Prompt = embedded.Prompt ?? recorded?.Prompt,
                Size = recorded?.Size,
                Quality = recorded?.Quality,
                CreatedAt = embedded.CreatedAt ?? recorded?.CreatedAt,
                SavedAt = recorded?.SavedAt,
                Length = new FileInfo(full).Length,
                Format = recorded?.Format ?? FormatOf(full),
                ModuleVersion = VersionOf(embedded.CreatorTool) ?? recorded?.ModuleVersion,
                DigitalSourceType = embedded.DigitalSourceType,
                CreatorTool = embedded.CreatorTool,
            };
            foreach (var pair in embedded.Columns) provenance.Columns[pair.Key] = pair.Value;
            if (recorded != null)
            {
                foreach (var pair in recorded.Columns) if (!provenance.Columns.ContainsKey(pair.Key)) provenance.Columns[pair.Key] = pair.Value;
            }
            return provenance;
        }

        private static string VersionOf(string creatorTool)
        {
            const string prefix = "SeedreamPS ";
            return creatorTool != null && creatorTool.StartsWith(prefix, StringComparison.Ordinal) ? creatorTool.Substring(prefix.Length) : null;
        }

        private static string FormatOf(string path)
        {
            var head = new byte[ImageFormat.SignatureLength];
            int count;
            using (var file = File.OpenRead(path)) count = file.Read(head, 0, head.Length);
            return ImageFormat.Detect(head, count);
        }

        // The sidecar, else the journal's record of saving the file.
        private static ImageProvenance ReadRecorded(string full, Lazy<JournalState> history)
        {
            string sidecar = SidecarPath(full);
            if (File.Exists(sidecar)) return FromSidecar(full, File.ReadAllText(sidecar));
            if (history == null) return null;
            var state = history.Value;
            foreach (var task in state.Tasks)
            {
                foreach (var saved in task.Saved)
                {
                    if (!string.Equals(saved.Value, full, StringComparison.Ordinal)) continue;
                    var provenance = new ImageProvenance
                    {
                        Path = full,
                        Source = "journal",
                        TaskId = task.Id,
                        ImageIndex = saved.Key,
                        Gateway = task.Gateway.ToString(),
                        Model = task.Model,
                        Prompt = task.Prompt,
                        CreatedAt = task.CreatedAt,
                    };
                    foreach (var pair in task.Context) provenance.Columns[pair.Key] = pair.Value;
                    return provenance;
                }
            }
            return null;
        }

        private static ImageProvenance FromSidecar(string imagePath, string json)
        {
            using (var doc = JsonDocument.Parse(json))
            {
                JsonElement? r = doc.RootElement;
                var provenance = new ImageProvenance
                {
                    Path = imagePath,
                    Source = "sidecar",
                    TaskId = r.Prop("taskId").Text(),
                    ImageIndex = (int)(r.Prop("imageIndex").Long() ?? 0),
                    Gateway = r.Prop("gateway").Text(),
                    Model = r.Prop("model").Text(),
                    Prompt = r.Prop("prompt").Text(),
                    Size = r.Prop("size").Text(),
                    Quality = r.Prop("quality").Text(),
                    Length = r.Prop("length").Long(),
                    Format = r.Prop("format").Text(),
                    ModuleVersion = r.Prop("moduleVersion").Text(),
                };
                if (DateTimeOffset.TryParse(r.Prop("createdAt").Text(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created)) provenance.CreatedAt = created;
                if (DateTimeOffset.TryParse(r.Prop("savedAt").Text(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var savedAt)) provenance.SavedAt = savedAt;
                var columns = r.Prop("columns");
                if (columns != null && columns.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in columns.Value.EnumerateObject()) provenance.Columns[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
                return provenance;
            }
        }

        /// <inheritdoc />
        public override string ToString() => System.IO.Path.GetFileName(Path) + " <- " + Gateway + "/" + TaskId + " #" + ImageIndex.ToString(CultureInfo.InvariantCulture);
    }
}
