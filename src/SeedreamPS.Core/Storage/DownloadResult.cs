namespace SeedreamPS.Core.Storage
{
    /// <summary>A file that was written completely.</summary>
    public sealed class DownloadResult
    {
        internal DownloadResult(string path, long length, string format, bool metadataEmbedded = false)
        {
            Path = path;
            Length = length;
            Format = format;
            MetadataEmbedded = metadataEmbedded;
        }

        /// <summary>The full path of the file.</summary>
        public string Path { get; }

        /// <summary>Its size in bytes on disk (what was served, plus the embedded metadata).</summary>
        public long Length { get; }

        /// <summary>The image format found in its first bytes (png, jpeg, …).</summary>
        public string Format { get; }

        /// <summary>Whether an XMP packet was written into the file (see <see cref="EmbeddedMetadata"/>).</summary>
        public bool MetadataEmbedded { get; }
    }
}
