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

/// <summary>The engine under Wait-SeedreamTask and Save-SeedreamImage: one watcher for many tasks, and the pipeline pump.</summary>
public class BatchTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public BatchTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
    }

    [Fact]
    public async Task One_watcher_follows_tasks_of_both_gateways_to_the_end()
    {
        // Long enough that ten creates in a row, on a loaded machine, leave the tasks still running for the first poll.
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromSeconds(2);
        var evo = _sim.Client(SeedreamGateway.EvoLink);
        var link = _sim.Client(SeedreamGateway.LinkModel);
        var tasks = new List<SeedreamTask>();
        for (int i = 0; i < 5; i++) tasks.Add(await evo.CreateTaskAsync(new SeedreamRequest { Prompt = "p" + i }));
        for (int i = 0; i < 5; i++) tasks.Add(await link.CreateTaskAsync(new SeedreamRequest { Prompt = "p" + i }));
        var events = new List<TaskEvent>();
        evo.PollSchedule = link.PollSchedule = PollSchedule.Every(TimeSpan.FromMilliseconds(100));
        var watcher = new TaskWatcher(t => t.Gateway == SeedreamGateway.EvoLink ? evo : link);
        await watcher.WatchAsync(tasks, TimeSpan.FromSeconds(30), events.Add, CancellationToken.None);
        Assert.Equal(10, events.Count(e => e.Kind == TaskEventKind.Finished));
        Assert.All(tasks, t => Assert.Equal(SeedreamTaskStatus.Succeeded, t.Status));
        Assert.Contains(events, e => e.Kind == TaskEventKind.Progress);
        // 2 s of generation polled every 100 ms: at most about twenty queries per task, not a busy loop.
        Assert.InRange(_sim.Host.State.Count("evolink.query"), 5, 5 * 25);
    }

    [Fact]
    public async Task Tasks_added_while_watching_are_reported_as_they_finish()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var watcher = new TaskWatcher(_ => client);
        var finished = new List<(string Id, DateTime At)>();
        var run = watcher.RunAsync(TimeSpan.FromSeconds(30), e => { if (e.Kind == TaskEventKind.Finished) lock (finished) finished.Add((e.Task.Id, DateTime.UtcNow)); }, CancellationToken.None);
        var first = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "first" });
        watcher.Add(first);
        // The first task is reported before the second is even created: results stream.
        for (int i = 0; i < 200 && finished.Count == 0; i++) await Task.Delay(20);
        Assert.Single(finished);
        Assert.False(run.IsCompleted);
        var second = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "second" });
        watcher.Add(second);
        watcher.Complete();
        await run;
        Assert.Equal(new[] { first.Id, second.Id }, finished.Select(f => f.Id));
    }

    [Fact]
    public async Task The_batch_keeps_at_most_its_throttle_of_creates_in_flight_and_says_when_it_has_room()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 150, Times = 12 } });
        int created = 0, submitted = 0, peak = 0;
        var batch = new ImageBatch(new BatchOptions { Journal = EngineHelpers.ScratchJournal(), Clients = ClientSet.Of(_sim.Client(SeedreamGateway.EvoLink)), ThrottleLimit = 3 },
            e => { if (e.Kind == BatchEventKind.Created) Interlocked.Increment(ref created); });
        for (int i = 0; i < 12; i++)
        {
            // What the cmdlets do between records: write output while the batch has no room.
            while (!batch.HasCapacity) await Task.Delay(5);
            Assert.Equal(SubmitOutcome.Accepted, batch.Submit(new SeedreamRequest { Prompt = "p" + i }, null, null, i));
            submitted++;
            peak = Math.Max(peak, submitted - Volatile.Read(ref created));
        }
        batch.Complete();
        await batch.Completion;
        Assert.Equal(12, created);
        Assert.InRange(peak, 1, 3);
    }

    [Fact]
    public async Task Already_finished_tasks_are_reported_without_a_query()
    {
        var task = new SeedreamTask { Id = "task-unified-1-done", Status = SeedreamTaskStatus.Succeeded };
        var events = new List<TaskEvent>();
        await new TaskWatcher(_ => _sim.Client(SeedreamGateway.EvoLink)).WatchAsync(new[] { task }, null, events.Add, CancellationToken.None);
        Assert.Equal(TaskEventKind.Finished, Assert.Single(events).Kind);
        Assert.Equal(0, _sim.Host.State.Count("evolink.query"));
    }

    [Fact]
    public async Task Timeouts_and_unreadable_tasks_are_reported_per_task()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.NeverFinish } });
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0);
        var stuck = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        var unknown = new SeedreamTask { Id = "task-unified-1-gone", Gateway = SeedreamGateway.EvoLink, Status = SeedreamTaskStatus.Running };
        var events = new List<TaskEvent>();
        var watcher = new TaskWatcher(_ => client);
        // Long enough for the unknown task's query to be answered even on a loaded machine.
        await watcher.WatchAsync(new[] { stuck, unknown }, TimeSpan.FromSeconds(3), events.Add, CancellationToken.None);
        Assert.Contains(events, e => e.Kind == TaskEventKind.QueryFailed && e.Task == unknown && e.Error.Message.Contains("not found"));
        var timedOut = Assert.Single(events, e => e.Kind == TaskEventKind.TimedOut);
        Assert.Same(stuck, timedOut.Task);
        Assert.IsType<TimeoutException>(timedOut.Error);
    }

    [Fact]
    public async Task Watching_stops_promptly_when_cancelled()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.NeverFinish } });
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        using var cts = new CancellationTokenSource(200);
        client.PollSchedule = PollSchedule.Every(TimeSpan.FromMinutes(10));
        var watcher = new TaskWatcher(_ => client);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watcher.WatchAsync(new[] { task }, null, _ => { }, cts.Token));
    }

    [Fact]
    public void Pump_runs_posted_actions_on_the_calling_thread()
    {
        using var pump = new ActionPump();
        int owner = Environment.CurrentManagedThreadId;
        var ran = new List<int>();
        int result = pump.Run(async token =>
        {
            for (int i = 0; i < 20; i++)
            {
                await Task.Delay(1, token);
                pump.Post(() => ran.Add(Environment.CurrentManagedThreadId));
            }
            return 42;
        }, CancellationToken.None);
        Assert.Equal(42, result);
        Assert.Equal(20, ran.Count);
        Assert.All(ran, id => Assert.Equal(owner, id));
    }

    [Fact]
    public void Pump_rethrows_the_work_failure_after_draining()
    {
        using var pump = new ActionPump();
        bool drained = false;
        var e = Assert.Throws<InvalidOperationException>(() => pump.Run<int>(async _ =>
        {
            await Task.Yield();
            pump.Post(() => drained = true);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));
        Assert.Equal("boom", e.Message);
        Assert.True(drained);
    }

    [Fact]
    public async Task Saver_names_files_from_context_and_honours_existing_files()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Count = 2 }), TimeSpan.FromSeconds(10));
        task.Context["Name"] = "hero";
        using var folder = new TempFolder();

        var options = new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}-{Index}.png" };
        var first = await EngineHelpers.SaveImageAsync(client, options, task, task.Images[0]);
        Assert.Equal(folder.File("hero-0.png"), first.Path);
        Assert.False(first.Skipped);
        var exists = await Assert.ThrowsAsync<SeedreamPS.Core.Errors.SeedreamException>(() => EngineHelpers.SaveImageAsync(client, options, task, task.Images[0]));
        Assert.Equal("FileExists", exists.ErrorId);

        var skipping = new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}-{Index}.png", ExistingFile = ExistingFileAction.Skip };
        int before = _sim.Host.State.Count("image");
        Assert.True((await EngineHelpers.SaveImageAsync(client, skipping, task, task.Images[0])).Skipped);
        Assert.Equal(before, _sim.Host.State.Count("image"));
        Assert.False((await EngineHelpers.SaveImageAsync(client, skipping, task, task.Images[1])).Skipped);
        Assert.Equal(new[] { "hero-0.png", "hero-1.png" }, folder.Entries());
    }

    [Fact]
    public async Task Result_urls_download_without_any_key()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }), TimeSpan.FromSeconds(10));
        using var folder = new TempFolder();
        var downloader = SeedreamDownloader.WithoutConnection(TimeSpan.FromSeconds(10), 1);
        var result = await downloader.DownloadAsync(task.Images[0], folder.File("a.png"));
        Assert.Equal("png", result.Format);
        Assert.Equal(0, _sim.Host.State.Count("image.authorized"));

        // It belongs to no gateway, so its errors do not pretend to come from one.
        var missing = new SeedreamImage(task.Id, 0, new Uri(task.Images[0].Url.AbsoluteUri.Replace(task.Id!, "task-that-never-was")), null);
        var error = await Assert.ThrowsAsync<SeedreamApiException>(() => downloader.DownloadAsync(missing, folder.File("b.png")));
        Assert.Null(error.Gateway);
        Assert.Equal(403, error.HttpStatus); // the signature does not match the changed path
        Assert.DoesNotContain("EvoLink", error.Message);
    }

    [Theory]
    [InlineData(null, "doubao-seedream-4.0", true)]
    [InlineData(SeedreamGateway.LinkModel, "seedream-4.5", true)]
    [InlineData(SeedreamGateway.LinkModel, "doubao-seedream-4.0", false)]
    public void Model_completion_follows_the_gateway(SeedreamGateway? gateway, string model, bool offered) =>
        Assert.Equal(offered, Completion.Models(gateway, "").Contains(model));

    [Fact]
    public void Size_completion_filters_by_prefix_and_gateway()
    {
        Assert.Equal(new[] { "16:9" }, Completion.Sizes(SeedreamGateway.EvoLink, "16"));
        Assert.DoesNotContain("auto", Completion.Sizes(SeedreamGateway.LinkModel, ""));
        Assert.Contains("4:5", Completion.Sizes(null, "4"));
    }
}
