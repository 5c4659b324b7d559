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
}
