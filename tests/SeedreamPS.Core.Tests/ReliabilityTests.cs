using System.Text;
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

/// <summary>Every simulator fault mode against the whole path (journalled create, wait, save): each is either retried and
/// saved exactly once, or a clear error with the task kept in the journal; never a partial file, never a second create.
/// docs/reliability.md is generated from these cases (SEEDREAMPS_UPDATE_DOCS=1 rewrites it).</summary>
public class ReliabilityTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public ReliabilityTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
    }

    public sealed record Case(string Fault, string Where, SeedreamGateway Gateway, FaultRule[] Faults, bool Saves, string Journal, TimeSpan? ImageLifetime = null);

    private static FaultRule F(string target, FaultKind kind, int status = 500, int times = 1, int? retryAfter = null, int delayMs = 0, bool after = false, string code = null) =>
        new() { Target = target, Kind = kind, Status = status, Times = times, RetryAfterSeconds = retryAfter, DelayMs = delayMs, AfterHandling = after, ErrorCode = code ?? "service_error" };

    private static readonly string[] TaskCodes =
    {
        "content_policy_violation", "invalid_parameters", "image_processing_error", "image_dimension_mismatch", "request_cancelled",
        "generation_failed_no_content", "service_error", "generation_timeout", "resource_exhausted", "quota_exceeded",
        "service_unavailable", "resource_not_found", "unknown_error", "upstream_error", "rate_limited", "model_unavailable",
    };

    public static readonly Case[] Cases = new[]
    {
        new Case("429 burst with Retry-After (3 in a row)", "create", SeedreamGateway.EvoLink, new[] { F("evolink.create", FaultKind.Status, 429, times: 3, retryAfter: 0) }, true, "created, saved"),
        new Case("429 burst without Retry-After (2 in a row)", "status query", SeedreamGateway.LinkModel, new[] { F("linkmodel.query", FaultKind.Status, 429, times: 2) }, true, "created, saved"),
        new Case("500", "create", SeedreamGateway.EvoLink, new[] { F("evolink.create", FaultKind.Status, 500) }, false, "unknown (held on -Resume)"),
        new Case("503", "create", SeedreamGateway.LinkModel, new[] { F("linkmodel.create", FaultKind.Status, 503) }, false, "unknown (held on -Resume)"),
        new Case("502 twice", "status query", SeedreamGateway.EvoLink, new[] { F("evolink.query", FaultKind.Status, 502, times: 2, retryAfter: 0) }, true, "created, saved"),
        new Case("503 twice", "image download", SeedreamGateway.EvoLink, new[] { F("image", FaultKind.Status, 503, times: 2) }, true, "created, saved"),
        new Case("connection reset", "status query", SeedreamGateway.EvoLink, new[] { F("evolink.query", FaultKind.Reset) }, true, "created, saved"),
        new Case("connection reset after the gateway made the task", "create", SeedreamGateway.EvoLink, new[] { F("evolink.create", FaultKind.Reset, after: true) }, false, "unknown (held on -Resume)"),
        new Case("slow response past the timeout", "status query", SeedreamGateway.EvoLink, new[] { F("evolink.query", FaultKind.Slow, delayMs: 4000) }, true, "created, saved"),
        new Case("slow response past the timeout", "create", SeedreamGateway.EvoLink, new[] { F("evolink.create", FaultKind.Slow, delayMs: 4000) }, false, "unknown (held on -Resume)"),
        new Case("slow response past the timeout", "image download", SeedreamGateway.EvoLink, new[] { F("image", FaultKind.Slow, delayMs: 4000) }, true, "created, saved"),
        new Case("truncated image body", "image download", SeedreamGateway.EvoLink, new[] { F("image", FaultKind.Truncate) }, true, "created, saved"),
        new Case("malformed JSON", "status query", SeedreamGateway.LinkModel, new[] { F("linkmodel.query", FaultKind.Malformed) }, true, "created, saved"),
        new Case("malformed JSON", "create", SeedreamGateway.EvoLink, new[] { F("evolink.create", FaultKind.Malformed) }, false, "unknown (held on -Resume)"),
        new Case("task never finishes", "generation", SeedreamGateway.EvoLink, new[] { F("evolink.create", FaultKind.NeverFinish) }, false, "created, listed by -Unsaved"),
        new Case("429 with Retry-After from the image host", "image download", SeedreamGateway.EvoLink, new[] { F("image", FaultKind.Status, 429, retryAfter: 1) }, true, "created, saved"),
        new Case("429 on every status query until the retries give up", "status query", SeedreamGateway.EvoLink, new[] { F("evolink.query", FaultKind.Status, 429, times: 100, retryAfter: 0) }, false, "created, listed by -Unsaved"),
        new Case("result URL expired", "image download", SeedreamGateway.EvoLink, Array.Empty<FaultRule>(), false, "created, marked expired", TimeSpan.FromSeconds(-5)),
    }.Concat(TaskCodes.Select(code => new Case($"task fails: {code}", "generation", SeedreamGateway.EvoLink,
        new[] { F("evolink.create", FaultKind.TaskFail, code: code) }, false, "created, marked failed"))).ToArray();

    public static IEnumerable<object[]> CaseIndexes() => Enumerable.Range(0, Cases.Length).Select(i => new object[] { i });

    private sealed record Outcome(string Text, int Creates, int Tasks, int Files, string Journal);

    private async Task<Outcome> Run(Case c)
    {
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromMilliseconds(200);
        if (c.ImageLifetime.HasValue) _sim.Host.State.Options.ImageLifetime = c.ImageLifetime.Value;
        // Rules count their hits down, so each run gets fresh copies.
        _sim.Host.State.AddFaults(c.Faults.Select(f => new FaultRule
        {
            Target = f.Target, Kind = f.Kind, Status = f.Status, Times = f.Times, RetryAfterSeconds = f.RetryAfterSeconds,
            DelayMs = f.DelayMs, AfterHandling = f.AfterHandling, ErrorCode = f.ErrorCode,
        }));
        using var folder = new TempFolder();
        var client = _sim.Client(c.Gateway, configure: c => c.Timeout = TimeSpan.FromSeconds(2));
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var request = new SeedreamRequest { Prompt = "a lighthouse" };
        var context = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase) { ["Name"] = "row" };
        var key = new JournalKey(RequestFingerprint.Of(client.Validate(request)), RequestFingerprint.OfContext(context), 0);
        // The whole shipped path: journalled create, the watcher, the atomic save, each step journalled.
        var events = await EngineHelpers.RunBatch(new BatchOptions
        {
            Journal = journal,
            Clients = ClientSet.Of(client),
            WaitTimeout = TimeSpan.FromSeconds(3),
            Save = new SaveOptions { Folder = folder.File("out"), FileNameTemplate = "{Name}-{Index}.png" },
        }, batch => batch.Submit(request, null, context, context));
        var failure = events.FirstOrDefault(e => e.Error != null);
        // The socket's own words for a dropped connection differ from run to run; the table keeps ours.
        string text = failure == null
            ? (events.Count(e => e.Kind == BatchEventKind.Saved) == 1 ? "saved once" : "nothing saved")
            : "error: " + Regex.Replace(Regex.Replace(Regex.Replace(failure.Error.Message, @" was lost: .*$", " was lost."), @"http://127\.0\.0\.1:\d+", "http://127.0.0.1:PORT"), @"task-unified-\d+-[0-9a-f]{8}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
        string output = folder.File("out");
        int files = Directory.Exists(output) ? Directory.GetFiles(output, "*.png").Length : 0;
        Assert.False(Directory.Exists(output) && Directory.GetFiles(output, "*.partial").Length > 0, "a partial file was left behind");

        var state = journal.Load();
        var status = state.StatusOf(key, out var entry);
        string recorded = status switch
        {
            AttemptStatus.Created when entry.MarkedExpired => "created, marked expired",
            AttemptStatus.Created when entry.Saved.Count > 0 => "created, saved",
            AttemptStatus.Created when entry.Failed => "created, marked failed",
            AttemptStatus.Created when state.Unsaved.Any(t => t.Id == entry.Id) => "created, listed by -Unsaved",
            AttemptStatus.Unknown => "unknown (held on -Resume)",
            _ => status.ToString(),
        };
        string target = c.Gateway == SeedreamGateway.EvoLink ? "evolink.create" : "linkmodel.create";
        return new Outcome(text, _sim.Host.State.Count(target), _sim.Host.State.TaskCount, files, recorded);
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public async Task Each_fault_is_retried_and_saved_once_or_a_clear_error_with_the_task_kept(int index)
    {
        var c = Cases[index];
        var outcome = await Run(c);
        Assert.Equal(c.Saves ? "saved once" : outcome.Text, outcome.Text);
        if (c.Saves) Assert.Equal(1, outcome.Files);
        else
        {
            Assert.StartsWith("error: ", outcome.Text);
            Assert.Equal(0, outcome.Files);
        }
        // Never a second task for one request: a create is resent only after a 429, which made nothing.
        Assert.InRange(outcome.Tasks, 0, 1);
        Assert.Equal(c.Journal, outcome.Journal);
    }

    [Fact]
    public async Task The_table_in_docs_matches_the_cases()
    {
        var table = new StringBuilder();
        table.AppendLine("# Faults and what SeedreamPS does about them");
        table.AppendLine();
        table.AppendLine("Generated by `tests/SeedreamPS.Core.Tests/ReliabilityTests.cs` (run the tests with `SEEDREAMPS_UPDATE_DOCS=1` to");
        table.AppendLine("rewrite it): one request through the whole path (journalled create, wait, atomic save) against the simulator");
        table.AppendLine("with the fault injected. \"Creates sent\" counts create requests the simulator received, \"Tasks made\" the tasks");
        table.AppendLine("it made (and charged for). No case leaves a partial file; no case makes a second task for one request.");
        table.AppendLine();
        table.AppendLine("| Fault | Where | Outcome | Creates sent | Tasks made | Files saved | Journal |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var c in Cases)
        {
            var o = await Run(c);
            table.AppendLine($"| {c.Fault} | {c.Where} | {o.Text.Replace("|", "\\|")} | {o.Creates} | {o.Tasks} | {o.Files} | {o.Journal} |");
        }
        table.AppendLine();
        table.AppendLine("## Whole scripts: failures of the whole batch, stops, names");
        table.AppendLine();
        table.AppendLine("Generated from `tests/SeedreamPS.Core.Tests/ScriptScenarios.cs`: a batch through the engine, as `New-SeedreamImage`");
        table.AppendLine("(`| Save-SeedreamImage`) runs it. A failure of the whole batch (the key, the balance, the API host) stops sending and is one");
        table.AppendLine("error that counts the records not sent; a stop gives creates already sent a short grace period to answer and sends nothing");
        table.AppendLine("new; two images never share one file name.");
        table.AppendLine();
        table.AppendLine("| Fault | Records | Outcome | Creates sent | Tasks made | Files saved | Journal |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in await ScriptScenarios.RunAll(_sim))
        {
            table.AppendLine($"| {row.Fault} | {row.Records} | {row.Outcome} | {row.CreatesSent} | {row.TasksMade} | {row.Files} | {row.Journal} |");
        }
        string path = Path.Combine(Repo.Root, "docs", "reliability.md");
        string generated = table.ToString().Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("SEEDREAMPS_UPDATE_DOCS") == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), "docs/reliability.md is missing; run the tests with SEEDREAMPS_UPDATE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(path).Replace("\r\n", "\n"));
    }
}
