using System.Globalization;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Demo;
using SeedreamPS.Simulator;

// The demo batch: every row of a CSV becomes a request; tasks run together; images are saved by the row's Name.
// Usage: SeedreamPS.Demo [--csv examples/prompts.csv] [--out out/demo] [--gateway EvoLink|LinkModel]
string csvPath = "examples/prompts.csv", outDir = "out/demo";
var gateway = SeedreamGateway.EvoLink;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--csv": csvPath = args[i + 1]; break;
        case "--out": outDir = args[i + 1]; break;
        case "--gateway": gateway = Enum.Parse<SeedreamGateway>(args[i + 1], ignoreCase: true); break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
    }
}

await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { GenerationLatency = TimeSpan.FromSeconds(2) });
Console.WriteLine($"Simulator at {simulator.BaseUri} (no API key needed: it accepts its own test key).");
var connection = new SeedreamConnection(gateway, new SeedreamApiKey(simulator.State.Options.ApiKey),
    gateway == SeedreamGateway.EvoLink ? simulator.EvoLinkUri : simulator.LinkModelUri);
var client = new SeedreamClient(connection) { PollSchedule = PollSchedule.Every(TimeSpan.FromMilliseconds(500)) };

var rows = Csv.Read(csvPath);
Console.WriteLine($"{rows.Count} rows from {csvPath} -> {gateway}");
var submitted = new List<SeedreamTask>();
int failures = 0;
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
    try
    {
        var task = await client.CreateTaskAsync(request);
        foreach (var (key, value) in row) task.Context[key] = value;
        submitted.Add(task);
        Console.WriteLine($"  submitted {row.GetValueOrDefault("Name"),-16} {task.Id}  ({request.Count} x {task.Model}, est. ${client.Validate(request).EstimatedCostUsd:0.000})");
    }
    catch (Exception e) when (e is SeedreamValidationException or SeedreamApiException)
    {
        // One bad row does not stop the batch.
        failures++;
        Console.WriteLine($"  skipped   {row.GetValueOrDefault("Name"),-16} {e.Message}");
    }
}

// The same engine the cmdlets use: one watcher polls every task; images are saved as their task finishes.
var saved = new List<string>();
var saver = new ImageSaver(new SaveOptions { Folder = outDir, FileNameTemplate = "{Name}-{Index}.png", ExistingFile = ExistingFileAction.Overwrite }, _ => client);
var downloads = new List<Task>();
await new TaskWatcher(_ => client).WatchAsync(submitted, TimeSpan.FromMinutes(5), e =>
{
    if (e.Kind == TaskEventKind.Progress) return;
    if (e.Kind != TaskEventKind.Finished || e.Task.Status != SeedreamTaskStatus.Succeeded)
    {
        Interlocked.Increment(ref failures);
        Console.WriteLine($"  failed    {e.Task.Context["Name"],-16} {(object?)e.Task.Error ?? e.Error?.Message}");
        return;
    }
    downloads.AddRange(e.Task.Images.Select(async image =>
    {
        var result = await saver.SaveAsync(e.Task, image, CancellationToken.None);
        lock (saved) saved.Add($"{result.Length,10:N0}  {result.Path}");
    }));
}, CancellationToken.None);
await Task.WhenAll(downloads);

Console.WriteLine($"Saved {saved.Count} images to {Path.GetFullPath(outDir)}:");
foreach (var line in saved.OrderBy(l => l[12..], StringComparer.Ordinal)) Console.WriteLine("  " + line);
Console.WriteLine($"{submitted.Count} tasks, {failures} failed rows");
return 0;

static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
