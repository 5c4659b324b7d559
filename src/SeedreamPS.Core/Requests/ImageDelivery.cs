using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Requests
{
    /// <summary>How a request's images come back.</summary>
    public enum ImageDelivery
    {
        /// <summary>A URL per image, valid for 24 hours, downloaded to save it.</summary>
        Url,

        /// <summary>The image bytes in the answer (base64), written straight to their files.</summary>
        Inline,
    }
}
