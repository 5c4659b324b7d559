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
            bool supportsWebSearch = false)
        {
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

        /// <summary>The Seedream generation: 4.0, 4.5 or 5.0.</summary>
        public string Version { get; }

        /// <summary>Resolution tiers accepted by the <c>quality</c> parameter, for example 2K and 4K.</summary>
        public IReadOnlyList<string> Qualities { get; }

        /// <summary>The quality used when none is given (the gateways document 2K).</summary>
        public string DefaultQuality => Qualities.Contains(ModelCatalog.DefaultQuality) ? ModelCatalog.DefaultQuality : Qualities[0];

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

        /// <summary>File formats accepted for reference images.</summary>
        public IReadOnlyList<string> ReferenceFormats => ReadableList<string>.From(ModelCatalog.ReferenceFormats);

        /// <summary>Largest reference image file in bytes.</summary>
        public long MaxReferenceBytes => ModelCatalog.MaxReferenceBytes;

        /// <summary>Each side of a reference image must be larger than this many pixels.</summary>
        public int MinReferenceSideExclusive => ModelCatalog.MinReferenceSideExclusive;

        /// <summary>Largest total pixel count of a reference image.</summary>
        public long MaxReferencePixels => ModelCatalog.MaxReferencePixels;

        /// <summary>Whether the gateway posts finished tasks to a callback URL.</summary>
        public bool SupportsCallback { get; }

        /// <summary>Whether the watermark can be switched off (ModelArk; it is on by default there).</summary>
        public bool SupportsWatermark { get; }

        /// <summary>The image formats the caller may choose between with OutputFormat (ModelArk's 5.0-lite: png, jpeg); empty
        /// where the model answers one format of its own (ModelArk 4.x: JPEG; EvoLink and LinkModel: PNG).</summary>
        public IReadOnlyList<string> OutputFormats { get; }

        /// <summary>Whether the model takes the web-search tool (ModelArk's 5.0-lite: tools [{type: web_search}]). EvoLink
        /// bills web search for 5.0-lite but publishes no request field for it, so it is refused there until it does.</summary>
        public bool SupportsWebSearch { get; }

        /// <summary>The format the model answers when not asked: JPEG on ModelArk, PNG on EvoLink and LinkModel.</summary>
        public string DefaultOutputFormat { get; }

        /// <summary>Whether local reference files can be sent (uploaded on EvoLink, inlined on ModelArk).</summary>
        public bool AcceptsLocalReferences { get; }

        /// <summary>Estimated price of one generated image in US dollars; null where no price is published.</summary>
        public decimal? PricePerImageUsd { get; }

        /// <summary>Whether <paramref name="quality"/> is one of <see cref="Qualities"/> (case-insensitive).</summary>
        public bool SupportsQuality(string quality) => Qualities.Any(q => string.Equals(q, quality, StringComparison.OrdinalIgnoreCase));

        /// <inheritdoc />
        public override string ToString() => Gateway + "/" + Id;
    }
}
