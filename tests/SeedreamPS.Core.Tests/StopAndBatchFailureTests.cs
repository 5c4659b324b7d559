using System.Net;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>A stop while creates are in flight, and failures that belong to the whole batch.</summary>
public class StopAndBatchFailureTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public StopAndBatchFailureTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    // Until the simulator has received that many creates (they are in flight from then on).
    private async Task SentAsync(int creates)
    {
        for (int i = 0; i < 1000 && _sim.Host.State.Count("evolink.create") < creates; i++) await Task.Delay(5);
    }

    private static SeedreamRequest Row(int i) => new() { Prompt = "stopped row " + i };

    private static Dictionary<string, object> Record(int i) => new(StringComparer.OrdinalIgnoreCase) { ["Name"] = "row" + i };

    [Fact]
    public async Task A_stop_gives_the_creates_in_flight_their_answer_journals_them_sends_nothing_new_and_a_resume_reuses_them()
    {
        // Answers that take a moment, as a real gateway's do: the stop comes while all three are in flight.
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 400, Times = 3 } });
        var journal = EngineHelpers.ScratchJournal();
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var events = new List<BatchEvent>();
        var batch = new ImageBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client) }, e => { lock (events) events.Add(e); });
        for (int i = 0; i < 3; i++) Assert.Equal(SubmitOutcome.Accepted, batch.Submit(Row(i), null, Record(i), i));
        await SentAsync(3);

        // What PowerShell does when the pipeline stops (a terminating error, -ErrorAction Stop, break): it disposes the command.
        Assert.True(batch.Stop());
        Assert.Equal(SubmitOutcome.NotSent, batch.Submit(Row(3), null, Record(3), 3));
        Assert.Equal(3, _sim.Host.State.Count("evolink.create"));

        // A rerun with -Resume reuses all three: nothing is held as unknown, nothing is created again.
        var rerun = await EngineHelpers.RunBatch(new BatchOptions { Journal = new SeedreamPS.Core.Journal.TaskJournal(journal.Path), Clients = ClientSet.Of(client), Resume = true },
            b => { for (int i = 0; i < 3; i++) b.Submit(Row(i), null, Record(i), i); });
        Assert.Equal(3, rerun.Count(e => e.Kind == BatchEventKind.Reused));
        Assert.DoesNotContain(rerun, e => e.Kind == BatchEventKind.Held);
        Assert.Equal(3, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task Ctrl_C_does_not_cut_off_creates_already_sent()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 400, Times = 2 } });
        var journal = EngineHelpers.ScratchJournal();
        var client = _sim.Client(SeedreamGateway.EvoLink);
        using var ctrlC = new CancellationTokenSource();
        var batch = new ImageBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client) }, _ => { }, ctrlC.Token);
        for (int i = 0; i < 2; i++) batch.Submit(Row(i), null, Record(i), i);
        await SentAsync(2);
        ctrlC.Cancel();
        Assert.True(batch.Stop());

        var rerun = await EngineHelpers.RunBatch(new BatchOptions { Journal = new SeedreamPS.Core.Journal.TaskJournal(journal.Path), Clients = ClientSet.Of(client), Resume = true },
            b => { for (int i = 0; i < 2; i++) b.Submit(Row(i), null, Record(i), i); });
        Assert.Equal(2, rerun.Count(e => e.Kind == BatchEventKind.Reused));
        Assert.Equal(2, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task A_create_whose_answer_never_comes_is_held_as_unknown_after_the_grace_period()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 60_000, Times = 1 } });
        var journal = EngineHelpers.ScratchJournal();
        var client = _sim.Client(SeedreamGateway.EvoLink, configure: c => c.Timeout = TimeSpan.FromMinutes(2));
        var batch = new ImageBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client) }, _ => { });
        batch.Submit(Row(0), null, Record(0), 0);
        await SentAsync(1);
        batch.Stop();
        var rerun = await EngineHelpers.RunBatch(new BatchOptions { Journal = new SeedreamPS.Core.Journal.TaskJournal(journal.Path), Clients = ClientSet.Of(client), Resume = true },
            b => b.Submit(Row(0), null, Record(0), 0));
        Assert.Equal(BatchEventKind.Held, Assert.Single(rerun).Kind);
    }

    [Fact]
    public async Task A_second_Ctrl_C_ends_the_grace_period_at_once_and_the_create_is_held_as_unknown()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 60_000, Times = 1 } });
        var journal = EngineHelpers.ScratchJournal();
        var client = _sim.Client(SeedreamGateway.EvoLink, configure: c => c.Timeout = TimeSpan.FromMinutes(10));
        using var ctrlC = new CancellationTokenSource();
        // A grace period no test would wait out: only the second Ctrl+C can end this Stop.
        var batch = new ImageBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client), StopGrace = TimeSpan.FromMinutes(10) }, _ => { }, ctrlC.Token);
        batch.Submit(Row(0), null, Record(0), 0);
        await SentAsync(1);
        ctrlC.Cancel();
        using var second = new CancellationTokenSource();
        second.Cancel();
        Assert.True(batch.Stop(second.Token));
        var rerun = await EngineHelpers.RunBatch(new BatchOptions { Journal = new SeedreamPS.Core.Journal.TaskJournal(journal.Path), Clients = ClientSet.Of(client), Resume = true },
            b => b.Submit(Row(0), null, Record(0), 0));
        Assert.Equal(BatchEventKind.Held, Assert.Single(rerun).Kind);
    }

    public static IEnumerable<object[]> BatchWideFailures() => new[]
    {
        new object[] { "401: the key is refused", (Action<SimulatorFixture, SeedreamClient>)((sim, client) => { }), "wrong-key" },
        new object[] { "402: no balance", (Action<SimulatorFixture, SeedreamClient>)((sim, client) => sim.Host.State.Options.Balance = 0m), null },
    };

    [Theory]
    [MemberData(nameof(BatchWideFailures))]
    public async Task A_failure_of_the_whole_batch_stops_sending_and_is_one_error_that_counts_the_records_not_sent(string why, Action<SimulatorFixture, SeedreamClient> arrange, string key)
    {
        var client = _sim.Client(SeedreamGateway.EvoLink, key: key);
        arrange(_sim, client);
        var batch = new ImageBatch(new BatchOptions { Journal = EngineHelpers.ScratchJournal(), Clients = ClientSet.Of(client), ThrottleLimit = 2 }, e => { lock (this) _events.Add(e); });
        for (int i = 0; i < 20; i++)
        {
            while (!batch.HasCapacity) await Task.Delay(5);
            batch.Submit(Row(i), null, Record(i), i);
        }
        batch.Complete();
        await batch.Completion;
        Assert.True(_events.All(e => e.Error == null), why + ": " + string.Join(" | ", _events.Select(e => e.Error?.Message)));
        var failure = batch.BatchFailure;
        Assert.NotNull(failure);
        Assert.StartsWith("Api.", failure.ErrorId);
        Assert.NotNull(failure.RecordsNotSent);
        Assert.Contains("20 record(s) were not sent", failure.Message);
        Assert.Contains("-Resume", failure.Message);
        Assert.InRange(_sim.Host.State.Count("evolink.create"), 1, 2);
    }

    private readonly List<BatchEvent> _events = new();

    [Fact]
    public async Task An_unreachable_API_host_stops_the_batch_with_one_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var connection = new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k"), new Uri("http://127.0.0.1:" + port + "/evolink"))
        {
            Retry = new RetryPolicy { MaxRetries = 0 },
        };
        var client = new SeedreamClient(connection);
        var events = new List<BatchEvent>();
        var batch = new ImageBatch(new BatchOptions { Journal = EngineHelpers.ScratchJournal(), Clients = ClientSet.Of(client), ThrottleLimit = 1 }, e => { lock (events) events.Add(e); });
        for (int i = 0; i < 5; i++)
        {
            while (!batch.HasCapacity) await Task.Delay(5);
            batch.Submit(Row(i), null, Record(i), i);
        }
        batch.Complete();
        await batch.Completion;
        Assert.Empty(events);
        Assert.Contains("5 record(s) were not sent", batch.BatchFailure.Message);
        Assert.Contains("Could not connect", batch.BatchFailure.Message);
    }

    private sealed class NoSuchHost : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new HttpRequestException("No such host is known. (api.evolink.invalid:443)", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        }
    }

    [Fact]
    public async Task A_name_of_the_API_host_that_does_not_resolve_stops_the_batch_with_one_error()
    {
        var handler = new NoSuchHost();
        var client = new SeedreamClient(new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k"), new Uri("https://api.evolink.invalid/")) { Handler = handler, Retry = new RetryPolicy { MaxRetries = 0 } });
        var events = new List<BatchEvent>();
        var batch = new ImageBatch(new BatchOptions { Journal = EngineHelpers.ScratchJournal(), Clients = ClientSet.Of(client), ThrottleLimit = 1 }, e => { lock (events) events.Add(e); });
        for (int i = 0; i < 4; i++)
        {
            while (!batch.HasCapacity) await Task.Delay(5);
            batch.Submit(Row(i), null, Record(i), i);
        }
        batch.Complete();
        await batch.Completion;
        Assert.Empty(events);
        Assert.Equal(1, handler.Calls);
        Assert.Contains("4 record(s) were not sent", batch.BatchFailure.Message);
        Assert.NotNull(batch.BatchFailure.RecordsNotSent);
    }

    [Fact]
    public async Task A_refusal_of_one_record_stays_that_records_error()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Status, Status = 400, Times = 1 } });
        var events = await EngineHelpers.RunBatch(new BatchOptions { Clients = ClientSet.Of(_sim.Client(SeedreamGateway.EvoLink)), ThrottleLimit = 1 },
            b => { for (int i = 0; i < 3; i++) b.Submit(Row(i), null, Record(i), i); });
        Assert.Single(events, e => e.Kind == BatchEventKind.Refused);
        Assert.Equal(2, events.Count(e => e.Kind == BatchEventKind.Created));
    }

    [Fact]
    public void The_batch_wide_failures_are_told_from_the_refusals_of_one_record()
    {
        Assert.True(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.EvoLink, "no") { HttpStatus = 401 }));
        Assert.True(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.EvoLink, "no") { HttpStatus = 402 }));
        Assert.True(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.ModelArk, "no") { HttpStatus = 403, ErrorCode = "AccountOverdueError" }));
        Assert.True(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.LinkModel, "no") { HttpStatus = 500, ErrorType = "insufficient_balance" }));
        Assert.False(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.ModelArk, "no") { HttpStatus = 400, ErrorCode = "OutputImageSensitiveContentDetected" }));
        Assert.False(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.EvoLink, "no") { HttpStatus = 403, ErrorCode = "model_access_denied" }));
        Assert.False(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.EvoLink, "no") { HttpStatus = 400 }));
        // No connection: to the API host every record fails; to the files API only those with local references do.
        Assert.True(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.EvoLink, "no") { NotSent = true, FromApiHost = true }));
        Assert.False(ImageBatch.AffectsEveryRecord(new SeedreamPS.Core.Http.SeedreamApiException(SeedreamGateway.EvoLink, "no") { NotSent = true, FromApiHost = false }));
    }

    [Fact]
    public void An_unwritable_target_folder_is_found_before_anything_is_sent()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a-file"), "not a folder");
        var error = Assert.Throws<SeedreamException>(() => new ImageBatch(new BatchOptions
        {
            Journal = EngineHelpers.ScratchJournal(),
            Clients = ClientSet.Of(_sim.Client(SeedreamGateway.EvoLink)),
            Save = new SaveOptions { Folder = Path.Combine(folder.File("a-file"), "out") },
        }, _ => { }));
        Assert.Contains("cannot be created or written", error.Message);
        Assert.Equal(0, _sim.Host.State.Count("evolink.create"));
    }
}
