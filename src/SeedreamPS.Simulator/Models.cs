namespace SeedreamPS.Simulator;

/// <summary>What the gateways' documents say each model accepts; written from the documents, not from the client.</summary>
internal sealed record SimModel(
    string Gateway, string Id, string[] Qualities, string[] Ratios, bool Auto, bool Pixels,
    long MinPixels, long MaxPixels, int MaxReferences, string[] Priorities, int? MaxPromptChars, decimal Price)
{
    public static readonly string[] EvoRatios = { "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9" };
    public static readonly string[] LinkRatios = { "16x9", "1x1", "21x9", "2x3", "3x2", "3x4", "4x3", "9x16" };

    public static readonly SimModel[] All =
    {
        new("evolink", "doubao-seedream-4.0", new[] { "1K", "2K", "4K" }, EvoRatios, true, true, 1280L * 720, 4096L * 4096, 14, new[] { "standard", "fast" }, null, 0.019m),
        new("evolink", "doubao-seedream-4.5", new[] { "2K", "4K" }, EvoRatios, true, true, 2560L * 1440, 4096L * 4096, 14, new[] { "standard" }, null, 0.031m),
        new("evolink", "doubao-seedream-5.0-lite", new[] { "2K", "3K" }, EvoRatios, true, true, 2560L * 1440, 3072L * 3072, 14, Array.Empty<string>(), null, 0.032m),
        new("linkmodel", "seedream-4.0", new[] { "1K", "2K", "4K" }, LinkRatios, false, false, 0, 0, 10, Array.Empty<string>(), null, 0.0232m),
        new("linkmodel", "seedream-4.5", new[] { "2K", "4K" }, LinkRatios, false, false, 0, 0, 14, Array.Empty<string>(), 5000, 0.035m),
        // ModelArk's optimize_prompt_options.mode: standard or fast for 4.0, standard for 4.5 and 5.0-lite.
        new("modelark", "seedream-4-0-250828", new[] { "1K", "2K", "4K" }, Array.Empty<string>(), false, true, 1280L * 720, 4096L * 4096, 14, new[] { "standard", "fast" }, null, 0.03m),
        new("modelark", "seedream-4-5-251128", new[] { "2K", "4K" }, Array.Empty<string>(), false, true, 2560L * 1440, 4096L * 4096, 14, new[] { "standard" }, null, 0.04m),
        // BytePlus's reference: 2560x1440 = 3,686,400 to 3072x3072x1.1025 = 10,404,496 pixels (its 3K 21:9 size is 4704x2016).
        new("modelark", "seedream-5-0-260128", new[] { "2K", "3K" }, Array.Empty<string>(), false, true, 2560L * 1440, 10_404_496L, 14, new[] { "standard" }, null, 0.04m),
    };

    public static SimModel? Find(string gateway, string? id) =>
        All.FirstOrDefault(m => m.Gateway == gateway && string.Equals(m.Id, id, StringComparison.Ordinal));

    /// <summary>Pixels the backend renders for a ratio and quality tier: the tier's square area at that ratio.</summary>
    public static (int Width, int Height) Render(string? size, string? quality)
    {
        int tier = (quality ?? "2K").Trim().ToUpperInvariant() switch { "1K" => 1024, "3K" => 3072, "4K" => 4096, _ => 2048 };
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
