using System.Collections.Generic;

using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Requests
{
    /// <summary>What the user asks for, independent of any gateway. Built from cmdlet parameters
    /// or pipeline input, then checked by <see cref="RequestValidator"/> before anything is sent.</summary>
    public sealed class SeedreamRequest
    {
        /// <summary>Describes the image to generate, or how to edit the reference images.</summary>
        public string Prompt { get; set; }

        /// <summary>Model name: the gateway's own (<c>doubao-seedream-4.5</c>), another gateway's, or a version (<c>4.5</c>).
        /// Null means the gateway's default model.</summary>
        public string Model { get; set; }

        /// <summary><c>auto</c>, a ratio (16:9) or explicit pixels (2048x2048). Null means the gateway's default.</summary>
        public string Size { get; set; }

        /// <summary>Resolution tier: 1K, 2K, 3K or 4K, as the model allows. Null means 2K.</summary>
        public string Quality { get; set; }

        /// <summary>Most images to generate, 1 to 15.</summary>
        public int Count { get; set; } = 1;

        /// <summary>Reference image URLs.</summary>
        public IList<string> ReferenceImages { get => _referenceImages; set => _referenceImages = ReadableList<string>.From(value); }

        private IList<string> _referenceImages = new ReadableList<string>();

        /// <summary><c>standard</c> or <c>fast</c>, where the model supports it.</summary>
        public string PromptPriority { get; set; }

        /// <summary>HTTPS URL the gateway posts the finished task to.</summary>
        public string CallbackUrl { get; set; }

        /// <summary>False to ask ModelArk for images without its watermark (it adds one by default); null leaves the default.</summary>
        public bool? Watermark { get; set; }

        /// <summary>The prompt and what was asked of it, for a table cell or Export-Csv.</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            if (!string.IsNullOrEmpty(Model)) parts.Add(Model);
            if (!string.IsNullOrEmpty(Size)) parts.Add(Size);
            if (!string.IsNullOrEmpty(Quality)) parts.Add(Quality);
            if (Count != 1) parts.Add(Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " images");
            if (ReferenceImages != null && ReferenceImages.Count > 0) parts.Add(ReferenceImages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " references");
            return (Prompt ?? "") + (parts.Count == 0 ? "" : " (" + string.Join(", ", parts) + ")");
        }

        /// <summary>png or jpeg, where the model lets the caller choose (Seedream 5.0-lite and 5.0 Pro; default jpeg).</summary>
        public string OutputFormat { get; set; }

        /// <summary>Let the model search the web for the prompt (Seedream 5.0-lite; billed per search).</summary>
        public bool WebSearch { get; set; }

        /// <summary>opaque or transparent (Seedream 5.0 Pro): transparent keeps the alpha channel of the one reference image
        /// that has one; it does not cut a background out. Null for the model's default (opaque).</summary>
        public string Background { get; set; }

        /// <summary>Ask for the images in one answer even where the model can stream them one by one as they are made.</summary>
        public bool NoStream { get; set; }

        /// <summary>How the images come: a URL each (the default, fetched afterwards) or inline in the answer (no download,
        /// nothing to fetch again later).</summary>
        public ImageDelivery ImageDelivery { get; set; }

        /// <summary>A copy that shares no mutable state with this one.</summary>
        public SeedreamRequest Clone()
        {
            var copy = (SeedreamRequest)MemberwiseClone();
            copy.ReferenceImages = new ReadableList<string>(ReferenceImages);
            return copy;
        }
    }
}
