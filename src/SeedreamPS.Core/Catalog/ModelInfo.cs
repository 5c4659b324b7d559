using System;
using System.Collections.Generic;
using System.Linq;

using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Catalog
{
    /// <summary>One Seedream model as one gateway sells it, with every documented limit.</summary>
    /// <remarks>The catalogue is the single source of these numbers: validation, the cmdlets'
    /// attributes and <c>Get-SeedreamModel</c> all read them from here.</remarks>
    public sealed class ModelInfo
    {
        internal ModelInfo(
            SeedreamGateway gateway,
            string id,
            string version,
            IReadOnlyList<string> qualities,
            IReadOnlyList<string> sizeRatios,
            bool supportsAutoSize,
            bool supportsPixelSize,
            long minPixels,
            long maxPixels,
            int maxReferences,
            IReadOnlyList<string> promptPriorities,
            int? maxPromptTokens,
            int? maxPromptCharacters,
            decimal? pricePerImageUsd,
            bool supportsCallback = false,
            bool supportsWatermark = false,
            bool acceptsLocalReferences = false,
            IReadOnlyList<string> outputFormats = null,
            string defaultOutputFormat = "png",
            bool supportsWebSearch = false,
            string defaultQuality = null,
            long maxReferenceBytes = ModelCatalog.MaxReferenceBytes,
            IReadOnlyList<string> referenceFormats = null,
            int imagesPerRequest = ModelCatalog.MaxImages,
            bool supportsBackground = false,
            IReadOnlyList<string> notSoldIn = null,
            bool supportsStreaming = false,
            bool supportsInlineImages = false)
        {
            SupportsStreaming = supportsStreaming;
            SupportsInlineImages = supportsInlineImages;
            _defaultQuality = defaultQuality;
            MaxReferenceBytes = maxReferenceBytes;
            ReferenceFormats = ReadableList<string>.From(referenceFormats ?? ModelCatalog.ReferenceFormats);
            ImagesPerRequest = imagesPerRequest;
            SupportsBackground = supportsBackground;
            NotSoldIn = ReadableList<string>.From(notSoldIn ?? new string[0]);
            OutputFormats = ReadableList<string>.From(outputFormats ?? new string[0]);
            DefaultOutputFormat = defaultOutputFormat;
            SupportsWebSearch = supportsWebSearch;
            SupportsCallback = supportsCallback;
            SupportsWatermark = supportsWatermark;
            AcceptsLocalReferences = acceptsLocalReferences;
            Gateway = gateway;
            Id = id;
            Version = version;
            Qualities = ReadableList<string>.From(qualities);
            SizeRatios = ReadableList<string>.From(sizeRatios);
            SupportsAutoSize = supportsAutoSize;
            SupportsPixelSize = supportsPixelSize;
            MinPixels = minPixels;
            MaxPixels = maxPixels;
            MaxReferences = maxReferences;
            PromptPriorities = ReadableList<string>.From(promptPriorities);
            MaxPromptTokens = maxPromptTokens;
            MaxPromptCharacters = maxPromptCharacters;
            PricePerImageUsd = pricePerImageUsd;
        }

        /// <summary>The gateway that sells the model under <see cref="Id"/>.</summary>
        public SeedreamGateway Gateway { get; }

        /// <summary>The model name the gateway expects on the wire, for example <c>doubao-seedream-4.5</c>.</summary>
        public string Id { get; }

        /// <summary>The Seedream generation: 4.0, 4.5, 5.0 (5.0-lite) or 5.0-pro.</summary>
        public string Version { get; }

        /// <summary>Resolution tiers accepted by the <c>quality</c> parameter, for example 2K and 4K.</summary>
        public IReadOnlyList<string> Qualities { get; }

        /// <summary>The quality used when none is given: the model's documented default (1K for 5.0 Pro), else 2K where the
        /// model has it, else its first tier.</summary>
        public string DefaultQuality => _defaultQuality ?? (Qualities.Contains(ModelCatalog.DefaultQuality) ? ModelCatalog.DefaultQuality : Qualities[0]);

        private readonly string _defaultQuality;

        /// <summary>Aspect ratios accepted by <c>size</c>, written with a colon (16:9).</summary>
        public IReadOnlyList<string> SizeRatios { get; }

        /// <summary>Whether <c>size = auto</c> is accepted.</summary>
        public bool SupportsAutoSize { get; }

        /// <summary>Whether an explicit <c>WIDTHxHEIGHT</c> size is accepted.</summary>
        public bool SupportsPixelSize { get; }

        /// <summary>Smallest total pixel count (width × height) of an explicit size.</summary>
        public long MinPixels { get; }

        /// <summary>Largest total pixel count (width × height) of an explicit size.</summary>
        public long MaxPixels { get; }

        /// <summary>Smallest width ÷ height of an explicit size.</summary>
        public double MinAspectRatio => ModelCatalog.MinAspectRatio;

        /// <summary>Largest width ÷ height of an explicit size.</summary>
        public double MaxAspectRatio => ModelCatalog.MaxAspectRatio;

        /// <summary>Most images one request may ask for.</summary>
        public int MaxImages => ModelCatalog.MaxImages;

        /// <summary>Most reference images one request may carry.</summary>
        public int MaxReferences { get; }

        /// <summary>Cap on reference images plus images asked for.</summary>
        public int MaxReferencesPlusImages => ModelCatalog.MaxReferencesPlusImages;

        /// <summary>Accepted <c>prompt_priority</c> values; empty where the model takes none.</summary>
        public IReadOnlyList<string> PromptPriorities { get; }

        /// <summary>Documented prompt limit in tokens, where the gateway states one in tokens.</summary>
        public int? MaxPromptTokens { get; }

        /// <summary>Documented prompt limit in characters, where the gateway states one in characters.</summary>
        public int? MaxPromptCharacters { get; }

        /// <summary>File formats accepted for reference images (ModelArk adds HEIC and HEIF).</summary>
        public IReadOnlyList<string> ReferenceFormats { get; }

        /// <summary>Largest reference image file in bytes (10 MB on EvoLink and LinkModel; 30 MB on ModelArk and for 5.0 Pro).</summary>
        public long MaxReferenceBytes { get; }

        /// <summary>Most images one request makes: 15, or 1 for Seedream 5.0 Pro, which takes no <c>n</c> (a Count above it is
        /// sent as that many requests).</summary>
        public int ImagesPerRequest { get; }

        /// <summary>Whether the gateway streams the model's images one by one as they are made (ModelArk's <c>stream: true</c>
        /// for 4.0, 4.5 and 5.0-lite; not 5.0 Pro).</summary>
        public bool SupportsStreaming { get; }

        /// <summary>Whether the gateway can send the image bytes in its answer instead of a URL (ModelArk's
        /// <c>response_format: b64_json</c>).</summary>
        public bool SupportsInlineImages { get; }

        /// <summary>Whether the model takes <c>background</c> (opaque or transparent: 5.0 Pro keeps the alpha channel of one
        /// input image that has one).</summary>
        public bool SupportsBackground { get; }

        /// <summary>The gateway's regions that do not sell the model (ModelArk's eu-west does not sell Seedream 4.0); empty
        /// where every region does.</summary>
        public IReadOnlyList<string> NotSoldIn { get; }

        /// <summary>Each side of a reference image must be larger than this many pixels.</summary>
        public int MinReferenceSideExclusive => ModelCatalog.MinReferenceSideExclusive;

        /// <summary>Largest total pixel count of a reference image.</summary>
        public long MaxReferencePixels => ModelCatalog.MaxReferencePixels;

        /// <summary>Whether the gateway posts finished tasks to a callback URL.</summary>
        public bool SupportsCallback { get; }

        /// <summary>Whether the model takes a <c>watermark</c> switch (ModelArk, where it is on by default; EvoLink's 5.0 Pro).</summary>
        public bool SupportsWatermark { get; }

        /// <summary>The image formats the caller may choose between with OutputFormat (png, jpeg for 5.0-lite and 5.0 Pro);
        /// empty where the model answers one format of its own.</summary>
        public IReadOnlyList<string> OutputFormats { get; }

        /// <summary>Whether the model takes the web-search tool (5.0-lite: <c>tools [{type: web_search}]</c>, under
        /// <c>model_params</c> on EvoLink); searching is billed on top of the image.</summary>
        public bool SupportsWebSearch { get; }

        /// <summary>The format the model answers when not asked (JPEG on ModelArk and for EvoLink's 5.0 models). The saved
        /// file is named by the bytes that arrive, not by this.</summary>
        public string DefaultOutputFormat { get; }

        /// <summary>Whether local reference files can be sent (uploaded on EvoLink, inlined on ModelArk).</summary>
        public bool AcceptsLocalReferences { get; }

        /// <summary>Estimated price of one generated image in US dollars; null where no price is published.</summary>
        public decimal? PricePerImageUsd { get; }

        /// <summary>Whether the model is sold in <paramref name="region"/> (null: the gateway's default address).</summary>
        public bool IsSoldIn(string region) => region == null || !NotSoldIn.Contains(region, StringComparer.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override string ToString() => Gateway + "/" + Id;
    }
}
