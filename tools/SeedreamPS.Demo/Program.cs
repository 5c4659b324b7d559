using System.Globalization;
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
//        [--journal PATH] [--resume] [--throttle N]
// It uses the same Core engine as the cmdlets, journal included, so tests run it as a child process and kill it.
string csvPath = "examples/prompts.csv", outDir = "out/demo";
string? baseUri = null, apiKey = null, journalPath = null;
bool resume = false;
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
    var client = new SeedreamClient(connection);
    var journal = journalPath == null ? new TaskJournal(Path.Combine(outDir, "journal.jsonl")) : new TaskJournal(journalPath);
    var submitter = new JournalledSubmitter(journal, resume);
    var saver = new ImageSaver(new SaveOptions { Folder = outDir, FileNameTemplate = "{Name}-{Index}.png", ExistingFile = ExistingFileAction.Overwrite }, _ => client, journal);

    var rows = Csv.Read(csvPath);
    Console.WriteLine($"{rows.Count} rows from {csvPath} -> {gateway}; journal {journal.Path}{(resume ? " (resuming)" : "")}");
    int failures = 0;
    var saved = new List<string>();
    var downloads = new List<Task>();
    var watcher = new TaskWatcher(_ => client);
    var watching = watcher.RunAsync(TimeSpan.FromMinutes(5), e =>
    {
        if (e.Kind == TaskEventKind.Progress) return;
        if (e.Kind != TaskEventKind.Finished)
        {
            Interlocked.Increment(ref failures);
            Console.WriteLine($"  failed    {e.Task.Context["Name"],-16} {e.Error?.Message}");
            return;
        }
        lock (downloads)
        {
            downloads.Add(Task.Run(async () =>
            {
                try
                {
                    foreach (var result in await saver.SaveTaskAsync(e.Task, CancellationToken.None))
                    {
                        lock (saved) saved.Add(result.Skipped ? $"{"(kept)",10}  {result.Path}" : $"{result.Length,10:N0}  {result.Path}");
                    }
                }
                catch (Exception failure) when (failure is InvalidOperationException || failure is SeedreamApiException || failure is IOException)
                {
                    Interlocked.Increment(ref failures);
                    Console.WriteLine($"  failed    {e.Task.Context["Name"],-16} {failure.Message}");
                }
            }));
        }
    }, CancellationToken.None);

    using var slots = new SemaphoreSlim(throttle);
    var creates = new List<Task>();
    foreach (var row in rows)
    {
        var request = new SeedreamRequest
        {
            Prompt = row.GetValueOrDefault("Prompt"),
            Model = NullIfEmpty(row.GetValueOrDefault("Model")),
            Size = NullIfEmpty(row.GetValueOrDefault("Size")),
            Quality = NullIfEmpty(row.GetValueOrDefault("Quality")),
            Count = int.TryParse(row.GetValueOrDefault("Count"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 1,
        };
        var context = row.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.OrdinalIgnoreCase);
        ValidatedRequest validated;
        try
        {
            validated = client.Validate(request);
        }
        catch (SeedreamValidationException e)
        {
            // One bad row does not stop the batch.
            failures++;
            Console.WriteLine($"  skipped   {row.GetValueOrDefault("Name"),-16} {e.Message}");
            continue;
        }
        var key = submitter.KeyFor(validated, context);
        var plan = submitter.Plan(key, out var earlier);
        if (plan == SubmitPlan.Hold)
        {
            failures++;
            Console.WriteLine($"  held      {row.GetValueOrDefault("Name"),-16} {JournalledSubmitter.HoldMessage(validated)}");
            continue;
        }
        await slots.WaitAsync();
        creates.Add(Task.Run(async () =>
        {
            try
            {
                var task = plan == SubmitPlan.Reuse
                    ? await submitter.ReuseAsync(client, earlier!, validated, context, CancellationToken.None)
                    : await submitter.CreateAsync(client, validated, key, context, CancellationToken.None);
                Console.WriteLine($"  {(plan == SubmitPlan.Reuse ? "reused   " : "submitted")} {row.GetValueOrDefault("Name"),-16} {task.Id}  ({validated.Summary})");
                watcher.Add(task);
            }
            catch (SeedreamApiException e)
            {
                Interlocked.Increment(ref failures);
                Console.WriteLine($"  failed    {row.GetValueOrDefault("Name"),-16} {e.Message}");
            }
            finally
            {
                slots.Release();
            }
        }));
    }
    await Task.WhenAll(creates);
    watcher.Complete();
    await watching;
    Task[] pending;
    lock (downloads) pending = downloads.ToArray();
    await Task.WhenAll(pending);

    Console.WriteLine($"Saved {saved.Count(l => !l.Contains("(kept)"))} images to {Path.GetFullPath(outDir)}:");
    foreach (var line in saved.OrderBy(l => l[12..], StringComparer.Ordinal)) Console.WriteLine("  " + line);
    Console.WriteLine($"{creates.Count} tasks, {failures} failed rows");
    return 0;
}
finally
{
    if (simulator != null) await simulator.DisposeAsync();
}

static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
