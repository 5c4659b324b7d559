using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The official synchronous API: one call makes the images, and the task it yields is already finished.</summary>
public class ModelArkTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public ModelArkTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromMilliseconds(100);
    }

    private static JsonElement Body(SeedreamRequest request)
    {
        var validated = RequestValidator.Validate(request, SeedreamGateway.ModelArk);
        var message = GatewayAdapters.For(SeedreamGateway.ModelArk).BuildCreate(new Uri("https://ark.example.com/api/v3/"), validated);
        Assert.Equal("https://ark.example.com/api/v3/images/generations", message.RequestUri!.AbsoluteUri);
        return JsonDocument.Parse(message.Content!.ReadAsStringAsync().Result).RootElement;
    }

    [Fact]
    public void One_image_is_disabled_sequential_generation_with_the_watermark_on()
    {
        var body = Body(new SeedreamRequest { Prompt = "p", Model = "4.0" });
        Assert.Equal("seedream-4-0-250828", body.GetProperty("model").GetString());
        Assert.Equal("disabled", body.GetProperty("sequential_image_generation").GetString());
        Assert.False(body.TryGetProperty("sequential_image_generation_options", out _));
        Assert.Equal("url", body.GetProperty("response_format").GetString());
        Assert.True(body.GetProperty("watermark").GetBoolean());
        Assert.Equal("2K", body.GetProperty("size").GetString());
    }

    [Fact]
    public void Several_images_ask_for_sequential_generation_with_max_images()
    {
        var body = Body(new SeedreamRequest { Prompt = "p", Count = 4, Watermark = false, Size = "16:9", Quality = "2K", ReferenceImages = new List<string> { "https://e.com/a.png", "https://e.com/b.png" } });
        Assert.Equal("auto", body.GetProperty("sequential_image_generation").GetString());
        Assert.Equal(4, body.GetProperty("sequential_image_generation_options").GetProperty("max_images").GetInt32());
        Assert.False(body.GetProperty("watermark").GetBoolean());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("image").ValueKind);
        Assert.Equal("2720x1536", body.GetProperty("size").GetString());
    }

    [Fact]
    public void One_reference_is_sent_as_a_string()
    {
        var body = Body(new SeedreamRequest { Prompt = "p", ReferenceImages = new List<string> { "https://e.com/a.png" } });
        Assert.Equal("https://e.com/a.png", body.GetProperty("image").GetString());
    }

    [Theory]
    [InlineData("seedream-4-0-250828", "21:9", "1K")]
    [InlineData("seedream-4-5-251128", "21:9", "2K")]
    [InlineData("seedream-4-5-251128", "9:16", "4K")]
    [InlineData("seedream-5-0-260128", "1:1", "3K")]
    [InlineData("seedream-5-0-260128", "16:9", "2K")]
    public void Ratios_become_pixels_inside_the_model_range(string model, string ratio, string tier)
    {
        var validated = RequestValidator.Validate(new SeedreamRequest { Prompt = "p", Model = model, Size = ratio, Quality = tier }, SeedreamGateway.ModelArk);
        Assert.True(ImageSize.TryParse(validated.TierOrPixels, out var size));
        Assert.Equal(ImageSizeKind.Pixels, size.Kind);
        Assert.InRange(size.PixelCount, validated.Model.MinPixels, validated.Model.MaxPixels);
        Assert.Equal(0, size.Width % 16);
    }

    [Fact]
    public void Seedream_5_on_ModelArk_has_its_own_limits()
    {
        Assert.NotNull(RequestValidator.Validate(new SeedreamRequest { Prompt = "p", Model = "seedream-5-0-260128", Quality = "3K" }, SeedreamGateway.ModelArk));
        Assert.NotNull(RequestValidator.Validate(new SeedreamRequest { Prompt = "p", Model = "5.0", Quality = "4K" }, SeedreamGateway.ModelArk));
        Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(new SeedreamRequest { Prompt = "p", Model = "5.0", Quality = "1K" }, SeedreamGateway.ModelArk));
        Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(new SeedreamRequest { Prompt = "p", Model = "5.0", Size = "4097x4096" }, SeedreamGateway.ModelArk));
        // The documented aliases of 5.0-lite, and 5.0 Pro as its own model.
        Assert.Equal("seedream-5-0-260128", ModelCatalog.Find(SeedreamGateway.ModelArk, "seedream-5-0-lite-260128")!.Id);
        Assert.Equal("seedream-5-0-260128", ModelCatalog.Find(SeedreamGateway.ModelArk, "doubao-seedream-5-0-lite-260128")!.Id);
        Assert.Equal("seedream-5-0-pro-260628", ModelCatalog.Find(SeedreamGateway.ModelArk, "doubao-seedream-5.0-pro")!.Id);
        Assert.Equal("doubao-seedream-5.0-pro", ModelCatalog.Find(SeedreamGateway.EvoLink, "seedream-5-0-pro-260628")!.Id);
        Assert.Equal("seedream-5-0-260128", ModelCatalog.Find(SeedreamGateway.ModelArk, "doubao-seedream-5.0-lite")!.Id);
        Assert.Equal("doubao-seedream-4.5", ModelCatalog.Find(SeedreamGateway.EvoLink, "seedream-4-5-251128")!.Id);
    }

    [Fact]
    public void Callbacks_are_not_ModelArk_parameters_but_the_watermark_and_prompt_priority_are()
    {
        var e = Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(new SeedreamRequest { Prompt = "p", CallbackUrl = "https://hooks.example.com/x" }, SeedreamGateway.ModelArk));
        Assert.Contains("answers with the images directly", e.Message);
        Assert.NotNull(RequestValidator.Validate(new SeedreamRequest { Prompt = "p", PromptPriority = "fast" }, SeedreamGateway.ModelArk));
        Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(new SeedreamRequest { Prompt = "p", Model = "4.5", PromptPriority = "fast" }, SeedreamGateway.ModelArk));
        var w = Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(new SeedreamRequest { Prompt = "p", Watermark = false }, SeedreamGateway.EvoLink));
        Assert.Equal("NoWatermark", w.ParamName);
    }

    [Fact]
    public async Task A_create_returns_a_finished_task_whose_images_save_as_jpegs_of_the_requested_size()
    {
        var client = _sim.Client(SeedreamGateway.ModelArk);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "a fox, generate 3 different images", Count = 3, Size = "2048x2048", Model = "4.0" });
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);
        Assert.True(task.IsFinished);
        Assert.Equal(3, task.Images.Count);
        Assert.StartsWith("ark-", task.Id);
        Assert.Equal(task, await client.WaitAsync(task, TimeSpan.FromSeconds(1)));
        using var folder = new TempFolder();
        var saved = await client.DownloadAsync(task.Images[2], folder.File("c.jpeg"));
        Assert.Equal("jpeg", saved.Format);
        Assert.Equal((2048, 2048), Jpeg.Size(saved.Path));
        Assert.Equal(1, _sim.Host.State.Count("modelark.create"));
    }

    [Fact]
    public async Task Images_are_named_by_their_real_format_and_5_0_lite_takes_an_output_format()
    {
        var client = _sim.Client(SeedreamGateway.ModelArk);
        using var folder = new TempFolder();
        var events = await EngineHelpers.RunBatch(new SeedreamPS.Core.Batch.BatchOptions
        {
            Clients = SeedreamPS.Core.Client.ClientSet.Of(client),
            Save = new SeedreamPS.Core.Storage.SaveOptions { Folder = folder.Path, FileNameTemplate = "{Model}{Ext}" },
        }, batch =>
        {
            batch.Submit(new SeedreamRequest { Prompt = "p", Model = "4.5" }, null, null, "a");
            batch.Submit(new SeedreamRequest { Prompt = "p", Model = "5.0" }, null, null, "b");
            batch.Submit(new SeedreamRequest { Prompt = "p", Model = "5.0", OutputFormat = "png", Size = "4704x2016" }, null, new Dictionary<string, object> { ["x"] = 1 }, "c");
        });
        var files = events.Where(e => e.Saved != null).Select(e => (Path.GetFileName(e.Saved.Path), e.Saved.Format)).OrderBy(f => f.Item1).ToList();
        Assert.Equal(3, files.Count);
        Assert.Contains(("seedream-4-5-251128.jpeg", "jpeg"), files);
        Assert.Contains(("seedream-5-0-260128.jpeg", "jpeg"), files);
        Assert.Contains(("seedream-5-0-260128.png", "png"), files);
        Assert.Equal((4704, 2016), Png.Size(folder.File("seedream-5-0-260128.png")));
        // Only 5.0-lite chooses.
        var e = Assert.Throws<SeedreamValidationException>(() => client.Validate(new SeedreamRequest { Prompt = "p", Model = "4.0", OutputFormat = "png" }));
        Assert.Contains("answers JPEG only", e.Message);
        Assert.Throws<SeedreamValidationException>(() => _sim.Client(SeedreamGateway.EvoLink).Validate(new SeedreamRequest { Prompt = "p", OutputFormat = "jpeg" }));
    }

    [Fact]
    public async Task Seedream_5_0_lite_searches_the_web_when_asked_and_the_task_says_how_often()
    {
        var client = _sim.Client(SeedreamGateway.ModelArk);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "this week's weather in Tokyo as a poster", Model = "5.0", WebSearch = true });
        Assert.Equal(1, task.WebSearches);
        Assert.Null((await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "5.0" })).WebSearches);
        Assert.Throws<SeedreamValidationException>(() => client.Validate(new SeedreamRequest { Prompt = "p", Model = "4.5", WebSearch = true }));
        var evo = Assert.Throws<SeedreamValidationException>(() => _sim.Client(SeedreamGateway.EvoLink).Validate(new SeedreamRequest { Prompt = "p", Model = "4.5", WebSearch = true }));
        Assert.Contains("WebSearch is not supported by doubao-seedream-4.5 on EvoLink; it is supported by doubao-seedream-5.0-lite on EvoLink, seedream-5-0-260128 on ModelArk.", evo.Message);
        Assert.Equal(2, _sim.Host.State.Count("modelark.create"));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, false)]
    public async Task A_truncated_jpeg_is_fetched_again_or_left_unsaved(int times, bool saves)
    {
        var client = _sim.Client(SeedreamGateway.ModelArk, retries: 2);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1280x720" });
        _sim.Host.State.AddFaults(new[] { new Simulator.FaultRule { Target = "image", Kind = Simulator.FaultKind.Truncate, Times = times } });
        using var folder = new TempFolder();
        if (saves)
        {
            Assert.Equal("jpeg", (await client.DownloadAsync(task.Images[0], folder.File("a.jpeg"))).Format);
            Assert.Equal((1280, 720), Jpeg.Size(folder.File("a.jpeg")));
        }
        else
        {
            var e = await Assert.ThrowsAsync<Http.SeedreamApiException>(() => client.DownloadAsync(task.Images[0], folder.File("a.jpeg")));
            Assert.Equal(DownloadErrorCodes.TruncatedDownload, e.ErrorCode);
            Assert.Contains("broke off", e.Message);
        }
        Assert.DoesNotContain(folder.Entries(), n => n.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Local_references_are_inlined_as_data_urls()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("logo.png"), TinyImages.Png(640, 480));
        var client = _sim.Client(SeedreamGateway.ModelArk);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", ReferenceImages = new List<string> { folder.File("logo.png") } });
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);
        Assert.Equal(0, _sim.Host.State.Count("files.upload"));
        Assert.StartsWith("data:image/png;base64,", Core.References.LocalReference.DataUrl(folder.File("logo.png")));
    }

    [Fact]
    public async Task Errors_map_to_the_same_exception_type()
    {
        var unauthorized = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.ModelArk, key: "nope").CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(401, unauthorized.HttpStatus);
        Assert.Equal("AuthenticationError", unauthorized.ErrorCode);
        Assert.Equal(SeedreamGateway.ModelArk, unauthorized.Gateway);

        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "modelark.create", Kind = FaultKind.TaskFail, ErrorCode = "OutputImageSensitiveContentDetected" } });
        var sensitive = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.ModelArk).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal("OutputImageSensitiveContentDetected", sensitive.ErrorCode);
        Assert.False(sensitive.IsRetryable);

        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "modelark.create", Kind = FaultKind.Status, Status = 429, RetryAfterSeconds = 0 } });
        int before = _sim.Host.State.Count("modelark.create");
        var task = await _sim.Client(SeedreamGateway.ModelArk).CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);
        Assert.Equal(before + 2, _sim.Host.State.Count("modelark.create"));
    }

    [Fact]
    public async Task There_is_no_task_to_query()
    {
        var e = await Assert.ThrowsAsync<SeedreamValidationException>(() => _sim.Client(SeedreamGateway.ModelArk).GetTaskAsync("ark-1-abc"));
        Assert.Contains("synchronously", e.Message);
        Assert.Equal(0, _sim.Host.State.Count("modelark.create"));
    }

    [Fact]
    public void The_ModelArk_error_body_keeps_code_param_and_type()
    {
        var e = GatewayAdapters.For(SeedreamGateway.ModelArk).ParseError(400, "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"size is bad\",\"param\":\"size\",\"type\":\"BadRequest\"}}");
        Assert.Equal(("InvalidParameter", "size", "BadRequest"), (e.ErrorCode, e.Param, e.ErrorType));
        Assert.StartsWith("ModelArk refused the request (HTTP 400, BadRequest): size is bad", e.Message);
    }
}
