using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
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
}
