using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Every rule of the per-model table, on both sides of its boundary.</summary>
public class ValidationTests
{
    private static SeedreamRequest Request(string model, Action<SeedreamRequest> change = null)
    {
        var r = new SeedreamRequest { Prompt = "a lighthouse at dusk", Model = model };
        change?.Invoke(r);
        return r;
    }

    private static void Ok(SeedreamGateway gateway, SeedreamRequest request) => Assert.NotNull(RequestValidator.Validate(request, gateway));

    private static ValidationProblem Fails(SeedreamGateway gateway, SeedreamRequest request, string parameter)
    {
        var e = Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(request, gateway));
        var problem = Assert.Single(e.Problems);
        Assert.Equal(parameter, problem.ParameterName);
        Assert.Equal(parameter, e.ParamName);
        return problem;
    }

    private static List<string> Refs(int count) => Enumerable.Range(1, count).Select(i => $"https://example.com/ref{i}.png").ToList();

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.0")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.5")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.0")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.5")]
    public void Count_is_1_to_15(SeedreamGateway gateway, string model)
    {
        Ok(gateway, Request(model, r => r.Count = 1));
        Ok(gateway, Request(model, r => r.Count = 15));
        Assert.Contains("Count 0 is out of range; ask for 1 to 15 images.", Fails(gateway, Request(model, r => r.Count = 0), "Count").Message);
        Assert.Contains("Count 16", Fails(gateway, Request(model, r => r.Count = 16), "Count").Message);
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.0", 14)]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.5", 14)]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite", 14)]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.0", 10)]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.5", 14)]
    public void References_have_a_per_model_maximum(SeedreamGateway gateway, string model, int max)
    {
        Ok(gateway, Request(model, r => r.ReferenceImages = Refs(max)));
        var problem = Fails(gateway, Request(model, r => r.ReferenceImages = Refs(max + 1)), "ReferenceImage");
        Assert.Contains($"at most {max}", problem.Message);
        Assert.Equal(max, ModelCatalog.Find(gateway, model).MaxReferences);
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.0")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.5")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.0")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.5")]
    public void References_plus_images_are_at_most_15(SeedreamGateway gateway, string model)
    {
        Ok(gateway, Request(model, r => { r.ReferenceImages = Refs(5); r.Count = 10; }));
        var problem = Fails(gateway, Request(model, r => { r.ReferenceImages = Refs(5); r.Count = 11; }), "Count");
        Assert.Equal("5 reference images plus Count 11 is 16; references plus images may be at most 15, so ask for at most 10 images.", problem.Message);
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.0", "1K,2K,4K", "3K")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.5", "2K,4K", "1K,3K")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite", "2K,3K,4K", "1K,1.5K")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-pro", "1K,1.5K,2K", "3K,4K")]
    [InlineData(SeedreamGateway.ModelArk, "seedream-5-0-pro-260628", "1K,1.5K,2K", "3K,4K")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.0", "1K,2K,4K", "3K")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.5", "2K,4K", "1K,3K")]
    public void Quality_is_per_model(SeedreamGateway gateway, string model, string accepted, string refused)
    {
        foreach (var q in accepted.Split(',')) Ok(gateway, Request(model, r => r.Quality = q));
        Ok(gateway, Request(model, r => r.Quality = accepted.Split(',')[0].ToLowerInvariant()));
        foreach (var q in refused.Split(',')) Fails(gateway, Request(model, r => r.Quality = q), "Quality");
    }

    [Fact]
    public void Quality_error_names_the_value_the_model_and_the_choices()
    {
        var problem = Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.5", r => r.Quality = "1K"), "Quality");
        Assert.Equal("Quality '1K' is not supported by doubao-seedream-4.5; use 2K or 4K.", problem.Message);
        Assert.Equal("1K", problem.Value);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("1:1")]
    [InlineData("2:3")]
    [InlineData("3:2")]
    [InlineData("3:4")]
    [InlineData("4:3")]
    [InlineData("4:5")]
    [InlineData("5:4")]
    [InlineData("9:16")]
    [InlineData("16:9")]
    [InlineData("21:9")]
    [InlineData("9:21")]
    public void EvoLink_accepts_every_documented_ratio(string size)
    {
        foreach (var model in ModelCatalog.ForGateway(SeedreamGateway.EvoLink)) Ok(SeedreamGateway.EvoLink, Request(model.Id, r => r.Size = size));
    }

    [Theory]
    [InlineData("1:20")]
    [InlineData("1:2")]
    [InlineData("widescreen")]
    [InlineData("16:0")]
    public void EvoLink_refuses_other_ratios(string size) => Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Size = size), "Size");

    [Theory]
    [InlineData("16:9")]
    [InlineData("16x9")]
    [InlineData("1x1")]
    [InlineData("21:9")]
    [InlineData("2x3")]
    [InlineData("3:2")]
    [InlineData("3x4")]
    [InlineData("4:3")]
    [InlineData("9x16")]
    public void LinkModel_accepts_its_ratios_in_either_spelling(string size)
    {
        Ok(SeedreamGateway.LinkModel, Request("seedream-4.0", r => r.Size = size));
        Ok(SeedreamGateway.LinkModel, Request("seedream-4.5", r => r.Size = size));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("4:5")]
    [InlineData("5:4")]
    [InlineData("2048x2048")]
    public void LinkModel_refuses_auto_4_5_and_pixels(string size) => Fails(SeedreamGateway.LinkModel, Request("seedream-4.0", r => r.Size = size), "Size");

    [Theory]
    [InlineData("doubao-seedream-4.0", "1280x720", "1279x720")]
    [InlineData("doubao-seedream-4.0", "4096x4096", "4097x4096")]
    [InlineData("doubao-seedream-4.5", "2560x1440", "2559x1440")]
    [InlineData("doubao-seedream-4.5", "4096x4096", "4096x4097")]
    [InlineData("doubao-seedream-5.0-lite", "2560x1440", "2560x1439")]
    [InlineData("doubao-seedream-5.0-lite", "4096x4096", "4097x4096")]
    [InlineData("doubao-seedream-5.0-pro", "1280x720", "1279x720")]
    [InlineData("doubao-seedream-5.0-pro", "2150x2150", "2151x2150")]
    public void Explicit_pixels_stay_within_the_model_range(string model, string inside, string outside)
    {
        Ok(SeedreamGateway.EvoLink, Request(model, r => r.Size = inside));
        var problem = Fails(SeedreamGateway.EvoLink, Request(model, r => r.Size = outside), "Size");
        Assert.Contains("pixels in total", problem.Message);
    }

    [Theory]
    [InlineData("4096x256", "4113x257")]
    [InlineData("256x4096", "257x4113")]
    public void Explicit_pixels_keep_the_aspect_between_1_16_and_16(string inside, string outside)
    {
        Ok(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Size = inside));
        var problem = Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Size = outside), "Size");
        Assert.Contains("between 1/16 and 16", problem.Message);
    }

    [Fact]
    public void Small_and_huge_pixel_sizes_are_refused_with_the_range()
    {
        var small = Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Size = "100x100"), "Size");
        Assert.Equal("Size '100x100' is 10,000 pixels; doubao-seedream-4.0 accepts 921,600 to 16,777,216 pixels in total (1280x720 to 4096x4096).", small.Message);
        Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Size = "5000x5000"), "Size");
    }

    [Fact]
    public void Prompt_must_not_be_empty()
    {
        Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Prompt = ""), "Prompt");
        Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Prompt = "   \t"), "Prompt");
        Fails(SeedreamGateway.LinkModel, Request("seedream-4.0", r => r.Prompt = null), "Prompt");
        Ok(SeedreamGateway.LinkModel, Request("seedream-4.0", r => r.Prompt = "x"));
    }

    [Fact]
    public void EvoLink_prompt_is_limited_to_2000_characters()
    {
        // The OpenAPI schema's maxLength and EvoLink's own clients count characters, not tokens.
        Ok(SeedreamGateway.EvoLink, Request("doubao-seedream-4.5", r => r.Prompt = new string('a', 2000)));
        var problem = Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.5", r => r.Prompt = new string('a', 2001)), "Prompt");
        Assert.Contains("accepts at most 2000", problem.Message);
        Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.Prompt = new string('é', 2001)), "Prompt");
    }

    [Fact]
    public void Seedream_5_0_lite_takes_4K_and_up_to_16_777_216_pixels_on_ModelArk_and_EvoLink()
    {
        // Both gateways' 2026 pages: 2K, 3K and 4K; 3,686,400 to 16,777,216 pixels (4K 21:9 = 6240x2656).
        foreach (var (gateway, model) in new[] { (SeedreamGateway.ModelArk, "seedream-5-0-260128"), (SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite") })
        {
            Ok(gateway, Request(model, r => r.Size = "6240x2656"));
            Ok(gateway, Request(model, r => { r.Size = "21:9"; r.Quality = "4K"; }));
            Fails(gateway, Request(model, r => r.Size = "4097x4096"), "Size");
            Fails(gateway, Request(model, r => r.Quality = "1K"), "Quality");
        }
        Assert.Equal(0.032m, SeedreamPS.Core.Catalog.ModelCatalog.Models.Single(m => m.Id == "doubao-seedream-5.0-lite").PricePerImageUsd);
    }

    [Fact]
    public void LinkModel_4_5_prompt_is_limited_to_5000_characters()
    {
        Ok(SeedreamGateway.LinkModel, Request("seedream-4.5", r => r.Prompt = new string('a', 5000)));
        Fails(SeedreamGateway.LinkModel, Request("seedream-4.5", r => r.Prompt = new string('a', 5001)), "Prompt");
        Ok(SeedreamGateway.LinkModel, Request("seedream-4.0", r => r.Prompt = new string('a', 20000)));
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.0", "standard,fast", "")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.5", "standard", "fast")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite", "standard", "fast")]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-pro", "standard,fast", "")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.0", "", "standard,fast")]
    public void Prompt_priority_is_per_model(SeedreamGateway gateway, string model, string accepted, string refused)
    {
        foreach (var p in accepted.Split(',', StringSplitOptions.RemoveEmptyEntries)) Ok(gateway, Request(model, r => r.PromptPriority = p));
        foreach (var p in refused.Split(',', StringSplitOptions.RemoveEmptyEntries)) Fails(gateway, Request(model, r => r.PromptPriority = p), "PromptPriority");
    }

    [Theory]
    [InlineData("4.5", "doubao-seedream-4.5")]
    [InlineData("seedream-4.5", "doubao-seedream-4.5")]
    [InlineData("DOUBAO-SEEDREAM-4.0", "doubao-seedream-4.0")]
    [InlineData("5.0", "doubao-seedream-5.0-lite")]
    [InlineData(null, "doubao-seedream-4.0")]
    public void Model_names_resolve_across_gateways(string given, string expected) =>
        Assert.Equal(expected, RequestValidator.Validate(Request(given), SeedreamGateway.EvoLink).Model.Id);

    [Fact]
    public void Unknown_models_are_refused_with_the_list()
    {
        var problem = Fails(SeedreamGateway.EvoLink, Request("dall-e-3"), "Model");
        Assert.Equal("Model 'dall-e-3' is not sold by EvoLink; use one of: doubao-seedream-4.0, doubao-seedream-4.5, doubao-seedream-5.0-lite, doubao-seedream-5.0-pro.", problem.Message);
        Fails(SeedreamGateway.LinkModel, Request("5.0"), "Model");
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("C:\\refs\\logo.png")]
    public void References_must_be_http_urls(string reference) =>
        Fails(SeedreamGateway.EvoLink, Request("doubao-seedream-4.0", r => r.ReferenceImages = new List<string> { reference }), "ReferenceImage");

    [Fact]
    public void Several_problems_are_all_reported()
    {
        var e = Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(Request("doubao-seedream-4.5", r => { r.Prompt = ""; r.Quality = "1K"; r.Count = 0; }), SeedreamGateway.EvoLink));
        Assert.Equal(new[] { "Prompt", "Count", "Quality" }, e.Problems.Select(p => p.ParameterName));
        Assert.Contains("Quality '1K'", e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    [Fact]
    public void Estimated_cost_is_price_times_count()
    {
        var validated = RequestValidator.Validate(Request("doubao-seedream-4.5", r => r.Count = 4), SeedreamGateway.EvoLink);
        Assert.Equal(0.124m, validated.EstimatedCostUsd);
    }

    [Theory]
    [InlineData("16:9", ImageSizeKind.Ratio, "16:9")]
    [InlineData("16x9", ImageSizeKind.Ratio, "16:9")]
    [InlineData(" AUTO ", ImageSizeKind.Auto, "auto")]
    [InlineData("2048x2048", ImageSizeKind.Pixels, "2048x2048")]
    [InlineData("2048X1152", ImageSizeKind.Pixels, "2048x1152")]
    [InlineData("2048*1152", ImageSizeKind.Pixels, "2048x1152")]
    public void Sizes_parse(string text, ImageSizeKind kind, string canonical)
    {
        Assert.True(ImageSize.TryParse(text, out var size));
        Assert.Equal(kind, size.Kind);
        Assert.Equal(canonical, size.ToString());
    }
}
