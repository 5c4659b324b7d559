using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Requests
{
    /// <summary>The rules the cmdlets' parameter attributes apply at binding, before the model is known: what no
    /// model accepts. Kept here so they are tested without a PowerShell host and read the catalogue.</summary>
    public static class ParameterRules
    {
        /// <summary>-Size: auto, a ratio some gateway lists, or WIDTHxHEIGHT within some model's pixel and aspect range.</summary>
        /// <returns>The broken rule in words, or null (also for a blank value, which means "default").</returns>
        public static string CheckSize(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
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

        /// <summary>A value that must be one of <paramref name="choices"/> (any case); blank means "default".</summary>
        public static string CheckChoice(string parameterName, string value, IReadOnlyList<string> choices)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            return choices.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase)
                ? null
                : parameterName + " '" + value + "' is not one of " + string.Join(", ", choices) + ".";
        }

        /// <summary>-CallbackUri: HTTPS, a public host, at most 2048 characters; blank means "none".</summary>
        public static string CheckCallback(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            string rule = CallbackUrlRule.Check(value.Trim());
            return rule == null ? null : "CallbackUri " + rule + ".";
        }
    }
}
