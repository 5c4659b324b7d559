using System.Globalization;
using SeedreamPS.Core;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Demo;
using SeedreamPS.Simulator;

// The demo batch: every row of a CSV becomes a request; tasks run together; images are saved by the row's Name.
// Usage: SeedreamPS.Demo [--csv examples/prompts.csv] [--out out/demo] [--gateway EvoLink|LinkModel|ModelArk]
//        [--base-uri URL --api-key KEY] (an already running simulator or gateway; default: start a simulator)
//        [--journal PATH] [--resume [--retry-unknown]] [--throttle N] [--no-stream] [--inline]
// It uses the same Core engine as the cmdlets, journal included, so tests run it as a child process and kill it.
string csvPath = "examples/prompts.csv", outDir = "out/demo";
string? baseUri = null, apiKey = null, journalPath = null;
bool resume = false, retryUnknown = false, noStream = false, inline = false;
int throttle = 10;
var gateway = SeedreamGateway.EvoLink;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
    switch (args[i])
    {
        case "--csv": csvPath = Next(); break;
        case "--out": outDir = Next(); break;
        case "--gateway": gateway = Enum.Parse<SeedreamGateway>(Next(), ignoreCase: true); break;
        case "--base-uri": baseUri = Next(); break;
        case "--api-key": apiKey = Next(); break;
        case "--journal": journalPath = Next(); break;
        case "--resume": resume = true; break;
        case "--retry-unknown": retryUnknown = true; break;
        case "--no-stream": noStream = true; break;
        case "--inline": inline = true; break;
        case "--throttle": throttle = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
    }
}

SimulatorHost? simulator = null;
if (baseUri == null)
{
    simulator = await SimulatorHost.StartAsync(new SimulatorOptions { GenerationLatency = TimeSpan.FromSeconds(2) });
    Console.WriteLine($"Simulator at {simulator.BaseUri} (no API key needed: it accepts its own test key).");
    baseUri = (gateway switch { SeedreamGateway.LinkModel => simulator.LinkModelUri, SeedreamGateway.ModelArk => simulator.ModelArkUri, _ => simulator.EvoLinkUri }).AbsoluteUri;
    apiKey = simulator.State.Options.ApiKey;
}
try
{
    var connection = new SeedreamConnection(gateway, new SeedreamApiKey(apiKey ?? Environment.GetEnvironmentVariable("SEEDREAM_API_KEY") ?? ""), new Uri(baseUri))
    {
        PollInterval = TimeSpan.FromMilliseconds(500),
    };
    var journal = TaskJournal.Open(journalPath ?? Path.Combine(outDir, "journal.jsonl"));
    var rows = Csv.Read(csvPath);
    Console.WriteLine($"{rows.Count} rows from {csvPath} -> {gateway}; journal {journal.Path}{(resume ? " (resuming)" : "")}");
    int failures = 0, submitted = 0, reused = 0;
    var saved = new List<string>();
    string NameOf(object? target) => (target as IDictionary<string, object>)?.TryGetValue("Name", out var n) == true ? n?.ToString() ?? "" : (target as SeedreamTask)?.Context.TryGetValue("Name", out var m) == true ? m?.ToString() ?? "" : "";
    // The same engine as New-SeedreamImage | Save-SeedreamImage: journalled creates, one watcher, atomic saves.
    var batch = new ImageBatch(new BatchOptions
    {
        Journal = journal,
        Clients = ClientSet.Of(new SeedreamClient(connection)),
        Resume = resume,
        RetryUnknown = retryUnknown,
        ThrottleLimit = throttle,
        WaitTimeout = TimeSpan.FromMinutes(5),
        Save = new SaveOptions { Folder = outDir, FileNameTemplate = "{Name}-{Index}.png", ExistingFile = ExistingFileAction.Overwrite },
    }, e =>
    {
        string name = NameOf(e.Target);
        switch (e.Kind)
        {
            case BatchEventKind.Created:
            case BatchEventKind.Reused:
                Interlocked.Increment(ref e.Kind == BatchEventKind.Created ? ref submitted : ref reused);
                Console.WriteLine($"  {(e.Kind == BatchEventKind.Reused ? "reused   " : "submitted")} {name,-16} {e.Task.Id}  ({e.Request?.Summary})");
                break;
            case BatchEventKind.Saved:
                lock (saved) saved.Add(e.Saved.Skipped ? $"{"(kept)",10}  {e.Saved.Path}" : $"{e.Saved.Length,10:N0}  {e.Saved.Path}");
                break;
            case BatchEventKind.Progress:
                break;
            default:
                Interlocked.Increment(ref failures);
                Console.WriteLine($"  {e.Kind.ToString().ToLowerInvariant(),-9} {name,-16} {e.Error?.Message}");
                break;
        }
    });
    foreach (var row in rows)
    {
        var request = new SeedreamRequest
        {
            Prompt = row.GetValueOrDefault("Prompt"),
            Model = Text.NullIfBlank(row.GetValueOrDefault("Model")),
            Size = Text.NullIfBlank(row.GetValueOrDefault("Size")),
            Quality = Text.NullIfBlank(row.GetValueOrDefault("Quality")),
            Count = int.TryParse(row.GetValueOrDefault("Count"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 1,
            NoStream = noStream,
            ImageDelivery = inline ? ImageDelivery.Inline : ImageDelivery.Url,
        };
        var context = row.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.OrdinalIgnoreCase);
        await batch.SubmitAsync(request, null, context, context);
    }
    batch.Complete();
    await batch.Completion;

    Console.WriteLine($"Saved {saved.Count(l => !l.Contains("(kept)"))} images to {Path.GetFullPath(outDir)}:");
    foreach (var line in saved.OrderBy(l => l[12..], StringComparer.Ordinal)) Console.WriteLine("  " + line);
    Console.WriteLine($"{submitted} tasks submitted, {reused} reused, {failures} failed rows");
    return 0;
}
finally
{
    if (simulator != null) await simulator.DisposeAsync();
}

