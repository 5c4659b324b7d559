using System;
using System.Collections.Generic;
using System.Linq;

namespace SeedreamPS.Core.Catalog
{
    /// <summary>Every gateway × model pair SeedreamPS knows, with the limits the gateways document.</summary>
    public static class ModelCatalog
    {
        /// <summary>Most images one request may ask for (<c>n</c>, <c>max_images</c>).</summary>
        public const int MaxImages = 15;

        /// <summary>Fewest images one request may ask for.</summary>
        public const int MinImages = 1;

        /// <summary>Cap on reference images plus images asked for, on every model.</summary>
        public const int MaxReferencesPlusImages = 15;

        /// <summary>The most references any model accepts; per-model limits may be lower.</summary>
        public const int MaxReferencesAnyModel = 14;

        /// <summary>Longest callback URL the gateways accept.</summary>
        public const int MaxCallbackUrlLength = 2048;

        /// <summary>Smallest width ÷ height of an explicit size or a reference image.</summary>
        public const double MinAspectRatio = 1.0 / 16;

        /// <summary>Largest width ÷ height of an explicit size or a reference image.</summary>
        public const double MaxAspectRatio = 16;

        /// <summary>Largest reference image file where a model's page says no more: 10 MB (EvoLink's 4.x and 5.0-lite pages).</summary>
        public const long MaxReferenceBytes = 10L * 1024 * 1024;

        /// <summary>Largest reference image file on ModelArk and for Seedream 5.0 Pro: 30 MB.</summary>
        public const long MaxReferenceBytesLarge = 30L * 1024 * 1024;

        /// <summary>Each side of a reference image must be larger than this.</summary>
        public const int MinReferenceSideExclusive = 14;

        /// <summary>Largest reference image: 6000 × 6000 pixels.</summary>
        public const long MaxReferencePixels = 6000L * 6000;

        /// <summary>The quality every gateway documents as its default.</summary>
        public const string DefaultQuality = Quality2K;

        /// <summary>Quality tier 1K.</summary>
        public const string Quality1K = "1K";

        /// <summary>Quality tier 1.5K (Seedream 5.0 Pro).</summary>
        public const string Quality1_5K = "1.5K";

        /// <summary>Quality tier 2K.</summary>
        public const string Quality2K = "2K";

        /// <summary>Quality tier 3K.</summary>
        public const string Quality3K = "3K";

        /// <summary>Quality tier 4K.</summary>
        public const string Quality4K = "4K";

        /// <summary>Prompt priority: higher quality, slower.</summary>
        public const string PriorityStandard = "standard";

        /// <summary>Prompt priority: faster, normal quality.</summary>
        public const string PriorityFast = "fast";

        /// <summary>Every quality tier any model accepts, for parameter validation.</summary>
        public static readonly IReadOnlyList<string> AllQualities = new[] { Quality1K, Quality1_5K, Quality2K, Quality3K, Quality4K };

        /// <summary>Every prompt priority any model accepts.</summary>
        public static readonly IReadOnlyList<string> AllPromptPriorities = new[] { PriorityStandard, PriorityFast };

        /// <summary>Reference image formats the gateways list.</summary>
        public static readonly IReadOnlyList<string> ReferenceFormats = new[] { "jpeg", "jpg", "png", "webp", "bmp", "tiff", "gif" };

        /// <summary>Reference image formats ModelArk and Seedream 5.0 Pro take: the others, and HEIC and HEIF.</summary>
        public static readonly IReadOnlyList<string> ReferenceFormatsWithHeif = ReferenceFormats.Concat(new[] { "heic", "heif" }).ToArray();

        /// <summary>The aspect ratios written with a colon that EvoLink and ModelArk accept for <c>size</c> besides <c>auto</c>.</summary>
        public static readonly IReadOnlyList<string> ColonRatios = new[] { "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9" };

        /// <summary>EvoLink's ratios for 4.0, 4.5 and 5.0-lite since 2026-07-12: the others and 9:21.</summary>
        public static readonly IReadOnlyList<string> EvoLinkRatios = ColonRatios.Concat(new[] { "9:21" }).ToArray();

        /// <summary>The aspect ratios LinkModel accepts (it writes them 16x9 on the wire).</summary>
        public static readonly IReadOnlyList<string> LinkModelRatios = new[] { "16:9", "1:1", "21:9", "2:3", "3:2", "3:4", "4:3", "9:16" };

        /// <summary>Every ratio any gateway accepts, for parameter validation and completion.</summary>
        public static readonly IReadOnlyList<string> AllRatios = EvoLinkRatios.Union(LinkModelRatios).ToArray();

