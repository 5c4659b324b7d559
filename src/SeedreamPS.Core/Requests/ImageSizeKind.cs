using System.Text.RegularExpressions;

namespace SeedreamPS.Core.Requests
{
    /// <summary>What kind of value a <c>size</c> is.</summary>
    public enum ImageSizeKind
    {
        /// <summary><c>auto</c>: the model picks the ratio.</summary>
        Auto,

        /// <summary>An aspect ratio such as 16:9, combined with a quality tier by the gateway.</summary>
        Ratio,

        /// <summary>Explicit pixels such as 2048x2048.</summary>
        Pixels,
    }
}
