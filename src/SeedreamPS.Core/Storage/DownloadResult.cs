namespace SeedreamPS.Core.Storage
{
    /// <summary>A file that was written completely.</summary>
    public sealed class DownloadResult
    {
        internal DownloadResult(string path, long length, string format)
        {
            Path = path;
            Length = length;
            Format = format;
        }

        /// <summary>The full path of the file.</summary>
        public string Path { get; }

        /// <summary>Its size in bytes.</summary>
        public long Length { get; }

        /// <summary>The image format found in its first bytes (png, jpeg, …).</summary>
        public string Format { get; }
    }
}
