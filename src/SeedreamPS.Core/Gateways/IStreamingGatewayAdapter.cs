using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>An adapter of a gateway that can stream a request's images as server-sent events, one per image as it is
    /// made, and send images inline (base64) instead of as URLs. Which models stream is catalogue data
    /// (<see cref="Catalog.ModelInfo.SupportsStreaming"/>); the request says whether this one does
    /// (<see cref="ValidatedRequest.Stream"/>, <see cref="ValidatedRequest.Inline"/>).</summary>
    public interface IStreamingGatewayAdapter : IGatewayAdapter
    {
        /// <summary>The task a stream fills: named, running, with no images yet (they come with the events).</summary>
        SeedreamTask StartStream(ValidatedRequest request);

        /// <summary>Reads one event's JSON (an inline image's base64 already taken out of it, so its value is empty).</summary>
        StreamEvent ParseStreamEvent(string eventName, string json);
    }

    /// <summary>What one server-sent event of an image stream says.</summary>
    public enum StreamEventKind
    {
        /// <summary>Something the client need not act on.</summary>
        Other,

        /// <summary>An image is made: a URL, or the bytes inline.</summary>
        Image,

        /// <summary>One image could not be made; the others still come.</summary>
        ImageFailed,

        /// <summary>The stream is complete (usage follows).</summary>
        Completed,

        /// <summary>The gateway reports an error that ends the stream.</summary>
        Error,
    }

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
