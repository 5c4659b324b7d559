using System.Net;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Nothing paid for is lost in the scripts people really write: two images never share one file name.</summary>
public class NothingLostTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public NothingLostTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private async Task<SeedreamTask> Finished(SeedreamClient client, string prompt, string name = "hero", int count = 1)
    {
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = prompt, Count = count }), TimeSpan.FromSeconds(10));
        task.Context["Name"] = name;
        return task;
    }

    [Fact]
    public async Task Two_images_of_one_batch_never_share_a_name_the_second_is_an_error_naming_both_and_stays_unsaved()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        var tasks = new List<SeedreamTask>();
        for (int i = 0; i < 3; i++)
        {
            var task = await Finished(client, "dup name row " + i);
            await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f" + i, "r", 0), task);
            tasks.Add(task);
        }
        using var folder = new TempFolder();
        var events = await EngineHelpers.RunBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client), Save = new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}-{Index}{Ext}" } },
            b => { foreach (var t in tasks) b.Add(t); });

        var saved = Assert.Single(events, e => e.Kind == BatchEventKind.Saved);
        var collisions = events.Where(e => e.Error != null).ToList();
        Assert.Equal(2, collisions.Count);
        Assert.All(collisions, e => Assert.Equal(ErrorIds.FileNameCollision, ((ISeedreamError)e.Error).ErrorId));
        foreach (var e in collisions)
        {
            Assert.Contains(saved.Task.Id, e.Error.Message);
            Assert.Contains(e.Task.Id, e.Error.Message);
            Assert.Contains("{Name}-{Index}-{TaskId}{Ext}", e.Error.Message);
            Assert.Contains("Get-SeedreamTask -Unsaved", e.Error.Message);
        }
        Assert.Equal(new[] { "hero-0.png" }, folder.Entries());
        Assert.Equal(collisions.Select(e => e.Task.Id).OrderBy(x => x), journal.UnsavedTasks().Select(t => t.Id).OrderBy(x => x));
    }

    [Fact]
    public async Task NoClobber_keeps_a_file_but_never_passes_off_another_images_file_as_saved()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        using var folder = new TempFolder();
        var first = await Finished(client, "first");
        await EngineHelpers.SaveTaskAsync(client, new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}{Ext}" }, first, journal);
        var second = await Finished(client, "second");
        await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f", "r", 0), second);

        var error = await Assert.ThrowsAsync<SeedreamException>(() => EngineHelpers.SaveTaskAsync(client,
            new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}{Ext}", ExistingFile = ExistingFileAction.Skip }, second, journal));
        Assert.Equal(ErrorIds.FileNameCollision, error.ErrorId);
        Assert.Contains(first.Id, error.Message);
        Assert.Contains(second.Id, error.Message);
        Assert.Equal(second.Id, Assert.Single(journal.UnsavedTasks()).Id);
    }

    [Fact]
    public async Task Force_replaces_the_file_and_the_journal_no_longer_counts_the_replaced_image_as_saved()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        using var folder = new TempFolder();
        var first = await Finished(client, "first");
        await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f1", "r", 0), first);
        await EngineHelpers.SaveTaskAsync(client, new SaveOptions { Folder = folder.Path, FileNameTemplate = "same{Ext}" }, first, journal);
        var second = await Finished(client, "second");
        await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f2", "r", 0), second);
        await EngineHelpers.SaveTaskAsync(client, new SaveOptions { Folder = folder.Path, FileNameTemplate = "same{Ext}", ExistingFile = ExistingFileAction.Overwrite }, second, journal);

        Assert.Equal(new[] { "same.png" }, folder.Entries());
        Assert.Equal(first.Id, Assert.Single(journal.UnsavedTasks()).Id);
        // A fresh read of the file agrees with the live state.
        Assert.Equal(first.Id, Assert.Single(journal.Load().Unsaved).Id);
    }

    [Fact]
    public async Task A_name_another_download_holds_is_refused_and_a_placeholder_left_by_a_dead_download_is_taken_over()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await Finished(client, "claims");
        using var folder = new TempFolder();
        string target = folder.File("a.png");

        // Another download (here, or in another process) holds the name: its placeholder is locked.
        using (var held = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await Assert.ThrowsAsync<SeedreamPS.Core.Errors.FileExistsException>(() => client.DownloadAsync(task.Images[0], target));
            Assert.Equal(0, new FileInfo(target).Length);
        }

        // A process killed mid-download left its empty placeholder and its temporary file: the next save takes both over.
        File.WriteAllBytes(folder.File(".a.png.0123456789ab.partial"), new byte[10]);
        var result = await client.DownloadAsync(task.Images[0], target);
        Assert.True(result.Length > 0);
        Assert.Equal(new[] { "a.png" }, folder.Entries());
    }

    [Fact]
    public async Task A_failed_download_gives_its_name_back_and_leaves_nothing()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0);
        var task = await Finished(client, "fails");
        using var folder = new TempFolder();
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Truncate, Times = 5 } });
        await Assert.ThrowsAnyAsync<Exception>(() => client.DownloadAsync(task.Images[0], folder.File("a.png")));
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void Shortening_a_long_name_cuts_the_values_from_data_and_keeps_the_templates_text_and_index()
    {
        var task = new SeedreamTask { Id = "task-1", Gateway = SeedreamGateway.EvoLink, Request = new SeedreamRequest { Prompt = "p" } };
        task.Context["Name"] = new string('n', 300);
        task.Context["Title"] = new string('t', 120);
        string folder = Path.Combine(Path.GetTempPath(), "seedream-long");
        string Name(int index) => Path.GetFileName(FileNameTemplate.Resolve(folder, "{Name}_{Title}-v{Index:00}{Ext}", task, new SeedreamImage("task-1", index, new Uri("https://cdn.example.com/r.png"), null)));
        string first = Name(0), second = Name(1);
        Assert.NotEqual(first, second);
        Assert.EndsWith("-v00.png", first);
        Assert.EndsWith("-v01.png", second);
        Assert.Contains("_t", first);
        Assert.True(first.Length <= FileNameTemplate.MaxSegmentLength, first.Length.ToString());
        // The longest value gives way first.
        Assert.StartsWith(new string('n', 50), first);
    }

    [Theory]
    [InlineData("{Name}-{Index}{Ext}", "{Name}-{Index}-{TaskId}{Ext}")]
    [InlineData("{Name}.png", "{Name}-{TaskId}.png")]
    [InlineData("{TaskId}.png", "{TaskId}-{Index}.png")]
    [InlineData("{Name}", "{Name}-{TaskId}")]
    public void A_collision_suggests_a_template_with_the_task_id(string template, string suggested) =>
        Assert.Equal(suggested, ImageBatch.SuggestedTemplate(template));
}

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
