using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Storage
{
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

        /// <summary>Write <c>&lt;file&gt;.json</c> beside each saved image with what made it (<see cref="ImageProvenance"/>).</summary>
        public bool Sidecar { get; set; }

        /// <summary>Whether the batch proves, as it starts, that <see cref="Folder"/> can be written (creating it): on by
        /// default, so an unwritable target stops a pipeline before anything is sent; off for a -WhatIf run, which writes
        /// nothing.</summary>
        public bool VerifyFolder { get; set; } = true;

        /// <summary>Write an XMP packet into each PNG and JPEG saying it was made by AI and what made it (on by default;
        /// see <see cref="EmbeddedMetadata"/>).</summary>
        public bool EmbedMetadata { get; set; } = true;

        /// <summary>Put the prompt into the embedded packet too (off by default: prompts can be confidential, and the file
        /// may be published).</summary>
        public bool EmbedPrompt { get; set; }

        /// <summary>Input record columns to put into the embedded packet, by name (case-insensitive); "*" for all. None by default.</summary>
        public string[] EmbedColumns { get; set; }

        /// <summary>The packet for one image of <paramref name="task"/> (null with <see cref="EmbedMetadata"/> off).</summary>
        public EmbeddedMetadata MetadataFor(SeedreamTask task, SeedreamImage image)
        {
            if (!EmbedMetadata) return null;
            var metadata = new EmbeddedMetadata
            {
                Model = task?.Model,
                Gateway = task?.Gateway.ToString(),
                TaskId = task?.Id ?? image?.TaskId,
                ImageIndex = image?.Index,
                CreatedAt = task?.CreatedAt,
                Prompt = EmbedPrompt ? task?.Request?.Prompt : null,
            };
            if (EmbedColumns != null && EmbedColumns.Length > 0 && task?.Context != null)
            {
                bool all = System.Array.IndexOf(EmbedColumns, "*") >= 0;
                foreach (var pair in task.Context)
                {
                    if (!all && !System.Linq.Enumerable.Contains(EmbedColumns, pair.Key, System.StringComparer.OrdinalIgnoreCase)) continue;
                    metadata.Columns[pair.Key] = System.Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            return metadata;
        }

        /// <summary>The default download concurrency: enough to fill a link from a CDN, few enough not to thrash a disk.</summary>
        public const int DefaultMaxConcurrentDownloads = 8;
    }
}
