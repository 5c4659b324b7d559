using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The key stays secret everywhere; transport is HTTPS except loopback, hop by hop.</summary>
public class SecurityTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public SecurityTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromMilliseconds(100);
    }

    [Fact]
    public async Task A_whole_batch_with_failures_leaves_the_key_in_no_output_error_or_file()
    {
        string key = _sim.Host.State.Options.ApiKey;
        var captured = new List<string>();
        var trace = new List<string>();
        using var folder = new TempFolder();
        _sim.Host.State.AddFaults(new[]
        {
            new FaultRule { Target = "evolink.create", Kind = FaultKind.TaskFail, ErrorCode = "content_policy_violation" },
            new FaultRule { Target = "evolink.query", Kind = FaultKind.Status, Status = 503, RetryAfterSeconds = 0 },
            new FaultRule { Target = "image", Kind = FaultKind.Truncate },
            // A gateway that echoes the credential it was sent: the client must not repeat it.
            new FaultRule { Target = "linkmodel.create", Kind = FaultKind.Status, Status = 400, Message = "bad token: Bearer " + key },
        });
        foreach (var gateway in new[] { SeedreamGateway.EvoLink, SeedreamGateway.LinkModel })
        {
            var client = _sim.Client(gateway, trace: trace);
            var tasks = new List<SeedreamTask>();
            for (int i = 0; i < 3; i++)
            {
                try
                {
                    tasks.Add(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" + i }));
                }
                catch (SeedreamApiException e)
                {
                    captured.Add(e.ToString());
                }
            }
            await new TaskWatcher(_ => client).WatchAsync(tasks, TimeSpan.FromSeconds(20), e => captured.Add(e.Task + " " + e.Task.Error + " " + e.Error), CancellationToken.None);
            foreach (var image in tasks.SelectMany(t => t.Images))
            {
                try
                {
                    await EngineHelpers.SaveImageAsync(client, new SaveOptions { Folder = folder.Path }, tasks.First(t => t.Id == image.TaskId), image);
                }
                catch (SeedreamApiException e)
                {
                    captured.Add(e.ToString());
                }
            }
            captured.Add(client.Connection.ToString());
            captured.Add(System.Text.Json.JsonSerializer.Serialize(client.Connection.ApiKey));
        }
        var refused = await Assert.ThrowsAsync<SeedreamApiException>(() =>
            _sim.Client(SeedreamGateway.EvoLink, key: "the-wrong-key-123456", trace: trace).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        captured.Add(refused.ToString());

        Assert.Contains(captured, c => c.Contains("bad token: Bearer ***"));
        Assert.Contains(trace, t => t.StartsWith("POST ", StringComparison.Ordinal));
        // The debug lines carry bodies, the echoed credential among them, redacted like the rest.
        Assert.Contains(trace, t => t.StartsWith(SeedreamConnection.DebugTracePrefix + "response 400", StringComparison.Ordinal) && t.Contains("Bearer ***"));
        Assert.Contains(trace, t => t.StartsWith(SeedreamConnection.DebugTracePrefix + "request POST", StringComparison.Ordinal) && t.Contains("\"prompt\""));
        Assert.NotEmpty(Directory.GetFiles(folder.Path));
        foreach (var text in captured.Concat(trace))
        {
            Assert.DoesNotContain(key, text);
            Assert.DoesNotContain("the-wrong-key-123456", text);
        }
        foreach (var file in Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(key, File.ReadAllText(file));
        }
    }

    [Fact]
    public async Task A_redirect_to_plain_http_elsewhere_is_refused()
    {
        var (client, task) = await Finished();
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Redirect, Location = "http://cdn.example.com/steal.png" } });
        using var folder = new TempFolder();
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.DownloadAsync(task.Images[0], folder.File("a.png")));
        Assert.Contains("Refused a redirect", e.Message);
        Assert.Contains("http://cdn.example.com/steal.png", e.Message);
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task A_redirect_to_loopback_http_is_followed()
    {
        var (client, task) = await Finished();
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Redirect, Location = task.Images[0].Url.AbsoluteUri } });
        using var folder = new TempFolder();
        var saved = await client.DownloadAsync(task.Images[0], folder.File("a.png"));
        Assert.Equal("png", saved.Format);
        Assert.Equal(2, _sim.Host.State.Count("image"));
    }

    [Fact]
    public async Task A_create_is_never_redirected()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Redirect, Location = _sim.Host.EvoLinkUri + "v1/images/generations" } });
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.EvoLink).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(302, e.HttpStatus);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task An_upload_or_a_delete_is_never_redirected_only_a_GET_is()
    {
        // Followed as a GET, a redirected DELETE reads some page and passes for done, and a POST loses its body.
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("ref.png"), TinyImages.Png(640, 480));
        var trace = new List<string>();
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0, trace: trace, configure: c => c.FilesBaseUri = _sim.Host.FilesUri);
        var elsewhere = new Uri(_sim.Host.EvoLinkUri, "/_sim/batches").AbsoluteUri;
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "files.upload", Kind = FaultKind.Redirect, Location = elsewhere, Times = 1 } });
        var refused = await Assert.ThrowsAsync<SeedreamApiException>(() => client.UploadReferenceAsync(folder.File("ref.png")));
        Assert.Equal(302, refused.HttpStatus);

        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "files.delete", Kind = FaultKind.Redirect, Location = elsewhere, Times = 1 } });
        await client.DeleteUploadAsync("file-redirected");

        Assert.DoesNotContain(trace, l => l.StartsWith("GET " + elsewhere, StringComparison.Ordinal));
        Assert.Contains(trace, l => l.Contains("could not delete uploaded reference", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_query_redirected_to_another_host_goes_without_the_key_and_its_refusal_says_so()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        // The same simulator by another name: another host as far as credentials go.
        var elsewhere = new UriBuilder(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/" + task.Id)) { Host = "localhost" }.Uri;
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.query", Kind = FaultKind.Redirect, Location = elsewhere.AbsoluteUri, Times = 1 } });

        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.GetTaskAsync(task.Id));

        Assert.Equal(401, e.HttpStatus);
        Assert.Contains("redirected to http://localhost", e.Message);
        Assert.Contains("never sent the key", e.Message);
    }

    [Fact]
    public async Task Downloads_never_carry_the_key()
    {
        // Result URLs live on other hosts (CDNs): the bearer header is only for the API.
        var (client, task) = await Finished();
        using var folder = new TempFolder();
        await client.DownloadAsync(task.Images[0], folder.File("a.png"));
        Assert.Equal(1, _sim.Host.State.Count("image"));
        Assert.Equal(0, _sim.Host.State.Count("image.authorized"));
    }

    private async Task<(SeedreamClient Client, SeedreamTask Task)> Finished()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1280x720" }), TimeSpan.FromSeconds(10));
        return (client, task);
    }
}
