using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Nothing paid for is lost: the journal, resume without paying twice, unsaved listing, expiry, callbacks.</summary>
public class JournalTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public JournalTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private static readonly Dictionary<string, object> Row = new(StringComparer.OrdinalIgnoreCase) { ["Name"] = "hero", ["Prompt"] = "a lighthouse" };

    // One run of a batch through the engine: each request in order, the task (or the error) of each.
    private static async Task<List<SeedreamTask>> Run(TaskJournal journal, SeedreamClient client, bool resume, IEnumerable<(SeedreamRequest Request, IDictionary<string, object> Row)> items, bool retryUnknown = false)
    {
        var list = items.ToList();
        var targets = list.Select(_ => new object()).ToList();
        var events = await EngineHelpers.RunBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client), Resume = resume, RetryUnknown = retryUnknown, ThrottleLimit = 1 },
            batch =>
            {
                for (int i = 0; i < list.Count; i++) batch.Submit(list[i].Request, null, list[i].Row == null ? null : new Dictionary<string, object>(list[i].Row, StringComparer.OrdinalIgnoreCase), targets[i]);
            });
        var failure = events.FirstOrDefault(e => e.Error != null);
        if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure.Error).Throw();
        // Back in input order.
        return targets.Select(target => events.Single(e => ReferenceEquals(e.Target, target) && e.Task != null).Task).ToList();
    }

    private static async Task<SeedreamTask> Submit(TaskJournal journal, SeedreamClient client, bool resume, SeedreamRequest request, IDictionary<string, object> row, bool retryUnknown = false) =>
        (await Run(journal, client, resume, new[] { (request, row) }, retryUnknown)).Single();

    [Fact]
    public async Task A_created_task_is_in_the_journal_with_its_request_and_record_but_not_the_key()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await Submit(journal, client, false, new SeedreamRequest { Prompt = "a lighthouse", Count = 2 }, Row);
        var entry = journal.Load().Task(task.Id);
        Assert.NotNull(entry);
        Assert.Equal(SeedreamGateway.EvoLink, entry.Gateway);
        Assert.Equal("doubao-seedream-4.0", entry.Model);
        Assert.Equal("hero", entry.Context["Name"]);
        Assert.NotNull(entry.CreatedAt);
        string text = File.ReadAllText(journal.Path);
        Assert.Contains("\"type\":\"attempt\"", text);
        Assert.Contains("\"fingerprint\":", text);
        Assert.DoesNotContain(_sim.Host.State.Options.ApiKey, text);
    }

    [Fact]
    public async Task Resume_reuses_every_task_of_the_same_batch_and_pays_nothing_twice()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var rows = Enumerable.Range(0, 4).Select(i => new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase) { ["Name"] = "row" + i }).ToList();
        // Two identical rows stay two tasks, on the first run and on the resumed one.
        rows.Add(new Dictionary<string, object>(rows[0], StringComparer.OrdinalIgnoreCase));
        async Task<List<string>> RunAll(bool resume) =>
            (await Run(journal, client, resume, rows.Select(row => (new SeedreamRequest { Prompt = "same prompt" }, (IDictionary<string, object>)row)))).Select(t => t.Id).ToList();
        var first = await RunAll(resume: false);
        var resumed = await RunAll(resume: true);
        Assert.Equal(first, resumed);
        Assert.Equal(5, first.Distinct().Count());
        Assert.Equal(5, _sim.Host.State.TaskCount);
        Assert.Equal(5, _sim.Host.State.Count("evolink.create"));
        var fresh = await RunAll(resume: false);
        Assert.Equal(10, _sim.Host.State.TaskCount);
        Assert.Empty(fresh.Intersect(first));
    }

    [Fact]
    public async Task A_changed_request_or_row_is_not_taken_for_the_old_one()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var a = await Submit(journal, client, false, new SeedreamRequest { Prompt = "p", Size = "16:9" }, Row);
        var b = await Submit(journal, client, true, new SeedreamRequest { Prompt = "p", Size = "1:1" }, Row);
        var c = await Submit(journal, client, true, new SeedreamRequest { Prompt = "p", Size = "16:9" }, new Dictionary<string, object> { ["Name"] = "other" });
        Assert.Equal(3, new[] { a.Id, b.Id, c.Id }.Distinct().Count());
    }

    [Fact]
    public async Task An_unknown_outcome_is_held_on_resume_and_sent_again_only_when_asked()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var client = _sim.Client(SeedreamGateway.EvoLink);
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Reset, AfterHandling = true } });
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => Submit(journal, client, false, new SeedreamRequest { Prompt = "p" }, Row));
        Assert.True(e.OutcomeUnknown);
        Assert.Equal(1, _sim.Host.State.TaskCount); // the gateway made it; the client never heard

        var held = await Assert.ThrowsAsync<SeedreamException>(() => Submit(journal, client, true, new SeedreamRequest { Prompt = "p" }, Row));
        Assert.Contains("not paid for twice", held.Message);
        Assert.Equal(ErrorIds.OutcomeUnknown, held.ErrorId);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));

        await Submit(journal, client, true, new SeedreamRequest { Prompt = "p" }, Row, retryUnknown: true);
        Assert.Equal(2, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task A_refused_create_is_sent_again_on_resume()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        // A refusal of the record (a wrong key would stop the whole batch, and is journalled the same way).
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Status, Status = 400, Times = 1 } });
        await Assert.ThrowsAsync<SeedreamApiException>(() => Submit(journal, _sim.Client(SeedreamGateway.EvoLink), false, new SeedreamRequest { Prompt = "p" }, Row));
        var task = await Submit(journal, _sim.Client(SeedreamGateway.EvoLink), true, new SeedreamRequest { Prompt = "p" }, Row);
        Assert.NotNull(task.Id);
    }

    [Fact]
    public async Task Saved_files_are_recorded_and_not_fetched_again_and_unsaved_tasks_are_listed()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var one = await client.WaitAsync(await Submit(journal, client, false, new SeedreamRequest { Prompt = "one", Count = 2 }, Row), TimeSpan.FromSeconds(10));
        var two = await client.WaitAsync(await Submit(journal, client, false, new SeedreamRequest { Prompt = "two" }, new Dictionary<string, object> { ["Name"] = "b" }), TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { one.Id, two.Id }.OrderBy(i => i), journal.Load().Unsaved.Select(t => t.Id).OrderBy(i => i));
        Assert.Equal(new[] { one.Id, two.Id }.OrderBy(i => i), journal.UnsavedTasks().Select(t => t.Id).OrderBy(i => i));

        var options = new SaveOptions { Folder = folder.File("out"), FileNameTemplate = "{Name}-{Index}.png" };
        await EngineHelpers.SaveImageAsync(client, options, one, one.Images[0], journal);
        // One of two images saved: the task is still unsaved.
        Assert.Contains(journal.Load().Unsaved, t => t.Id == one.Id);

        int downloads = _sim.Host.State.Count("image");
        Assert.True((await EngineHelpers.SaveImageAsync(client, options, one, one.Images[0], journal)).Skipped);
        Assert.Equal(downloads, _sim.Host.State.Count("image"));
        // A different file written over it since is not taken for the saved one.
        File.WriteAllText(folder.File(Path.Combine("out", "hero-0.png")), "someone else's");
        var exists = await Assert.ThrowsAsync<SeedreamException>(() => EngineHelpers.SaveImageAsync(client, options, one, one.Images[0], journal));
        Assert.Equal(ErrorIds.FileExists, exists.ErrorId);
        await EngineHelpers.SaveImageAsync(client, options, one, one.Images[1], journal);
        await EngineHelpers.SaveImageAsync(client, options, two, two.Images[0], journal);
        Assert.Empty(journal.Load().Unsaved);
        Assert.Empty(journal.UnsavedTasks());
    }

    [Fact]
    public async Task An_expired_image_says_so_and_marks_its_task()
    {
        using var folder = new TempFolder();
        _sim.Host.State.Options.ImageLifetime = TimeSpan.FromSeconds(-5);
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.WaitAsync(await Submit(journal, client, false, new SeedreamRequest { Prompt = "p" }, Row), TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => EngineHelpers.SaveImageAsync(client, new SaveOptions { Folder = folder.File("out") }, task, task.Images[0], journal));
        Assert.Equal(DownloadErrorCodes.ImageExpired, e.ErrorCode);
        Assert.Contains("has expired", e.Message);
        Assert.True(journal.Load().Task(task.Id).MarkedExpired);
        Assert.Empty(journal.Load().Unsaved);
        Assert.False(Directory.Exists(folder.File("out")) && Directory.EnumerateFileSystemEntries(folder.File("out")).Any());
    }

    [Fact]
    public async Task Concurrent_writers_lose_no_record_and_a_torn_line_is_skipped()
    {
        using var folder = new TempFolder();
        var path = folder.File("journal.jsonl");
        // Separate journal objects, as two processes would have, writing at once.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var journal = new TaskJournal(path);
            for (int i = 0; i < 100; i++) await journal.RecordSavedAsync($"task-{w}", i, $"/out/{w}-{i}.png", 1000 + i);
        })));
        File.AppendAllText(path, "{\"v\":1,\"type\":\"saved\",\"id\":\"tor");
        var state = new TaskJournal(path).Load();
        Assert.Equal(1, state.TornLines);
        Assert.All(Enumerable.Range(0, 4), w => Assert.Equal(100, state.Task($"task-{w}").Saved.Count));
    }

    [Fact]
    public async Task Records_of_money_are_on_disk_before_their_append_completes()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        for (int i = 0; i < 20; i++)
        {
            int before = journal.Fsyncs;
            await journal.RecordAttemptAsync(new JournalKey("f" + i, "r", 0), SeedreamGateway.EvoLink, "doubao-seedream-4.0");
            Assert.True(journal.Fsyncs > before, "an attempt must be fsynced before the create is sent");
        }
    }

    [Fact]
    public async Task Records_a_rerun_can_learn_again_are_written_at_once_and_synced_soon_after()
    {
        using var folder = new TempFolder();
        var path = folder.File("journal.jsonl");
        var journal = new TaskJournal(path);
        await journal.RecordAttemptAsync(new JournalKey("f", "r", 0), SeedreamGateway.EvoLink, "doubao-seedream-4.0");
        int before = journal.Fsyncs;
        for (int i = 0; i < 50; i++)
        {
            await journal.RecordSavedAsync("task-1", i, "/out/" + i + ".png", 100);
            // In the file (so a crash of this process loses nothing) the moment the append completes.
            Assert.Contains("\"/out/" + i + ".png\"", ReadShared(path));
        }
        // Written one by one, they shared the fsyncs: far fewer than one each.
        Assert.True(journal.Fsyncs - before < 10, $"{journal.Fsyncs - before} fsyncs for 50 lazily synced records");
        // With nothing more to write, they are synced within moments, before the writer stops.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (journal.Fsyncs == before && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(journal.Fsyncs > before, "the lazily written records were never synced");
        // And on demand.
        await journal.RecordSavedAsync("task-1", 50, "/out/50.png", 100);
        int beforeSync = journal.Fsyncs;
        await journal.SyncAsync();
        Assert.True(journal.Fsyncs > beforeSync);
        Assert.Equal(51, new TaskJournal(path).Load().Task("task-1").Saved.Count);
    }

    [Fact]
    public async Task A_journal_whose_folder_was_deleted_before_its_lazy_sync_lets_the_writer_stop()
    {
        using var folder = new TempFolder();
        string sub = Path.Combine(folder.Path, "gone");
        var journal = new TaskJournal(Path.Combine(sub, "journal.jsonl"));
        await journal.RecordSavedAsync("task-1", 0, "/out/0.png", 100);
        Directory.Delete(sub, recursive: true);
        // Nothing is left to sync, and a sync that cannot be done is not tried for ever.
        await journal.SyncAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (journal.WriterRunning && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(journal.WriterRunning, "the writer thread kept running after its last sync failed");
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public void The_journal_lives_under_local_application_data_unless_moved()
    {
        Assert.EndsWith(Path.Combine("SeedreamPS", "journal.jsonl"), TaskJournal.DefaultPath);
        Assert.Equal(Path.GetFullPath("x.jsonl"), TaskJournal.Resolve("x.jsonl").Path);
        // One service per file in the process: the session reads its journal once.
        Assert.Same(TaskJournal.Resolve("x.jsonl"), TaskJournal.Resolve(Path.GetFullPath("x.jsonl")));
    }

    [Fact]
    public async Task ModelArk_tasks_are_reused_from_the_journal_alone()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var client = _sim.Client(SeedreamGateway.ModelArk);
        var first = await Submit(journal, client, false, new SeedreamRequest { Prompt = "p", Count = 2 }, Row);
        var again = await Submit(journal, client, true, new SeedreamRequest { Prompt = "p", Count = 2 }, Row);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(SeedreamTaskStatus.Succeeded, again.Status);
        Assert.Equal(first.Images.Select(i => i.Url), again.Images.Select(i => i.Url));
        Assert.Equal(1, _sim.Host.State.Count("modelark.create"));
    }

    [Fact]
    public async Task Callback_bodies_of_each_gateway_become_tasks()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }), TimeSpan.FromSeconds(10));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sim.Host.State.Options.ApiKey);
        string evoBody = await http.GetStringAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/" + task.Id));
        var parsed = CallbackBody.Parse(evoBody);
        Assert.Equal((SeedreamGateway.EvoLink, task.Id, SeedreamTaskStatus.Succeeded, 1), (parsed.Gateway, parsed.Id, parsed.Status, parsed.Images.Count));

        var link = _sim.Client(SeedreamGateway.LinkModel);
        var linkTask = await link.WaitAsync(await link.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }), TimeSpan.FromSeconds(10));
        string linkBody = await http.GetStringAsync(new Uri(_sim.Host.LinkModelUri, "query/image-generation?task_id=" + linkTask.Id));
        Assert.Equal(SeedreamGateway.LinkModel, CallbackBody.Parse(linkBody).Gateway);
        Assert.Throws<ArgumentException>(() => CallbackBody.Parse("{\"hello\":1}"));
    }
}
