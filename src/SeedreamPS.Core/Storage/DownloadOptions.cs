namespace SeedreamPS.Core.Storage
{
    /// <summary>How a result file is written.</summary>
    public sealed class DownloadOptions
    {
        /// <summary>The default cap: well above the largest 4K PNG the models produce.</summary>
        public const long DefaultMaxBytes = 200L * 1024 * 1024;

        /// <summary>Replace an existing file. Without it an existing file is an error and is left untouched.</summary>
        public bool Overwrite { get; set; }

        /// <summary>A download larger than this is stopped and removed.</summary>
        public long MaxBytes { get; set; } = DefaultMaxBytes;

        /// <summary>The XMP packet to put into a PNG or JPEG as it streams to disk (null: the file is saved as served).</summary>
        public EmbeddedMetadata Metadata { get; set; }

        /// <summary>Replaces the target with the finished temporary file (tests put a stand-in here for a target that
        /// another program holds open).</summary>
        internal System.Action<string, string> ReplaceFile { get; set; } = (temp, target) => System.IO.File.Replace(temp, target, destinationBackupFileName: null);
    }
}
