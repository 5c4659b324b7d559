using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.References;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Session;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The client against the gateways as they are today (API-NOTES, 2026-11-30), end to end through the simulator:
/// Volcengine ids by region, the EU region, Seedream 5.0 Pro's one image a request, 5.0-lite's new fields, HEIF references.</summary>
public class Gateways2026Tests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public Gateways2026Tests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    // A connection as Connect-Seedream makes it: the region names the id family, -BaseUri (the simulator) the address.
    private SeedreamClient ModelArk(string region, Uri address)
    {
        var connection = new SessionStore(_ => null).Create(new ConnectionSettings
        {
            Gateway = SeedreamGateway.ModelArk, ApiKey = new SeedreamApiKey(_sim.Host.State.Options.ApiKey), Region = region, BaseUri = address,
        });
        return new SeedreamClient(connection);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("4.5")]
    [InlineData("doubao-seedream-4.5")]
    [InlineData("seedream-4-5-251128")]
    [InlineData("5.0-pro")]
    public async Task Volcengine_takes_every_way_of_naming_a_model_because_the_region_sends_its_ids(string name)
    {
        var volcengine = ModelArk("cn-beijing", _sim.Host.VolcengineUri);
        var task = await volcengine.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = name });
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);
        Assert.Equal(1, _sim.Host.State.Count("volcengine.create"));
    }

    [Fact]
    public async Task Without_the_region_a_proxy_in_front_of_Volcengine_gets_BytePlus_ids_and_refuses_them()
    {
        // What the region is for: the address alone (a proxy, here the simulator) does not say which ids it takes.
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => ModelArk(null, _sim.Host.VolcengineUri).CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "4.5" }));
        Assert.Equal(404, e.HttpStatus);
        Assert.Equal(0, _sim.Host.State.TaskCount);
    }

    [Fact]
    public async Task The_EU_region_refuses_Seedream_4_0_before_sending_and_defaults_to_a_model_it_sells()
    {
        var eu = ModelArk("eu-west", _sim.Host.ModelArkEuUri);
        var refused = Assert.Throws<SeedreamValidationException>(() => eu.Validate(new SeedreamRequest { Prompt = "p", Model = "4.0" }));
        Assert.Contains("not sold in ModelArk's eu-west region; it sells seedream-4-5-251128, seedream-5-0-260128, seedream-5-0-pro-260628", refused.Message);
        var task = await eu.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        Assert.Equal("seedream-4-5-251128", task.Model);
        Assert.Equal(1, _sim.Host.State.Count("modelark-eu.create"));
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "evolink.create")]
    [InlineData(SeedreamGateway.ModelArk, "modelark.create")]
    public async Task Pro_makes_one_image_a_request_so_Count_3_is_three_tasks_each_journalled_and_resumable(SeedreamGateway gateway, string counter)
    {
        using var folder = new TempFolder();
        var journal = new Journal.TaskJournal(folder.File("journal.jsonl"));
        Task<List<BatchEvent>> Run(bool resume) => EngineHelpers.RunBatch(new BatchOptions
        {
            Journal = journal, Clients = ClientSet.Of(_sim.Client(gateway)), Resume = resume, Wait = true,
        }, batch => batch.Submit(new SeedreamRequest { Prompt = "a product shot", Model = "5.0-pro", Count = 3 }, null, new Dictionary<string, object> { ["Name"] = "hero" }, "row 1"));

        var events = await Run(resume: false);
        var created = events.Where(e => e.Kind == BatchEventKind.Created).ToList();
        Assert.Equal(3, created.Count);
        Assert.All(created, e => Assert.Equal(1, e.Task.Request.Count));
        Assert.All(created, e => Assert.Equal("hero", e.Task.Context["Name"]));
        Assert.Equal(3, created.Select(e => e.Task.Id).Distinct().Count());
        Assert.Equal(3, _sim.Host.State.Count(counter));

        // Each part is its own journalled request: a rerun reuses all three and sends nothing.
        var again = await Run(resume: true);
        Assert.Equal(3, again.Count(e => e.Kind == BatchEventKind.Reused));
        Assert.Equal(3, _sim.Host.State.Count(counter));
    }

    [Fact]
    public async Task A_client_refuses_a_Pro_request_for_more_images_than_one_request_makes()
    {
        var request = _sim.Client(SeedreamGateway.EvoLink).Validate(new SeedreamRequest { Prompt = "p", Model = "5.0-pro", Count = 2 });
        Assert.Equal(2, request.Parts().Count);
        await Assert.ThrowsAsync<ArgumentException>(() => _sim.Client(SeedreamGateway.EvoLink).CreateTaskAsync(request));
        Assert.Equal(0, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task EvoLink_5_0_lite_takes_4K_an_output_format_web_search_and_priority_under_its_model_params()
    {
        var evo = _sim.Client(SeedreamGateway.EvoLink);
        var task = await evo.CreateTaskAsync(new SeedreamRequest { Prompt = "tomorrow's weather as a poster", Model = "5.0", Quality = "4K", Size = "9:21", OutputFormat = "png", WebSearch = true, PromptPriority = "standard" });
        Assert.NotEqual(SeedreamTaskStatus.Failed, task.Status);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task An_EvoLink_task_id_that_is_not_task_unified_is_refused_before_a_query_is_sent()
    {
        var e = await Assert.ThrowsAsync<SeedreamValidationException>(() => _sim.Client(SeedreamGateway.EvoLink).GetTaskAsync("cb6111cf-e89f-4978-b8e3-aa59c21cceff"));
        Assert.Contains("start with task-unified-", e.Message);
        Assert.Equal(0, _sim.Host.State.Count("evolink.query"));
    }

    [Fact]
    public async Task ModelArk_takes_a_HEIC_reference_read_from_its_header_and_EvoLink_refuses_to_upload_one()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("shot.heic"), TinyImages.Heif(4032, 3024));
        var header = ImageHeader.Read(folder.File("shot.heic"));
        Assert.Equal(("heic", 4032, 3024), (header.Format, header.Width, header.Height));

        var task = await _sim.Client(SeedreamGateway.ModelArk).CreateTaskAsync(new SeedreamRequest { Prompt = "p", ReferenceImages = { folder.File("shot.heic") } });
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);

        var e = Assert.Throws<SeedreamValidationException>(() => _sim.Client(SeedreamGateway.EvoLink).Validate(new SeedreamRequest { Prompt = "p", Model = "5.0-pro", ReferenceImages = { folder.File("shot.heic") } }));
        Assert.Contains("files API uploads only JPEG, PNG, GIF or WebP", e.Message);
        Assert.Equal(0, _sim.Host.State.Count("files.upload"));
    }

    [Fact]
    public async Task A_transparent_background_needs_one_reference_with_alpha_and_is_checked_before_sending()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("logo.png"), TinyImages.PngWithAlpha(640, 480));
        File.WriteAllBytes(folder.File("photo.jpg"), TinyImages.Jpeg(640, 480));
        var ark = _sim.Client(SeedreamGateway.ModelArk);

        var noAlpha = Assert.Throws<SeedreamValidationException>(() => ark.Validate(new SeedreamRequest { Prompt = "p", Model = "5.0-pro", Background = "transparent", ReferenceImages = { folder.File("photo.jpg") } }));
        Assert.Contains("has none (it does not cut a background out)", noAlpha.Message);
        Assert.Throws<SeedreamValidationException>(() => ark.Validate(new SeedreamRequest { Prompt = "p", Model = "4.0", Background = "transparent", ReferenceImages = { folder.File("logo.png") } }));
        Assert.Equal(0, _sim.Host.State.Count("modelark.create"));

        var task = await ark.CreateTaskAsync(new SeedreamRequest { Prompt = "the logo on glass", Model = "5.0-pro", Background = "transparent", ReferenceImages = { folder.File("logo.png") } });
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);
    }
}