        private static readonly string[] Standard = { PriorityStandard };
        private static readonly string[] StandardFast = { PriorityStandard, PriorityFast };
        private static readonly string[] None = new string[0];
        private static readonly string[] PngJpeg = { "png", "jpeg" };

        private static readonly ModelInfo[] AllModels =
        {
            // EvoLink (seeds 000-002, and its documentation as of 2026: 9:21, 5.0-lite's 4K, model_params, 5.0 Pro).
            new ModelInfo(SeedreamGateway.EvoLink, "doubao-seedream-4.0", "4.0", new[] { Quality1K, Quality2K, Quality4K }, EvoLinkRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 1280L * 720, maxPixels: 4096L * 4096,
                maxReferences: 14, promptPriorities: StandardFast, maxPromptTokens: null, maxPromptCharacters: 2000, pricePerImageUsd: 0.019m,
                supportsCallback: true, acceptsLocalReferences: true),
            new ModelInfo(SeedreamGateway.EvoLink, "doubao-seedream-4.5", "4.5", new[] { Quality2K, Quality4K }, EvoLinkRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 2560L * 1440, maxPixels: 4096L * 4096,
                maxReferences: 14, promptPriorities: Standard, maxPromptTokens: null, maxPromptCharacters: 2000, pricePerImageUsd: 0.031m,
                supportsCallback: true, acceptsLocalReferences: true),
            new ModelInfo(SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite", "5.0", new[] { Quality2K, Quality3K, Quality4K }, EvoLinkRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 2560L * 1440, maxPixels: 16_777_216L,
                maxReferences: 14, promptPriorities: Standard, maxPromptTokens: null, maxPromptCharacters: 2000, pricePerImageUsd: 0.032m,
                supportsCallback: true, acceptsLocalReferences: true, outputFormats: PngJpeg, defaultOutputFormat: "jpeg", supportsWebSearch: true),
            // One image a request (no n), 1K default, 4000 tokens, 10 references of up to 30 MB; no EvoLink price published.
            new ModelInfo(SeedreamGateway.EvoLink, "doubao-seedream-5.0-pro", "5.0-pro", new[] { Quality1K, Quality1_5K, Quality2K }, EvoLinkRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 921_600L, maxPixels: 4_624_220L,
                maxReferences: 10, promptPriorities: StandardFast, maxPromptTokens: 4000, maxPromptCharacters: null, pricePerImageUsd: null,
                supportsCallback: true, supportsWatermark: true, acceptsLocalReferences: true, outputFormats: PngJpeg, defaultOutputFormat: "jpeg",
                defaultQuality: Quality1K, maxReferenceBytes: MaxReferenceBytesLarge, referenceFormats: ReferenceFormatsWithHeif,
                imagesPerRequest: 1, supportsBackground: true),
            new ModelInfo(SeedreamGateway.LinkModel, "seedream-4.0", "4.0", new[] { Quality1K, Quality2K, Quality4K }, LinkModelRatios,
                supportsAutoSize: false, supportsPixelSize: false, minPixels: 0, maxPixels: 0,
                maxReferences: 10, promptPriorities: None, maxPromptTokens: null, maxPromptCharacters: null, pricePerImageUsd: 0.0232m),
            new ModelInfo(SeedreamGateway.LinkModel, "seedream-4.5", "4.5", new[] { Quality2K, Quality4K }, LinkModelRatios,
                supportsAutoSize: false, supportsPixelSize: false, minPixels: 0, maxPixels: 0,
                maxReferences: 14, promptPriorities: None, maxPromptTokens: null, maxPromptCharacters: 5000, pricePerImageUsd: null),
            // ModelArk takes a tier (1K/2K/4K) or WxH; ratios are turned into pixels of the chosen tier. References up to 30 MB,
            // HEIC and HEIF too. optimize_prompt_options.mode is -PromptPriority: standard or fast for 4.0, standard for 4.5 and
            // 5.0-lite. Seedream 4.0 is not sold in the EU (eu-west).
            new ModelInfo(SeedreamGateway.ModelArk, "seedream-4-0-250828", "4.0", new[] { Quality1K, Quality2K, Quality4K }, ColonRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 1280L * 720, maxPixels: 4096L * 4096,
                maxReferences: 14, promptPriorities: StandardFast, maxPromptTokens: null, maxPromptCharacters: null, pricePerImageUsd: 0.03m,
                supportsWatermark: true, acceptsLocalReferences: true, defaultOutputFormat: "jpeg",
                maxReferenceBytes: MaxReferenceBytesLarge, referenceFormats: ReferenceFormatsWithHeif, notSoldIn: new[] { "eu-west" },
                supportsStreaming: true, supportsInlineImages: true),
            new ModelInfo(SeedreamGateway.ModelArk, "seedream-4-5-251128", "4.5", new[] { Quality2K, Quality4K }, ColonRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 2560L * 1440, maxPixels: 4096L * 4096,
                maxReferences: 14, promptPriorities: Standard, maxPromptTokens: null, maxPromptCharacters: null, pricePerImageUsd: 0.04m,
                supportsWatermark: true, acceptsLocalReferences: true, defaultOutputFormat: "jpeg",
                maxReferenceBytes: MaxReferenceBytesLarge, referenceFormats: ReferenceFormatsWithHeif,
                supportsStreaming: true, supportsInlineImages: true),
            new ModelInfo(SeedreamGateway.ModelArk, "seedream-5-0-260128", "5.0", new[] { Quality2K, Quality3K, Quality4K }, ColonRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 2560L * 1440, maxPixels: 16_777_216L,
                maxReferences: 14, promptPriorities: Standard, maxPromptTokens: null, maxPromptCharacters: null, pricePerImageUsd: null,
                supportsWatermark: true, acceptsLocalReferences: true, outputFormats: PngJpeg, defaultOutputFormat: "jpeg", supportsWebSearch: true,
                maxReferenceBytes: MaxReferenceBytesLarge, referenceFormats: ReferenceFormatsWithHeif,
                supportsStreaming: true, supportsInlineImages: true),
            new ModelInfo(SeedreamGateway.ModelArk, "seedream-5-0-pro-260628", "5.0-pro", new[] { Quality1K, Quality1_5K, Quality2K }, ColonRatios,
                supportsAutoSize: true, supportsPixelSize: true, minPixels: 921_600L, maxPixels: 4_624_220L,
                maxReferences: 10, promptPriorities: StandardFast, maxPromptTokens: 4000, maxPromptCharacters: null, pricePerImageUsd: null,
                supportsWatermark: true, acceptsLocalReferences: true, outputFormats: PngJpeg, defaultOutputFormat: "jpeg",
                defaultQuality: Quality1K, maxReferenceBytes: MaxReferenceBytesLarge, referenceFormats: ReferenceFormatsWithHeif,
                imagesPerRequest: 1, supportsBackground: true, supportsInlineImages: true),
        };

