using System.Net;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>One retry policy for every request the module makes: creates, queries, downloads, uploads and deletes.</summary>
public class OneRetryPolicyTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public OneRetryPolicyTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    [Fact]
    public async Task A_download_waits_as_the_image_hosts_Retry_After_asks_and_says_so()
    {
        var trace = new List<string>();
        var client = _sim.Client(SeedreamGateway.EvoLink, trace: trace);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }), TimeSpan.FromSeconds(10));
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Status, Status = 429, RetryAfterSeconds = 1, Times = 1 } });
        using var folder = new TempFolder();
        await client.DownloadAsync(task.Images[0], folder.File("a.png"));
        lock (trace) Assert.Contains(trace, line => line.Contains("waiting 1.0 s, as its Retry-After asks (1.0 s), before retry 1 of 3 of a download"));
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_and_as_an_HTTP_date()
    {
        using var seconds = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        seconds.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(4), HttpTransport.RetryAfterOf(seconds));
        using var date = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        date.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(8));
        Assert.InRange(HttpTransport.RetryAfterOf(date).Value.TotalSeconds, 5, 8);
        // A wait longer than the cap is not waited for: the error is reported instead.
        Assert.Equal(TimeSpan.FromMinutes(2), new RetryPolicy().MaxRetryAfter);
    }

    private sealed class Answers : HttpMessageHandler
    {
        private readonly Queue<HttpStatusCode> _statuses;
        public readonly List<string> Requests = new();

        public Answers(params HttpStatusCode[] statuses) => _statuses = new Queue<HttpStatusCode>(statuses);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add(request.Method + " " + request.RequestUri.AbsolutePath + (request.Headers.Authorization == null ? " (no key)" : ""));
            var response = new HttpResponseMessage(_statuses.Count > 0 ? _statuses.Dequeue() : HttpStatusCode.OK) { Content = new StringContent("{}") };
            if (response.StatusCode == HttpStatusCode.TooManyRequests) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return Task.FromResult(response);
        }
    }

    [Fact]
    public async Task Deleting_an_upload_goes_through_the_same_retries()
    {
        var answers = new Answers(HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var connection = new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k"), new Uri("https://api.example.com/"))
        {
            Handler = answers,
            Retry = new RetryPolicy { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        };
        await new SeedreamClient(connection).DeleteUploadAsync("file-1");
        Assert.Equal(3, answers.Requests.Count);
        Assert.All(answers.Requests, r => Assert.StartsWith("DELETE /api/v1/files/file-1", r));
        Assert.DoesNotContain(answers.Requests, r => r.EndsWith("(no key)"));
    }

    [Fact]
    public async Task Status_queries_that_keep_answering_429_end_in_an_error_that_says_the_task_is_kept_and_how_to_get_it()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 1);
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromSeconds(30);
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.query", Kind = FaultKind.Status, Status = 429, RetryAfterSeconds = 0, Times = 100 } });
        var events = await EngineHelpers.RunBatch(new BatchOptions { Clients = ClientSet.Of(client), Wait = true }, b => b.Submit(new SeedreamRequest { Prompt = "p" }, null, null, "row"));
        var failed = Assert.Single(events, e => e.Kind == BatchEventKind.Failed);
        Assert.Equal("Api.rate_limit_error", ((ISeedreamError)failed.Error).ErrorId);
        Assert.Contains("Task " + failed.Task.Id + " is kept", failed.Error.Message);
        Assert.Contains("Get-SeedreamTask -Unsaved", failed.Error.Message);
        Assert.Contains("-Resume", failed.Error.Message);
    }
}
