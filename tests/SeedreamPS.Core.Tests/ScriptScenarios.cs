using System.Text.RegularExpressions;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The faults of whole scripts rather than of one request (a batch through the engine against the simulator):
/// failures of the whole batch, a stop with creates in flight, two images wanting one name. Each row is a table row of
/// docs/reliability.md (written by <see cref="ReliabilityTests"/>), and each is checked here as well.</summary>
public static class ScriptScenarios
{
    public sealed record Row(string Fault, string Records, string Outcome, int CreatesSent, int TasksMade, int Files, string Journal);

    private const int Records = 5;

    private static SeedreamRequest Request(int i) => new() { Prompt = "scenario row " + i };

    private static Dictionary<string, object> Context(int i) => new(StringComparer.OrdinalIgnoreCase) { ["Name"] = "hero" };

    private static string Clean(string text) =>
        Regex.Replace(Regex.Replace(Regex.Replace(text, @"http://127\.0\.0\.1:\d+", "http://127.0.0.1:PORT"), @"task-unified-\d+-[0-9a-f]{8}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|cgt-[0-9a-z-]+", "<id>"), @"/tmp/[^']+/", "<folder>/")
            .Replace("|", "\\|");

    /// <summary>Every scenario, run in order against <paramref name="sim"/>.</summary>
    public static async Task<List<Row>> RunAll(SimulatorFixture sim)
    {
        var rows = new List<Row>();
        foreach (var gateway in new[] { SeedreamGateway.EvoLink, SeedreamGateway.LinkModel, SeedreamGateway.ModelArk })
        {
            rows.Add(await BatchFailure(sim, gateway + ": the key is refused (401)", gateway, s => { }, key: "wrong-key"));
            rows.Add(await BatchFailure(sim, gateway + ": no balance", gateway, s => s.Host.State.Options.Balance = 0m));
        }
        rows.Add(await Unreachable());
        rows.Add(await Stopped(sim, "the pipeline stops (a terminating error, -ErrorAction Stop, break) with 3 creates in flight", ctrlC: false));
        rows.Add(await Stopped(sim, "Ctrl+C with 3 creates in flight", ctrlC: true));
        rows.Add(await Collision(sim));
        return rows;
    }

    private static string Target(SeedreamGateway gateway) => gateway switch
    {
        SeedreamGateway.EvoLink => "evolink.create",
        SeedreamGateway.LinkModel => "linkmodel.create",
        _ => "modelark.create",
    };

    private static async Task<Row> BatchFailure(SimulatorFixture sim, string fault, SeedreamGateway gateway, Action<SimulatorFixture> arrange, string key = null)
    {
        sim.Reset();
        sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        arrange(sim);
        var client = sim.Client(gateway, key: key);
        var journal = EngineHelpers.ScratchJournal();
        var events = new List<BatchEvent>();
        var batch = new ImageBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client), ThrottleLimit = 1 }, e => { lock (events) events.Add(e); });
        for (int i = 0; i < Records; i++)
        {
            while (!batch.HasCapacity) await Task.Delay(5);
            batch.Submit(Request(i), null, Context(i), i);
        }
        batch.Complete();
        await batch.Completion;
        Assert.Empty(events);
        var failure = batch.BatchFailure;
        Assert.NotNull(failure);
        Assert.Contains(Records + " record(s) were not sent", failure.Message);
        return new Row(fault, Records + ", 1 at a time", "one error (the cause's id, RecordsNotSent set): " + Clean(failure.Message), sim.Host.State.Count(Target(gateway)), sim.Host.State.TaskCount, 0,
            "nothing created; a rerun with -Resume sends all " + Records);
    }

    private static async Task<Row> Unreachable()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new SeedreamClient(new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k"), new Uri("http://127.0.0.1:" + port + "/evolink")) { Retry = new RetryPolicy { MaxRetries = 0 } });
        var events = new List<BatchEvent>();
        var batch = new ImageBatch(new BatchOptions { Journal = EngineHelpers.ScratchJournal(), Clients = ClientSet.Of(client), ThrottleLimit = 1 }, e => { lock (events) events.Add(e); });
        for (int i = 0; i < Records; i++)
        {
            while (!batch.HasCapacity) await Task.Delay(5);
            batch.Submit(Request(i), null, Context(i), i);
        }
        batch.Complete();
        await batch.Completion;
        Assert.Empty(events);
        string message = Regex.Replace(batch.BatchFailure.Message, @"Could not connect to EvoLink: .*? This stops", "Could not connect to EvoLink: (the socket's words). This stops");
        return new Row("the API host refuses connections", Records + ", 1 at a time", "one error (the cause's id, RecordsNotSent set): " + Clean(message), 0, 0, 0, "nothing created; a rerun with -Resume sends all " + Records);
    }

    private static async Task<Row> Stopped(SimulatorFixture sim, string fault, bool ctrlC)
    {
        sim.Reset();
        sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 400, Times = 3 } });
        var client = sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        using var cancel = new CancellationTokenSource();
        var batch = new ImageBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client), ThrottleLimit = 3 }, _ => { }, cancel.Token);
        for (int i = 0; i < 3; i++) batch.Submit(Request(i), null, Context(i), i);
        for (int i = 0; i < 1000 && sim.Host.State.Count("evolink.create") < 3; i++) await Task.Delay(5);
        if (ctrlC) cancel.Cancel();
        Assert.True(batch.Stop());
        Assert.Equal(SubmitOutcome.NotSent, batch.Submit(Request(3), null, Context(3), 3));
        int sent = sim.Host.State.Count("evolink.create");

        var rerun = await EngineHelpers.RunBatch(new BatchOptions { Journal = new TaskJournal(journal.Path), Clients = ClientSet.Of(client), Resume = true },
            b => { for (int i = 0; i < 3; i++) b.Submit(Request(i), null, Context(i), i); });
        int reused = rerun.Count(e => e.Kind == BatchEventKind.Reused);
        Assert.Equal(3, reused);
        Assert.Equal(sent, sim.Host.State.Count("evolink.create"));
        return new Row(fault, "3 sent, a 4th after the stop", "the 3 answers are awaited (at most " + ImageBatch.StopGrace.TotalSeconds + " s) and journalled; the 4th is not sent", sent, sim.Host.State.TaskCount, 0,
            "3 created with their ids; -Resume reuses " + reused + " and creates 0");
    }

    private static async Task<Row> Collision(SimulatorFixture sim)
    {
        sim.Reset();
        sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var client = sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        using var folder = new TempFolder();
        var events = await EngineHelpers.RunBatch(new BatchOptions
        {
            Journal = journal,
            Clients = ClientSet.Of(client),
            Save = new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}-{Index}{Ext}" },
        }, b => { for (int i = 0; i < 3; i++) b.Submit(Request(i), null, Context(i), i); });
        int files = Directory.GetFiles(folder.Path, "*.png").Length;
        var errors = events.Where(e => e.Error != null).ToList();
        Assert.Equal(1, files);
        Assert.Equal(2, errors.Count);
        int unsaved = journal.UnsavedTasks().Count;
        Assert.Equal(2, unsaved);
        string first = Regex.Replace(Clean(errors[0].Error.Message), @"prompt 'scenario row \d'", "prompt '...'");
        return new Row("3 rows with one Name, saved as {Name}-{Index}{Ext}", "3", "1 file; 2 errors (FileNameCollision): " + first, sim.Host.State.Count("evolink.create"), sim.Host.State.TaskCount, files,
            "3 created, 1 saved; -Unsaved lists " + unsaved);
    }
}