        /// <summary>Smallest total pixel count any model accepts for an explicit size.</summary>
        public static long MinPixelsAnyModel => AllModels.Where(m => m.SupportsPixelSize).Min(m => m.MinPixels);

        /// <summary>Largest total pixel count any model accepts for an explicit size.</summary>
        public static long MaxPixelsAnyModel => AllModels.Where(m => m.SupportsPixelSize).Max(m => m.MaxPixels);

        /// <summary>All models of all gateways.</summary>
        public static IReadOnlyList<ModelInfo> Models => AllModels;

        /// <summary>The models one gateway sells.</summary>
        public static IEnumerable<ModelInfo> ForGateway(SeedreamGateway gateway) => AllModels.Where(m => m.Gateway == gateway);

        /// <summary>The model a request uses when it names none: the gateway's documented default, or the first the region sells.</summary>
        public static ModelInfo DefaultModel(SeedreamGateway gateway, string region = null) => ForGateway(gateway).First(m => m.IsSoldIn(region));

        /// <summary>Finds a gateway's model by its wire name, the other gateway's name for the same
        /// model, or the bare version ("4.5"), so a CSV written for one gateway works on another.</summary>
        /// <returns>The model, or null where the gateway sells nothing by that name.</returns>
        public static ModelInfo Find(SeedreamGateway gateway, string name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            string wanted = name.Trim();
            var models = ForGateway(gateway).ToList();
            var exact = models.FirstOrDefault(m => string.Equals(m.Id, wanted, StringComparison.OrdinalIgnoreCase));
            if (exact != null) return exact;
            string version = VersionOf(wanted);
            return version == null ? null : models.FirstOrDefault(m => m.Version == version);
        }

        /// <summary>The model <paramref name="name"/> names on <paramref name="gateway"/> (<see cref="Find"/>), or the gateway's
        /// default when the name is blank, sent under its catalogue id; what adapters answer for names they do not
        /// read themselves.</summary>
        public static Gateways.ModelChoice Resolve(SeedreamGateway gateway, string name, string region = null)
        {
            var model = string.IsNullOrWhiteSpace(name) ? DefaultModel(gateway, region) : Find(gateway, name);
            if (model == null)
            {
                return Gateways.ModelChoice.Unresolved(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "Model '{0}' is not sold by {1}; use one of: {2}.", name, gateway, string.Join(", ", ForGateway(gateway).Where(m => m.IsSoldIn(region)).Select(m => m.Id))));
            }
            return NotSoldIn(model, region) ?? Gateways.ModelChoice.Of(model);
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ModelInfo> AnyVersions = new System.Collections.Concurrent.ConcurrentDictionary<string, ModelInfo>();

