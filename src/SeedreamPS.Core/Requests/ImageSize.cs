using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Requests
{
    /// <summary>A parsed <c>size</c>: <c>auto</c>, a ratio (16:9 or 16x9) or explicit pixels (2048x2048).</summary>
    public sealed class ImageSize
    {
        private static readonly Regex Pair = new Regex(@"^(\d{1,6})\s*([:xX×*])\s*(\d{1,6})$", RegexOptions.CultureInvariant);

        private ImageSize(ImageSizeKind kind, int first, int second)
        {
            Kind = kind;
            if (kind == ImageSizeKind.Pixels)
            {
                Width = first;
                Height = second;
            }
            else if (kind == ImageSizeKind.Ratio)
            {
                RatioWidth = first;
                RatioHeight = second;
            }
        }

        /// <summary>The <c>auto</c> size.</summary>
        public static ImageSize Auto { get; } = new ImageSize(ImageSizeKind.Auto, 0, 0);

        /// <summary>Auto, ratio or pixels.</summary>
        public ImageSizeKind Kind { get; }

        /// <summary>Width in pixels, for <see cref="ImageSizeKind.Pixels"/>.</summary>
        public int Width { get; }

        /// <summary>Height in pixels, for <see cref="ImageSizeKind.Pixels"/>.</summary>
        public int Height { get; }

        /// <summary>The ratio's first term, for <see cref="ImageSizeKind.Ratio"/>.</summary>
        public int RatioWidth { get; }

        /// <summary>The ratio's second term, for <see cref="ImageSizeKind.Ratio"/>.</summary>
        public int RatioHeight { get; }

        /// <summary>The ratio written with a colon (16:9), for <see cref="ImageSizeKind.Ratio"/>.</summary>
        public string Ratio => Kind == ImageSizeKind.Ratio ? RatioWidth.ToString(CultureInfo.InvariantCulture) + ":" + RatioHeight.ToString(CultureInfo.InvariantCulture) : null;

        /// <summary>Width × height, for <see cref="ImageSizeKind.Pixels"/>.</summary>
        public long PixelCount => (long)Width * Height;

        /// <summary>Parses a size. <c>16x9</c> is read as a ratio when it is one the gateways list
        /// (LinkModel writes ratios that way); any other <c>WxH</c> is pixels.</summary>
        /// <returns>False, with <paramref name="size"/> null, when the text is no size at all.</returns>
        public static bool TryParse(string text, out ImageSize size)
        {
            size = null;
            if (text == null) return false;
            string trimmed = text.Trim();
            if (string.Equals(trimmed, "auto", StringComparison.OrdinalIgnoreCase))
            {
                size = Auto;
                return true;
            }
            var match = Pair.Match(trimmed);
            if (!match.Success) return false;
            int first = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            int second = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
            if (first == 0 || second == 0) return false;
            string asRatio = first.ToString(CultureInfo.InvariantCulture) + ":" + second.ToString(CultureInfo.InvariantCulture);
            bool colon = match.Groups[2].Value == ":";
            bool knownRatio = ModelCatalog.AllRatios.Contains(asRatio);
            size = colon || knownRatio ? new ImageSize(ImageSizeKind.Ratio, first, second) : new ImageSize(ImageSizeKind.Pixels, first, second);
            return true;
        }

        /// <summary>Pixels of a ratio at a quality tier: the tier's square area (2K = 2048×2048) at that ratio, in
        /// multiples of 16, never above the area (so never above a model's maximum).</summary>
        public static (int Width, int Height) PixelsFor(int ratioWidth, int ratioHeight, string tier)
        {
            // "1K", "1.5K", "2K", …: thousands of 1024 pixels.
            double thousands = tier != null && tier.EndsWith("K", StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(tier.Substring(0, tier.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double t) ? t : 2;
            int side = (int)(1024 * thousands);
            double area = (double)side * side;
            int width = (int)Math.Floor(Math.Sqrt(area * ratioWidth / ratioHeight) / 16) * 16;
            int height = (int)Math.Floor(area / width / 16) * 16;
            return (width, height);
        }

        /// <inheritdoc />
        public override string ToString()
        {
            switch (Kind)
            {
                case ImageSizeKind.Auto: return "auto";
                case ImageSizeKind.Ratio: return Ratio;
                default: return Width.ToString(CultureInfo.InvariantCulture) + "x" + Height.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
