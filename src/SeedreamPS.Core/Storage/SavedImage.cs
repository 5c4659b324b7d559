using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Storage
{
    /// <summary>One image that was saved (or skipped because its file exists).</summary>
    public sealed class SavedImage
    {
        internal SavedImage(SeedreamTask task, SeedreamImage image, string path, long length, string format, bool skipped)
        {
            Task = task;
            Image = image;
            Path = path;
            Length = length;
            Format = format;
            Skipped = skipped;
        }

        /// <summary>The task the image came from, when known.</summary>
        public SeedreamTask Task { get; }

        /// <summary>The image.</summary>
        public SeedreamImage Image { get; }

        /// <summary>The full path of the file.</summary>
        public string Path { get; }

        /// <summary>Bytes written (0 when skipped).</summary>
        public long Length { get; }

        /// <summary>The detected format (null when skipped).</summary>
        public string Format { get; }

        /// <summary>True when the file existed and <see cref="ExistingFileAction.Skip"/> kept it.</summary>
        public bool Skipped { get; }

        /// <summary>The IPTC digital source type embedded in the file as it was saved; null when nothing was embedded
        /// (-NoEmbeddedMetadata, a format other than PNG and JPEG, or a file kept from before).</summary>
        public string DigitalSourceType { get; internal set; }
    }
}
