using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>One event of an image stream.</summary>
    public sealed class StreamEvent
    {
        /// <summary>What happened.</summary>
        public StreamEventKind Kind { get; set; }

        /// <summary>The image's position in the batch the gateway gives (from 0).</summary>
        public int Index { get; set; }

        /// <summary>The image's URL; null when it came inline.</summary>
        public System.Uri Url { get; set; }

        /// <summary>The reason for an <see cref="StreamEventKind.ImageFailed"/> or <see cref="StreamEventKind.Error"/>.</summary>
        public SeedreamTaskError Error { get; set; }

        /// <summary>Images the gateway says it made (with <see cref="StreamEventKind.Completed"/>).</summary>
        public int? GeneratedImages { get; set; }

        /// <summary>Web searches the gateway reports (with <see cref="StreamEventKind.Completed"/>), where it does.</summary>
        public int? WebSearches { get; set; }
    }
}
