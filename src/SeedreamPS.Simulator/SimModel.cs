namespace SeedreamPS.Simulator;

/// <summary>What the gateways' documents say each model accepts; written from the documents, not from the client.</summary>
internal sealed record SimModel(
    string Gateway, string Id, string[] Qualities, string[] Ratios, bool Auto, bool Pixels,
    long MinPixels, long MaxPixels, int MaxReferences, string[] Priorities, int? MaxPromptChars, decimal Price)
{
    /// <summary>Other ids the same model answers to (ModelArk 5.0-lite: seedream-5-0-lite-260128).</summary>
    public string[] Aliases { get; init; } = Array.Empty<string>();

    /// <summary>One image per request (5.0 Pro): no n, no sequential_image_generation auto, no streaming.</summary>
    public bool OneImage { get; init; }

    /// <summary>ModelArk stream: true (4.0, 4.5, 5.0-lite; not 5.0 Pro).</summary>
    public bool Streams { get; init; }

    /// <summary>The quality tier used when the request names none (5.0 Pro: 1K; the others 2K).</summary>
    public string DefaultQuality { get; init; } = "2K";

    /// <summary>output_format values the model takes (empty: none; 4.x answer JPEG on ModelArk).</summary>
    public string[] OutputFormats { get; init; } = Array.Empty<string>();

    /// <summary>The prompt limit in tokens where the documents give one in tokens (5.0 Pro: 4000).</summary>
    public int? MaxPromptTokens { get; init; }

    /// <summary>5.0 Pro's background: opaque or transparent.</summary>
    public bool Background { get; init; }

    /// <summary>Whether the model takes web search (5.0-lite: tools on ModelArk, model_params.tools on EvoLink).</summary>
    public bool WebSearch { get; init; }

    public static readonly string[] EvoRatios = { "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9" };

    /// <summary>EvoLink's list since 2026-07-12: 9:21 added for 4.0, 4.5 and 5.0-lite (and on 5.0 Pro's page).</summary>
    public static readonly string[] EvoRatios2026 = EvoRatios.Append("9:21").ToArray();

    private static readonly string[] PngOrJpeg = { "png", "jpeg" };
    public static readonly string[] LinkRatios = { "16x9", "1x1", "21x9", "2x3", "3x2", "3x4", "4x3", "9x16" };

    public static readonly SimModel[] All =
    {
        new("evolink", "doubao-seedream-4.0", new[] { "1K", "2K", "4K" }, EvoRatios2026, true, true, 1280L * 720, 4096L * 4096, 14, new[] { "standard", "fast" }, null, 0.019m),
        new("evolink", "doubao-seedream-4.5", new[] { "2K", "4K" }, EvoRatios2026, true, true, 2560L * 1440, 4096L * 4096, 14, new[] { "standard" }, null, 0.031m),
        // EvoLink's docs of 2026-07-12: 2K, 3K, 4K and 3,686,400 to 16,777,216 pixels; prompt_priority standard only;
        // model_params.output_format (png|jpeg, default jpeg) and model_params.tools web_search.
        new("evolink", "doubao-seedream-5.0-lite", new[] { "2K", "3K", "4K" }, EvoRatios2026, true, true, 3_686_400L, 16_777_216L, 14, new[] { "standard" }, null, 0.032m)
            { OutputFormats = PngOrJpeg, WebSearch = true },
        // 5.0 Pro: 1K, 1.5K, 2K (default 1K), 921,600 to 4,624,220 pixels, one image, 10 references, 4000 tokens of
        // prompt, output_format at the top level, background, watermark. No EvoLink price is published: the simulator
        // charges a nominal amount so that balance refusals can still be tested.
        new("evolink", "doubao-seedream-5.0-pro", new[] { "1K", "1.5K", "2K" }, EvoRatios2026, true, true, 921_600L, 4_624_220L, 10, new[] { "standard", "fast" }, null, 0.045m)
            { OneImage = true, DefaultQuality = "1K", OutputFormats = PngOrJpeg, MaxPromptTokens = 4000, Background = true },
        new("linkmodel", "seedream-4.0", new[] { "1K", "2K", "4K" }, LinkRatios, false, false, 0, 0, 10, Array.Empty<string>(), null, 0.0232m),
        new("linkmodel", "seedream-4.5", new[] { "2K", "4K" }, LinkRatios, false, false, 0, 0, 14, Array.Empty<string>(), 5000, 0.035m),
        // ModelArk's optimize_prompt_options.mode: standard or fast for 4.0, standard for 4.5 and 5.0-lite.
        // The BytePlus ids; Volcengine's are the same with doubao- in front (ModelArkEndpoints keeps the families apart).
        new("modelark", "seedream-4-0-250828", new[] { "1K", "2K", "4K" }, Array.Empty<string>(), false, true, 1280L * 720, 4096L * 4096, 14, new[] { "standard", "fast" }, null, 0.03m)
            { Streams = true },
        new("modelark", "seedream-4-5-251128", new[] { "2K", "4K" }, Array.Empty<string>(), false, true, 2560L * 1440, 4096L * 4096, 14, new[] { "standard" }, null, 0.04m)
            { Streams = true },
        // 2026-11-30 notes: 2K/3K/4K and 3,686,400 to 16,777,216 pixels (replacing the 3K maximum of 10,404,496);
        // seedream-5-0-lite-260128 is a documented alias.
        new("modelark", "seedream-5-0-260128", new[] { "2K", "3K", "4K" }, Array.Empty<string>(), false, true, 3_686_400L, 16_777_216L, 14, new[] { "standard" }, null, 0.04m)
            { Streams = true, Aliases = new[] { "seedream-5-0-lite-260128" }, OutputFormats = PngOrJpeg, WebSearch = true },
        // 5.0 Pro: no streaming, one image, 10 references, 4000 tokens. No BytePlus price is published (Volcengine
        // sells it at 0.30/0.60 yuan): a nominal charge keeps balance refusals testable.
        new("modelark", "seedream-5-0-pro-260628", new[] { "1K", "1.5K", "2K" }, Array.Empty<string>(), false, true, 921_600L, 4_624_220L, 10, new[] { "standard", "fast" }, null, 0.045m)
            { OneImage = true, DefaultQuality = "1K", OutputFormats = PngOrJpeg, MaxPromptTokens = 4000, Background = true },
    };

    public static SimModel? Find(string gateway, string? id) =>
        All.FirstOrDefault(m => m.Gateway == gateway && (string.Equals(m.Id, id, StringComparison.Ordinal) || m.Aliases.Contains(id)));

    /// <summary>A prompt's length in tokens, estimated without the real tokenizer: a token per non-ASCII character
    /// (CJK text runs about one a character) and per four ASCII characters.</summary>
    public static int Tokens(string prompt)
    {
        int ascii = prompt.Count(c => c < 128);
        return prompt.Length - ascii + (ascii + 3) / 4;
    }

    /// <summary>Pixels the backend renders for a ratio and quality tier: the tier's square area at that ratio.</summary>
    public static (int Width, int Height) Render(string? size, string? quality)
    {
        int tier = (quality ?? "2K").Trim().ToUpperInvariant() switch { "1K" => 1024, "1.5K" => 1536, "3K" => 3072, "4K" => 4096, _ => 2048 };
        string s = (size ?? "auto").Trim().ToLowerInvariant();
        var parts = s.Split(':', 'x');
        if (parts.Length == 2 && int.TryParse(parts[0], out int a) && int.TryParse(parts[1], out int b) && a > 0 && b > 0)
        {
            bool isRatio = s.Contains(':') || LinkRatios.Contains(s);
            if (!isRatio) return (a, b);
            double area = (double)tier * tier;
            int w = (int)Math.Round(Math.Sqrt(area * a / b) / 16) * 16;
            int h = (int)Math.Round(area / w / 16) * 16;
            return (w, h);
        }
        return (tier, tier);
    }
}