        /// <summary>What stands for a model whose Seedream version is not known (a ModelArk endpoint id without one): the union
        /// of the limits of every version <paramref name="gateway"/> sells in <paramref name="region"/>, so only what no
        /// version accepts is refused; no price.</summary>
        public static ModelInfo AnyVersion(SeedreamGateway gateway, string region = null) => AnyVersions.GetOrAdd(gateway + "|" + region, _ =>
        {
            var models = ForGateway(gateway).Where(m => m.IsSoldIn(region)).ToList();
            IReadOnlyList<string> Union(Func<ModelInfo, IEnumerable<string>> pick, IReadOnlyList<string> order) =>
                order.Where(v => models.Any(m => pick(m).Contains(v))).ToArray();
            int? MostOrNone(Func<ModelInfo, int?> pick) => models.Any(m => pick(m) == null) ? null : models.Max(pick);
            return new ModelInfo(gateway, "(any Seedream version)", "any", Union(m => m.Qualities, AllQualities), Union(m => m.SizeRatios, AllRatios),
                supportsAutoSize: models.Any(m => m.SupportsAutoSize), supportsPixelSize: models.Any(m => m.SupportsPixelSize),
                minPixels: models.Where(m => m.SupportsPixelSize).Select(m => m.MinPixels).DefaultIfEmpty(0).Min(),
                maxPixels: models.Where(m => m.SupportsPixelSize).Select(m => m.MaxPixels).DefaultIfEmpty(0).Max(),
                maxReferences: models.Max(m => m.MaxReferences), promptPriorities: Union(m => m.PromptPriorities, AllPromptPriorities),
                maxPromptTokens: MostOrNone(m => m.MaxPromptTokens), maxPromptCharacters: MostOrNone(m => m.MaxPromptCharacters), pricePerImageUsd: null,
                supportsCallback: models.Any(m => m.SupportsCallback), supportsWatermark: models.Any(m => m.SupportsWatermark),
                acceptsLocalReferences: models.Any(m => m.AcceptsLocalReferences), outputFormats: Union(m => m.OutputFormats, PngJpeg),
                defaultOutputFormat: models[0].DefaultOutputFormat, supportsWebSearch: models.Any(m => m.SupportsWebSearch),
                maxReferenceBytes: models.Max(m => m.MaxReferenceBytes), referenceFormats: Union(m => m.ReferenceFormats, ReferenceFormatsWithHeif),
                imagesPerRequest: models.Max(m => m.ImagesPerRequest), supportsBackground: models.Any(m => m.SupportsBackground));
        });

        /// <summary>A refusal when <paramref name="region"/> does not sell <paramref name="model"/>, naming what it sells; else null.</summary>
        public static Gateways.ModelChoice NotSoldIn(ModelInfo model, string region) =>
            model.IsSoldIn(region) ? null : Gateways.ModelChoice.Unresolved(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "{0} (Seedream {1}) is not sold in {2}'s {3} region; it sells {4}.", model.Id, model.Version, model.Gateway, region,
                string.Join(", ", ForGateway(model.Gateway).Where(m => m.IsSoldIn(region)).Select(m => m.Id))));

        // "doubao-seedream-4.5", "seedream-4.5", "4.5", "5.0-lite", "seedream-5-0-lite-260128" and "5.0-pro" all name a version.
        private static string VersionOf(string name)
        {
            var byId = AllModels.FirstOrDefault(m => string.Equals(m.Id, name, StringComparison.OrdinalIgnoreCase));
            if (byId != null) return byId.Version;
            string bare = name.ToLowerInvariant();
            foreach (var prefix in new[] { "doubao-seedream-", "seedream-" })
            {
                if (bare.StartsWith(prefix, StringComparison.Ordinal)) bare = bare.Substring(prefix.Length);
            }
            // ModelArk's dated names, such as 4-5-251128, 5-0-lite-260128 and 5-0-pro-260628.
            var dated = System.Text.RegularExpressions.Regex.Match(bare, @"^(\d)-(\d)(-(lite|pro))?(-\d{6})?$");
            if (dated.Success) bare = dated.Groups[1].Value + "." + dated.Groups[2].Value + (dated.Groups[4].Success ? "-" + dated.Groups[4].Value : "");
            // 5.0-lite is the 5.0 every gateway sold first; 5.0-pro is its own model.
            if (bare.EndsWith("-lite", StringComparison.Ordinal)) bare = bare.Substring(0, bare.Length - "-lite".Length);
            // A bare major version ("4", "5") names its .0 release.
            if (bare.Length == 1 && char.IsDigit(bare[0])) bare += ".0";
            return AllModels.Select(m => m.Version).FirstOrDefault(v => v == bare);
        }
    }
}
