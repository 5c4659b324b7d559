using System.Collections.Generic;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Requests
{
    /// <summary>A request that passed every documented rule for one gateway and model. Gateway
    /// adapters accept only this type, so nothing unchecked can be sent.</summary>
    public sealed class ValidatedRequest
    {
        internal ValidatedRequest(SeedreamRequest source, ModelInfo model, string prompt, ImageSize size, string quality,
            int count, IReadOnlyList<string> references, string promptPriority, string callbackUrl, bool? watermark, string wireModel = null, string outputFormat = null, string background = null)
        {
            Background = background;
            OutputFormat = outputFormat;
            WebSearch = source.WebSearch;
            WireModel = wireModel ?? model.Id;
            Watermark = watermark;
            Source = source;
            Model = model;
            Prompt = prompt;
            Size = size;
            Quality = quality;
            Count = count;
            References = references;
            PromptPriority = promptPriority;
            CallbackUrl = callbackUrl;
        }

        /// <summary>The same request with <paramref name="references"/> in place of its reference images (local files
        /// replaced by the URLs they were uploaded to).</summary>
        public ValidatedRequest WithReferences(IReadOnlyList<string> references) =>
            new ValidatedRequest(Source, Model, Prompt, Size, Quality, Count, references, PromptPriority, CallbackUrl, Watermark, WireModel, OutputFormat, Background) { Notice = Notice };

        /// <summary>One of the requests a Count above the model's <see cref="ModelInfo.ImagesPerRequest"/> is sent as: the same
        /// request for <paramref name="count"/> images, its source saying so too.</summary>
        internal ValidatedRequest WithCount(int count)
        {
            var source = Source.Clone();
            source.Count = count;
            return new ValidatedRequest(source, Model, Prompt, Size, Quality, count, References, PromptPriority, CallbackUrl, Watermark, WireModel, OutputFormat, Background) { Notice = Notice };
        }

        /// <summary>The requests this one is sent as: itself, or one per <see cref="ModelInfo.ImagesPerRequest"/> images for a
        /// model that makes fewer images a request than asked (Seedream 5.0 Pro makes one).</summary>
        public IReadOnlyList<ValidatedRequest> Parts()
        {
            int per = System.Math.Max(1, Model.ImagesPerRequest);
            if (Count <= per) return new[] { this };
            var parts = new List<ValidatedRequest>();
            for (int left = Count; left > 0; left -= per) parts.Add(WithCount(System.Math.Min(per, left)));
            return parts;
        }

        /// <summary>A warning about how the request was checked (an endpoint id without its version), or null.</summary>
        public string Notice { get; internal set; }

        /// <summary>Whether the images are streamed one by one as they are made: the catalogue says the model can, and the
        /// caller did not ask for one answer (-NoStream).</summary>
        public bool Stream => Model.SupportsStreaming && !Source.NoStream;

        /// <summary>Whether the images come inline (base64 in the answer) instead of as URLs.</summary>
        public bool Inline => Source.ImageDelivery == ImageDelivery.Inline;

        /// <summary>Whether the model may search the web for the prompt.</summary>
        public bool WebSearch { get; }

        /// <summary><c>opaque</c> or <c>transparent</c> (5.0 Pro), or null for the model's default.</summary>
        public string Background { get; }

        /// <summary>png or jpeg where asked for and the model lets the caller choose; null for the model's own.</summary>
        public string OutputFormat { get; }

        /// <summary>What the request names the model as on the wire: the catalogue's id, or, on ModelArk, an inference
        /// endpoint id (ep-…) or a Volcengine model id (doubao-seedream-…) sent as given. <see cref="Model"/> is the Seedream
        /// version behind it, whose limits and price apply.</summary>
        public string WireModel { get; }

        /// <summary>The request as the user gave it.</summary>
        public SeedreamRequest Source { get; }

        /// <summary>The gateway the request was checked for.</summary>
        public SeedreamGateway Gateway => Model.Gateway;

        /// <summary>The resolved model.</summary>
        public ModelInfo Model { get; }

        /// <summary>The prompt.</summary>
        public string Prompt { get; }

        /// <summary>The size, or null to let the gateway use its default.</summary>
        public ImageSize Size { get; }

        /// <summary>The quality in its documented spelling (2K), or null for the gateway's default.</summary>
        public string Quality { get; }

        /// <summary>Most images to generate.</summary>
        public int Count { get; }

        /// <summary>Reference image URLs.</summary>
        public IReadOnlyList<string> References { get; }

        /// <summary><c>standard</c> or <c>fast</c>, or null.</summary>
        public string PromptPriority { get; }

        /// <summary>The watermark switch (ModelArk), or null for the gateway's default.</summary>
        public bool? Watermark { get; }

        /// <summary>The size to send where a gateway takes a tier or explicit pixels but no ratio (ModelArk):
        /// a ratio becomes the pixels of the chosen tier; auto or none becomes the tier itself.</summary>
        public string TierOrPixels
        {
            get
            {
                string tier = Quality ?? Model.DefaultQuality;
                if (Size == null || Size.Kind == ImageSizeKind.Auto) return tier;
                if (Size.Kind == ImageSizeKind.Pixels) return Size.ToString();
                var (w, h) = ImageSize.PixelsFor(Size.RatioWidth, Size.RatioHeight, tier);
                return w.ToString(System.Globalization.CultureInfo.InvariantCulture) + "x" + h.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The callback URL, or null.</summary>
        public string CallbackUrl { get; }

        /// <summary>One line for -WhatIf and logs: what will be asked for and what it may cost.</summary>
        public string Summary
        {
            get
            {
                string cost = EstimatedCostUsd.HasValue ? "estimated $" + EstimatedCostUsd.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "price not published";
                string details = "size " + (Size?.ToString() ?? "default") + ", quality " + (Quality ?? Model.DefaultQuality) +
                                 (References.Count > 0 ? ", " + References.Count + " reference image(s)" : string.Empty);
                return Count + " image(s) with " + Model.Id + " on " + Gateway + " (" + details + "), " + cost;
            }
        }

        /// <summary>Most this request can cost (the gateways pre-charge for every image asked for);
        /// null where the catalogue has no price.</summary>
        public decimal? EstimatedCostUsd => Model.PricePerImageUsd * Count;
    }
}
