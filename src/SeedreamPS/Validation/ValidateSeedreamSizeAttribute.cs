using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Validation
{
    /// <summary>-Size: auto, a ratio some gateway lists (16:9 or 16x9), or WIDTHxHEIGHT within the pixel and aspect range
    /// of some model. Whether the chosen model accepts it is checked later, with the model known.</summary>
    public sealed class ValidateSeedreamSizeAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <inheritdoc />
        protected override void ValidateElement(object element)
        {
            string text = (element is PSObject wrapped ? wrapped.BaseObject : element)?.ToString();
            if (string.IsNullOrWhiteSpace(text)) return;
            string error = Check(text);
            if (error != null) throw new ValidationMetadataException(error);
        }

        /// <summary>The rule <paramref name="text"/> breaks, or null.</summary>
        public static string Check(string text)
        {
            if (!ImageSize.TryParse(text, out var size))
            {
                return "Size '" + text + "' is not a size; use auto, a ratio such as 16:9, or WIDTHxHEIGHT such as 2048x2048.";
            }
            if (size.Kind == ImageSizeKind.Ratio && !ModelCatalog.AllRatios.Contains(size.Ratio))
            {
                return "Size ratio '" + text + "' is not one the gateways accept: " + string.Join(", ", ModelCatalog.AllRatios) + ".";
            }
            if (size.Kind == ImageSizeKind.Pixels)
            {
                if (size.PixelCount < ModelCatalog.MinPixelsAnyModel || size.PixelCount > ModelCatalog.MaxPixelsAnyModel)
                {
                    return string.Format(CultureInfo.InvariantCulture, "Size '{0}' is {1:N0} pixels; explicit sizes must be {2:N0} to {3:N0} pixels in total.",
                        text, size.PixelCount, ModelCatalog.MinPixelsAnyModel, ModelCatalog.MaxPixelsAnyModel);
                }
                double aspect = (double)size.Width / size.Height;
                if (aspect < ModelCatalog.MinAspectRatio || aspect > ModelCatalog.MaxAspectRatio)
                {
                    return "Size '" + text + "' has an aspect ratio outside 1/16 to 16.";
                }
            }
            return null;
        }
    }
}
