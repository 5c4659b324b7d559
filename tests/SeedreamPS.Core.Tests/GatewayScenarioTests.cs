using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Each gateway end to end over loopback HTTP: submit, wait, save real PNGs of the requested size.</summary>
public class GatewayScenarioTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public GatewayScenarioTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.0", "1280x720", null, 1280, 720)]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-4.5", "1:1", "2K", 2048, 2048)]
    [InlineData(SeedreamGateway.EvoLink, "doubao-seedream-5.0-lite", "2560x1440", null, 2560, 1440, "jpeg")]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.0", "1:1", "1K", 1024, 1024)]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.5", "1x1", "2K", 2048, 2048)]
    public async Task Submit_wait_and_save_png_of_the_requested_size(SeedreamGateway gateway, string model, string size, string quality, int width, int height, string format = "png")
    {
        var client = _sim.Client(gateway);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "a red fox, generate 2 different images", Model = model, Size = size, Quality = quality, Count = 2 });
        Assert.Equal(gateway, task.Gateway);
        Assert.False(task.IsFinished);
        Assert.Equal(model, task.Model);
        Assert.NotNull(task.Request);

        var seen = new List<SeedreamTaskStatus>();
        await client.WaitAsync(task, TimeSpan.FromSeconds(20), new Progress<SeedreamTask>(t => { lock (seen) seen.Add(t.Status); }));
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);
        Assert.Equal(100, task.Progress);
        Assert.Equal(2, task.Images.Count);
        Assert.All(task.Images, i => Assert.True(i.ExpiresAt > DateTimeOffset.UtcNow.AddHours(23)));

        using var folder = new TempFolder();
        foreach (var image in task.Images)
        {
            var saved = await client.DownloadAsync(image, folder.File($"{image.Index}.png"));
            // EvoLink 5.0-lite answers JPEG by default: the format is read from the bytes, not assumed from the gateway.
            Assert.Equal(format, saved.Format);
            Assert.Equal(saved.Path, image.Path);
            Assert.Equal((width, height), format == "png" ? Png.Size(saved.Path) : Jpeg.Size(saved.Path));
            Assert.Equal(new FileInfo(saved.Path).Length, saved.Length);
        }
        Assert.Equal(new[] { "0.png", "1.png" }, folder.Entries());
        Assert.Equal(1, _sim.Host.State.Count(gateway == SeedreamGateway.EvoLink ? "evolink.create" : "linkmodel.create"));
    }

    [Fact]
    public async Task EvoLink_reports_progress_rising_through_pending_and_processing()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromSeconds(1.5);
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        Assert.Equal(SeedreamTaskStatus.Pending, task.Status);
        Assert.Equal(2, task.EstimatedSeconds);
        var progress = new List<int>();
        var statuses = new List<SeedreamTaskStatus>();
        await client.WaitAsync(task, TimeSpan.FromSeconds(20), new SyncProgress(t => { progress.Add(t.Progress); statuses.Add(t.Status); }));
        Assert.Contains(SeedreamTaskStatus.Running, statuses);
        Assert.Equal(progress.OrderBy(p => p), progress);
        Assert.Contains(progress, p => p > 0 && p < 100);
        Assert.Equal(100, progress[^1]);
    }

    [Fact]
    public async Task Get_task_by_id_reads_the_current_state()
    {
        var client = _sim.Client(SeedreamGateway.LinkModel);
        var created = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "seedream-4.0" });
        var read = await client.GetTaskAsync(created.Id);
        Assert.Equal(created.Id, read.Id);
        Assert.Equal("seedream-4.0", read.Model);
    }

    [Fact]
    public async Task LinkModel_results_are_read_only_from_output_images_never_from_the_echoed_references()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var client = _sim.Client(SeedreamGateway.LinkModel);
        var refs = new List<string> { "https://example.com/my-own-reference-1.png", "https://example.com/my-own-reference-2.png" };
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "seedream-4.0", Count = 3, ReferenceImages = refs });
        await client.WaitAsync(task, TimeSpan.FromSeconds(10));
        Assert.Equal(3, task.Images.Count);
        Assert.DoesNotContain(task.Images, i => i.Url.AbsoluteUri.Contains("my-own-reference"));

        // The wire says so: images echoes the references, output_images holds the results, request_id at the top.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sim.Host.State.Options.ApiKey);
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(_sim.Host.LinkModelUri, "query/image-generation?task_id=" + task.Id)));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(refs, data.GetProperty("images").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, data.GetProperty("output_images").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.String, data.GetProperty("metadata").ValueKind);
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("request_id").GetString()));
    }

    [Fact]
    public async Task ModelArk_makes_the_official_3K_21_9_size_of_Seedream_5_0_lite()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var task = await _sim.Client(SeedreamGateway.ModelArk).CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "5.0", Size = "4704x2016" });
        Assert.Equal(SeedreamPS.Core.Tasks.SeedreamTaskStatus.Succeeded, task.Status);
        Assert.Single(task.Images);
    }

    [Fact]
    public async Task ModelArk_takes_PromptPriority_as_optimize_prompt_options_mode_with_each_model_s_values()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var ark = _sim.Client(SeedreamGateway.ModelArk);
        Assert.Equal(SeedreamPS.Core.Tasks.SeedreamTaskStatus.Succeeded, (await ark.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "4.0", PromptPriority = "fast" })).Status);
        Assert.Equal(SeedreamPS.Core.Tasks.SeedreamTaskStatus.Succeeded, (await ark.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "5.0", PromptPriority = "standard" })).Status);
        var e = Assert.Throws<SeedreamValidationException>(() => ark.Validate(new SeedreamRequest { Prompt = "p", Model = "4.5", PromptPriority = "fast" }));
        Assert.Contains("use standard", e.Message);
        Assert.Equal(2, _sim.Host.State.Count("modelark.create"));

        // The simulator refuses what the documents refuse, whoever sends it.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sim.Host.State.Options.ApiKey);
        var refused = await http.PostAsync(new Uri(_sim.Host.ModelArkUri, "images/generations"), new StringContent(
            "{\"model\":\"seedream-4-5-251128\",\"prompt\":\"p\",\"optimize_prompt_options\":{\"mode\":\"fast\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_ModelArk_batch_with_one_image_refused_saves_the_others_and_reports_the_refused_one()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        _sim.Host.State.AddFaults(new[] { new SeedreamPS.Simulator.FaultRule { Target = "modelark.create", Kind = SeedreamPS.Simulator.FaultKind.PartialFail } });
        using var folder = new TempFolder();
        var journal = new SeedreamPS.Core.Journal.TaskJournal(folder.File("journal.jsonl"));
        var events = await EngineHelpers.RunBatch(new SeedreamPS.Core.Batch.BatchOptions
        {
            Journal = journal,
            Clients = SeedreamPS.Core.Client.ClientSet.Of(_sim.Client(SeedreamGateway.ModelArk)),
            Save = new SeedreamPS.Core.Storage.SaveOptions { Folder = folder.File("out") },
        }, batch => batch.Submit(new SeedreamRequest { Prompt = "three variations", Count = 3 }, null, null, "row"));
        var created = Assert.Single(events, e => e.Kind == SeedreamPS.Core.Batch.BatchEventKind.Created).Task;
        Assert.Equal(SeedreamPS.Core.Tasks.SeedreamTaskStatus.Succeeded, created.Status);
        Assert.Equal(2, created.Images.Count);
        Assert.Equal(2, Assert.Single(created.FailedImages).Position);
        Assert.Equal(2, events.Count(e => e.Kind == SeedreamPS.Core.Batch.BatchEventKind.Saved));
        var failed = Assert.Single(events, e => e.Kind == SeedreamPS.Core.Batch.BatchEventKind.Failed);
        Assert.Equal("TaskFailed.OutputImageSensitiveContentDetected", ((SeedreamPS.Core.Errors.ISeedreamError)failed.Error).ErrorId);
        Assert.Contains("Image 2 of task", failed.Error.Message);
        Assert.Empty(journal.UnsavedTasks());
    }

    [Fact]
    public async Task ModelArk_takes_endpoint_ids_with_the_version_behind_them_and_Volcengine_ids_sent_as_given()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        _sim.Host.State.Options.ModelArkEndpoints["ep-20251201123456-abcde"] = "seedream-5-0-260128";
        var ark = _sim.Client(SeedreamGateway.ModelArk);

        // An endpoint with its version: 5.0-lite's limits (3K but not 1K, the official 21:9) and price apply.
        var v = ark.Validate(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde@5.0", Quality = "3K" });
        Assert.Equal(("ep-20251201123456-abcde", "seedream-5-0-260128"), (v.WireModel, v.Model.Id));
        var task = await ark.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde@5.0", Size = "4704x2016" });
        Assert.Equal(("seedream-5-0-260128", SeedreamPS.Core.Tasks.SeedreamTaskStatus.Succeeded), (task.Model, task.Status));
        Assert.Throws<SeedreamValidationException>(() => ark.Validate(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde@5.0", Quality = "1K" }));
        // Without the version: sent as given, checked only against what no version accepts, with a notice that says how
        // to get the full checks.
        var bare = ark.Validate(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde", Quality = "3K" });
        Assert.Equal("ep-20251201123456-abcde", bare.WireModel);
        Assert.Null(bare.EstimatedCostUsd);
        Assert.Contains("ep-20251201123456-abcde@5.0", bare.Notice);
        Assert.Contains("@5.0-pro", bare.Notice);
        Assert.Throws<SeedreamValidationException>(() => ark.Validate(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde", Size = "5000x5000" }));
        Assert.Throws<SeedreamValidationException>(() => ark.Validate(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde", ReferenceImages = Enumerable.Range(0, 15).Select(i => "https://x.example/" + i + ".png").ToList() }));
        Assert.Equal(SeedreamPS.Core.Tasks.SeedreamTaskStatus.Succeeded, (await ark.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde", Size = "4704x2016" })).Status);

        // Volcengine's id for 4.0, sent as given.
        var volc = ark.Validate(new SeedreamRequest { Prompt = "p", Model = "doubao-seedream-4-0-250828" });
        Assert.Equal(("doubao-seedream-4-0-250828", "seedream-4-0-250828"), (volc.WireModel, volc.Model.Id));
        // Volcengine's address takes only doubao- ids and BytePlus's only the others, so it goes to Volcengine's.
        var volcengine = new SeedreamPS.Core.Client.SeedreamClient(new SeedreamPS.Core.Http.SeedreamConnection(SeedreamGateway.ModelArk, new SeedreamPS.Core.Http.SeedreamApiKey(_sim.Host.State.Options.ApiKey), _sim.Host.VolcengineUri));
        Assert.Equal(SeedreamPS.Core.Tasks.SeedreamTaskStatus.Succeeded, (await volcengine.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "doubao-seedream-4-0-250828" })).Status);
        // Elsewhere these are no model names.
        Assert.Throws<SeedreamValidationException>(() => _sim.Client(SeedreamGateway.EvoLink).Validate(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde@5.0" }));
    }

    [Fact]
    public async Task ModelArk_refuses_past_its_images_per_minute_with_a_429_that_is_retried_and_never_held()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        _sim.Host.State.Options.ModelArkImagesPerMinute = 2;
        var ark = _sim.Client(SeedreamGateway.ModelArk, retries: 1);
        await ark.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Count = 2 });
        var e = await Assert.ThrowsAsync<SeedreamPS.Core.Http.SeedreamApiException>(() => ark.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal((429, "RateLimitExceeded.EndpointIPMExceeded"), (e.HttpStatus, e.ErrorCode));
        Assert.True(e.IsRetryable);
        Assert.False(e.OutcomeUnknown);
        // Retried once (a 429 made nothing), then reported.
        Assert.Equal(3, _sim.Host.State.Count("modelark.create"));
        Assert.Equal(1, _sim.Host.State.TaskCount);
    }

    [Fact]
    public async Task ModelArk_answers_an_unknown_model_with_a_404_of_type_NotFound()
    {
        var e = await Assert.ThrowsAsync<SeedreamPS.Core.Http.SeedreamApiException>(() =>
            _sim.Client(SeedreamGateway.ModelArk).CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-nothere@4.0" }));
        Assert.Equal((404, "NotFound", "InvalidEndpointOrModel.NotFound"), (e.HttpStatus, e.ErrorType, e.ErrorCode));
        Assert.False(e.OutcomeUnknown);
    }

    [Fact]
    public void ModelArk_regions_are_BytePlus_and_Volcengine_roots()
    {
        var regions = SeedreamPS.Core.Gateways.GatewayAdapters.For(SeedreamGateway.ModelArk).Capabilities.Regions;
        Assert.Equal("https://ark.cn-beijing.volces.com/api/v3/", regions["cn-beijing"].AbsoluteUri);
        Assert.Equal(SeedreamPS.Core.Gateways.GatewayAdapters.For(SeedreamGateway.ModelArk).DefaultBaseUri, regions["ap-southeast"]);
        Assert.Empty(SeedreamPS.Core.Gateways.GatewayAdapters.For(SeedreamGateway.EvoLink).Capabilities.Regions);
    }

    [Fact]
    public void LinkModel_task_ids_need_not_be_UUIDs()
    {
        var adapter = SeedreamPS.Core.Gateways.GatewayAdapters.For(SeedreamGateway.LinkModel);
        Assert.True(adapter.IsValidTaskId("aurora_xyz789"));
        Assert.True(adapter.IsValidTaskId("cb6111cf-e89f-4978-b8e3-aa59c21cceff"));
        Assert.False(adapter.IsValidTaskId("../../etc"));
        Assert.False(adapter.IsValidTaskId("a b"));
        Assert.False(adapter.IsValidTaskId(""));
    }

    [Fact]
    public async Task LinkModel_insufficient_balance_is_a_refusal_not_an_unknown_outcome()
    {
        _sim.Host.State.Options.Balance = 0m;
        var client = _sim.Client(SeedreamGateway.LinkModel);
        var e = await Assert.ThrowsAsync<SeedreamPS.Core.Http.SeedreamApiException>(() => client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Model = "seedream-4.0" }));
        Assert.Equal(500, e.HttpStatus);
        Assert.False(e.OutcomeUnknown);
        Assert.False(e.IsRetryable);
        Assert.Equal(1, _sim.Host.State.Count("linkmodel.create"));
    }

    [Fact]
    public async Task Refs_plus_images_over_15_make_15_minus_refs_on_the_gateway()
    {
        // The simulator follows the documents even where our client is stricter; send past the client's check.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sim.Host.State.Options.ApiKey);
        var refs = string.Join(",", Enumerable.Range(0, 10).Select(i => $"\"https://example.com/{i}.png\""));
        var response = await http.PostAsync(new Uri(_sim.Host.EvoLinkUri, "v1/images/generations"),
            new StringContent($"{{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"n\":8,\"image_urls\":[{refs}]}}", System.Text.Encoding.UTF8, "application/json"));
        var task = Gateways.CallbackBody.Parse(await response.Content.ReadAsStringAsync());
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var done = await _sim.Client(SeedreamGateway.EvoLink).WaitAsync(task, TimeSpan.FromSeconds(10));
        Assert.Equal(5, done.Images.Count);
    }

    private sealed class SyncProgress(Action<SeedreamTask> report) : IProgress<SeedreamTask>
    {
        public void Report(SeedreamTask value) => report(value);
    }
}
