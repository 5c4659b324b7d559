using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Retries as counted by the simulator: queries retry freely, a paid create only where no task can exist.</summary>
public class RetryTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public RetryTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
    }

    private void Fault(string target, FaultKind kind, int status = 500, int times = 1, int? retryAfter = null, bool afterHandling = false) =>
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = target, Kind = kind, Status = status, Times = times, RetryAfterSeconds = retryAfter, AfterHandling = afterHandling } });

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "evolink.create")]
    [InlineData(SeedreamGateway.LinkModel, "linkmodel.create")]
    public async Task Create_429_with_retry_after_is_retried_then_succeeds(SeedreamGateway gateway, string target)
    {
        Fault(target, FaultKind.Status, 429, retryAfter: 1);
        var trace = new List<string>();
        var task = await _sim.Client(gateway, trace: trace).CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        Assert.NotNull(task.Id);
        Assert.Equal(2, _sim.Host.State.Count(target));
        Assert.Equal(1, _sim.Host.State.TaskCount);
        // The wait honoured Retry-After (1 s) rather than the 20 ms backoff.
        Assert.Contains(trace, l => l.StartsWith("waiting 1.0 s, as its Retry-After asks (1.0 s), before retry 1 of 3 of a create", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Create_5xx_is_never_sent_twice(int status)
    {
        Fault("evolink.create", FaultKind.Status, status);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.EvoLink).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(status, e.HttpStatus);
        Assert.True(e.OutcomeUnknown);
        Assert.True(e.IsRetryable);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task Create_connection_lost_after_sending_is_not_retried()
    {
        Fault("evolink.create", FaultKind.Reset, afterHandling: true);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.EvoLink).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.True(e.OutcomeUnknown);
        Assert.Null(e.HttpStatus);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
        Assert.Equal(1, _sim.Host.State.TaskCount); // paid for, though the client never heard: the journal issue keeps it
    }

    [Fact]
    public async Task Create_timeout_is_not_retried()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 6000 } });
        var trace = new List<string>();
        var client = _sim.Client(SeedreamGateway.EvoLink, trace: trace, configure: c => c.Timeout = TimeSpan.FromSeconds(2));
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("did not answer", e.Message);
        // One attempt from the client's side; the server saw at most that one (a loaded machine may not have read it yet).
        Assert.Single(trace, l => l.StartsWith("POST ", StringComparison.Ordinal));
        Assert.DoesNotContain(trace, l => l.StartsWith("retry", StringComparison.Ordinal));
        Assert.InRange(_sim.Host.State.Count("evolink.create"), 0, 1);
    }

    [Fact]
    public async Task Create_malformed_answer_is_an_unknown_outcome_not_a_retry()
    {
        Fault("evolink.create", FaultKind.Malformed);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.EvoLink).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("cannot read", e.Message);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task Create_connection_refused_is_retried_because_nothing_was_sent()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var trace = new List<string>();
        var connection = new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k-123456"), new Uri($"http://127.0.0.1:{port}/evolink/"))
        {
            Retry = new RetryPolicy { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10) },
            Trace = l => { lock (trace) trace.Add(l); },
        };
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => new Client.SeedreamClient(connection).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.StartsWith("Could not connect to EvoLink", e.Message);
        Assert.False(e.OutcomeUnknown);
        Assert.Equal(2, trace.Count(l => l.StartsWith("waiting ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(FaultKind.Status, 429)]
    [InlineData(FaultKind.Status, 502)]
    [InlineData(FaultKind.Status, 503)]
    [InlineData(FaultKind.Status, 504)]
    [InlineData(FaultKind.Reset, 0)]
    [InlineData(FaultKind.Malformed, 0)]
    public async Task Queries_are_retried_through_transient_faults(FaultKind kind, int status)
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        // Retry-After 0: without it the simulated EvoLink suggests "retry after 60 seconds", which the client honours.
        Fault("evolink.query", kind, status, times: 2, retryAfter: 0);
        var read = await client.GetTaskAsync(task.Id);
        Assert.Equal(task.Id, read.Id);
        Assert.Equal(3, _sim.Host.State.Count("evolink.query"));
    }

    [Fact]
    public async Task Retries_give_up_after_the_maximum()
    {
        var client = _sim.Client(SeedreamGateway.LinkModel, retries: 2);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        Fault("linkmodel.query", FaultKind.Status, 503, times: 0);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.GetTaskAsync(task.Id));
        Assert.Equal(503, e.HttpStatus);
        Assert.True(e.IsRetryable);
        Assert.Equal(3, _sim.Host.State.Count("linkmodel.query"));
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_cap_is_reported_not_waited()
    {
        Fault("evolink.create", FaultKind.Status, 429, retryAfter: 3600);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.EvoLink).CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(TimeSpan.FromHours(1), e.RetryAfter);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public void Backoff_doubles_with_jitter_and_honours_retry_after()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) };
        for (int i = 0; i < 50; i++)
        {
            var first = policy.DelayFor(1, null);
            Assert.InRange(first.TotalMilliseconds, 500, 1000);
            var third = policy.DelayFor(3, null);
            Assert.InRange(third.TotalMilliseconds, 2000, 4000);
            Assert.InRange(policy.DelayFor(20, null).TotalSeconds, 15, 30);
            Assert.Equal(TimeSpan.FromSeconds(45), policy.DelayFor(1, TimeSpan.FromSeconds(45)));
        }
    }
}
