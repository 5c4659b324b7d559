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

        /// <summary>The local file, once saved.</summary>
        public string Path { get; set; }

        /// <summary>Whether <see cref="ExpiresAt"/> has passed.</summary>
        public bool IsExpired => ExpiresAt.HasValue && ExpiresAt.Value <= DateTimeOffset.UtcNow;

        /// <inheritdoc />
        public override string ToString() => Url?.ToString() ?? string.Empty;
    }
}
