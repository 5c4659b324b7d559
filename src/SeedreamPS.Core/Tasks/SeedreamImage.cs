using System;

namespace SeedreamPS.Core.Tasks
{
    /// <summary>One generated image: where to fetch it, until when, and where it was saved.</summary>
    public sealed class SeedreamImage
    {
        /// <summary>Creates an image record.</summary>
        public SeedreamImage(string taskId, int index, Uri url, DateTimeOffset? expiresAt)
        {
            TaskId = taskId;
            Index = index;
            Url = url;
            ExpiresAt = expiresAt;
        }

        /// <summary>The task that made the image.</summary>
        public string TaskId { get; }

        /// <summary>Position among the task's images, from 0.</summary>
        public int Index { get; }

        /// <summary>Where the gateway serves the image.</summary>
        public Uri Url { get; }

        /// <summary>A time by which the URL is still valid at the least; the gateways keep results 24 hours.</summary>
        public DateTimeOffset? ExpiresAt { get; }

        /// <summary>Whether the image came inline in the gateway's answer (base64) rather than as a URL: it has no
        /// <see cref="Url"/> and cannot be fetched again.</summary>
        public bool Inline { get; internal set; }

        /// <summary>Where an inline image waits, decoded, until it is saved (a temporary file); null once saved or when it
        /// came as a URL.</summary>
        public string InlineFile { get; internal set; }

        /// <summary>The local file, once saved.</summary>
        public string Path { get; set; }

        /// <summary>Whether <see cref="ExpiresAt"/> has passed.</summary>
        public bool IsExpired => ExpiresAt.HasValue && ExpiresAt.Value <= DateTimeOffset.UtcNow;

        /// <inheritdoc />
        public override string ToString() => Url?.ToString() ?? (Inline ? "(inline image " + Index + " of " + TaskId + ")" : string.Empty);
    }
}
