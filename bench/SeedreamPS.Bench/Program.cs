using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SeedreamPS.Bench;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;

// Usage: SeedreamPS.Bench [--sequential-sample N] [--configuration Release] [--pwsh PATH] [--only batch,linkmodel,overhead,memory,history,stream,pwsh,starved]
// Prints ratios measured in this one run; the machine is shared, so compare ratios, not absolute times.
int sequentialSample = 20;
string configuration = "Release";
HashSet<string>? only = null;
string? pwshPath = null;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--sequential-sample") sequentialSample = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--configuration") configuration = args[i + 1];
    else if (args[i] == "--pwsh") pwshPath = args[i + 1];
    else if (args[i] == "--only") only = new HashSet<string>(args[i + 1].Split(','), StringComparer.OrdinalIgnoreCase);
}
bool Runs(string scenario) => only == null || only.Contains(scenario);

using var sim = SimulatorProcess.Start(configuration);
string work = Path.Combine(Path.GetTempPath(), "seedreamps-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
var results = new List<(string Name, string Measured, string Target, bool Met)>();
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"Simulator: {sim.BaseUri} (separate process)");

SeedreamClient Client(SeedreamGateway gateway) =>
    new(new SeedreamConnection(gateway, new SeedreamApiKey(sim.ApiKey), gateway switch
    {
        SeedreamGateway.EvoLink => sim.EvoLinkUri,
        SeedreamGateway.ModelArk => sim.ModelArkUri,
        _ => sim.LinkModelUri,
    }));

List<SeedreamRequest> Prompts(int n, string? size = null) =>
    Enumerable.Range(0, n).Select(i => new SeedreamRequest { Prompt = "benchmark prompt " + i, Size = size }).ToList();

// Warm up JIT and connections so the first measurement is not the cold start.
await sim.ConfigureAsync(new { latencyMs = 0 });
await Engine.RunAsync(Client(SeedreamGateway.EvoLink), Prompts(20), 10, Path.Combine(work, "warmup"));

// 1. Batch throughput: 200 prompts, 2 s generation, the default throttle, journal on (the shipped path).
double wall = double.NaN;
if (Runs("batch"))
{
    await sim.ConfigureAsync(new { latencyMs = 2000 });
    var watch = Stopwatch.StartNew();
    int saved = await Engine.RunAsync(Client(SeedreamGateway.EvoLink), Prompts(200), BatchOptions.DefaultThrottleLimit, Path.Combine(work, "batch"));
    wall = watch.Elapsed.TotalSeconds;
    int queries = await sim.CountAsync("evolink.query");
    Console.WriteLine($"1. 200 prompts, latency 2 s, default throttle {BatchOptions.DefaultThrottleLimit}, journal on: {wall:0.00} s, {saved} images saved");
    results.Add(("Batch wall time / generation latency (200 prompts, 2 s, default throttle, journal on)", (wall / 2.0).ToString("0.00", CultureInfo.InvariantCulture), "<= 1.25", wall / 2.0 <= 1.25));

    // A hand-written script: submit, poll every second, download, next.
    await sim.ConfigureAsync(new { latencyMs = 2000 });
    var seq = Stopwatch.StartNew();
    await SequentialScript(sim, sequentialSample, Path.Combine(work, "sequential"));
    double perTask = seq.Elapsed.TotalSeconds / sequentialSample;
    double sequential200 = perTask * 200;
    Console.WriteLine($"   sequential loop: {seq.Elapsed.TotalSeconds:0.00} s for {sequentialSample} prompts = {perTask:0.00} s each, {sequential200:0} s for 200 (extrapolated)");
    results.Add(("Speed-up over a sequential submit-poll-download loop", (sequential200 / wall).ToString("0", CultureInfo.InvariantCulture) + "x", ">= 15x", sequential200 / wall >= 15));

    // 4a. Polling cost on EvoLink: it documents no schedule; the least possible is one query per task.
    double perTaskQueries = queries / 200.0;
    Console.WriteLine($"4. EvoLink status queries: {queries} for 200 tasks = {perTaskQueries:0.00} per task (adaptive schedule from progress and estimated_time)");
    results.Add(("EvoLink status queries per task (2 s tasks; no documented schedule)", perTaskQueries.ToString("0.00", CultureInfo.InvariantCulture), "<= 3 (first poll at half the estimate, then just after the predicted finish)", perTaskQueries <= 3));
}

// 4b. LinkModel: its documented schedule polls first at 10 s, so a 2 s task needs exactly one query.
if (Runs("linkmodel"))
{
    await sim.ConfigureAsync(new { latencyMs = 2000 });
    var watch = Stopwatch.StartNew();
    await Engine.RunAsync(Client(SeedreamGateway.LinkModel), Prompts(50), BatchOptions.DefaultThrottleLimit, Path.Combine(work, "linkmodel"));
    int queries = await sim.CountAsync("linkmodel.query");
    double perTask = queries / 50.0;
    Console.WriteLine($"   LinkModel: {queries} status queries for 50 tasks = {perTask:0.00} per task, {watch.Elapsed.TotalSeconds:0.0} s (documented first poll at 10 s)");
    results.Add(("LinkModel status queries per task (2 s tasks)", perTask.ToString("0.00", CultureInfo.InvariantCulture), "<= 1.00 (documented schedule)", perTask <= 1.0));
}

// 2. Client overhead at zero latency: 2,000 tasks with 256 KB images, against a bare HttpClient loop sending the same
// requests, once writing each image the way a careful script does (temporary file, fsync, rename: the same disk work
// the engine does for each image) and once straight into the page cache. Each runs three times, alternating, and keeps
// its best run: the first run of any pays for warm-up the others then skip, and the machine is shared.
if (Runs("overhead"))
{
    const int tasks = 2000, rounds = 3;
    var self = Process.GetCurrentProcess();
    // Tasks per second of the best run, and processor time per task over all runs (this process only: the simulator
    // runs in its own), for one way of doing the work.
    async Task<(double Rate, double CpuMs)> Measure(Func<int, Task> run, int round, (double Rate, double CpuMs) sofar)
    {
        await sim.ConfigureAsync(new { latencyMs = 0, imagePaddingBytes = 256 * 1024 });
        self.Refresh();
        var cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await run(round);
        double seconds = watch.Elapsed.TotalSeconds;
        self.Refresh();
        double cpuMs = (self.TotalProcessorTime - cpu).TotalMilliseconds / tasks / rounds;
        return (Math.Max(sofar.Rate, tasks / seconds), sofar.CpuMs + cpuMs);
    }
    (double Rate, double CpuMs) ours = default, durable = default, bare = default;
    int saved = 0;
    // Steady state, not start-up: both sides run this workload once unmeasured, so their code is fully compiled (the
    // runtime recompiles hot methods only after they have run a while, and the engine has more of them).
    await sim.ConfigureAsync(new { latencyMs = 0, imagePaddingBytes = 256 * 1024 });
    await Engine.RunAsync(Client(SeedreamGateway.EvoLink), Prompts(tasks), 20, Path.Combine(work, "overhead-warmup"), downloads: 20);
    await BareLoop(sim, tasks, 20, Path.Combine(work, "durable-warmup"), durable: true);
    await BareLoop(sim, tasks, 20, Path.Combine(work, "bare-warmup"), durable: false);
    for (int round = 0; round < rounds; round++)
    {
        ours = await Measure(async r => saved = await Engine.RunAsync(Client(SeedreamGateway.EvoLink), Prompts(tasks), 20, Path.Combine(work, "overhead" + r), downloads: 20), round, ours);
        durable = await Measure(r => BareLoop(sim, tasks, 20, Path.Combine(work, "durable" + r), durable: true), round, durable);
        bare = await Measure(r => BareLoop(sim, tasks, 20, Path.Combine(work, "bare" + r), durable: false), round, bare);
    }
    Console.WriteLine($"2. 2,000 tasks, 256 KB images, latency 0 (best of three runs each; processor time per task over all three):");
    Console.WriteLine($"   SeedreamPS {ours.Rate:0} tasks/s, {ours.CpuMs:0.00} ms ({saved} files, atomic with fsync, journal with fsync)");
    Console.WriteLine($"   bare HttpClient loop writing each image atomically with fsync (no journal): {durable.Rate:0} tasks/s, {durable.CpuMs:0.00} ms");
    Console.WriteLine($"   bare HttpClient loop leaving each image in the page cache: {bare.Rate:0} tasks/s, {bare.CpuMs:0.00} ms");
    results.Add(("Client overhead: tasks/s vs a bare HttpClient loop saving the same images the same way (2,000 tasks, 256 KB, journal on)", (ours.Rate / durable.Rate).ToString("0.00", CultureInfo.InvariantCulture), ">= 0.85", ours.Rate / durable.Rate >= 0.85));
    results.Add(("Client overhead: processor time per task, bare loop / SeedreamPS (same run)", (durable.CpuMs / ours.CpuMs).ToString("0.00", CultureInfo.InvariantCulture), "(reported)", true));
    results.Add(("Tasks/s vs a bare loop that leaves the images in the page cache (no fsync, so not bounded by this disk's fsync rate)", (ours.Rate / bare.Rate).ToString("0.00", CultureInfo.InvariantCulture), "(reported)", true));
}

// 3. Memory: 50 images of 4096x4096 (16 MB each, like real 4K output) streamed to disk.
if (Runs("memory"))
{
    await sim.ConfigureAsync(new { latencyMs = 0, imagePaddingBytes = 16 * 1024 * 1024 });
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var self = Process.GetCurrentProcess();
    self.Refresh();
    long baseline = self.WorkingSet64;
    long peak = baseline;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            self.Refresh();
            peak = Math.Max(peak, self.WorkingSet64);
            await Task.Delay(5);
        }
    });
    int saved = await Engine.RunAsync(Client(SeedreamGateway.EvoLink), Prompts(50, "4096x4096"), 10, Path.Combine(work, "memory"));
    sampling.Cancel();
    await sampler;
    long bytes = Directory.GetFiles(Path.Combine(work, "memory")).Sum(f => new FileInfo(f).Length);
    double growth = (peak - baseline) / 1048576.0;
    Console.WriteLine($"3. 50 images of 4096x4096: {saved} files, {bytes / 1048576.0:0} MB written; working set {baseline / 1048576.0:0} MB -> peak {peak / 1048576.0:0} MB");
    results.Add(("Peak working-set growth saving 50 4096x4096 images (800 MB)", growth.ToString("0", CultureInfo.InvariantCulture) + " MB", "<= 64 MB", growth <= 64));
}

// 5. A batch of 5 with a year of history in the journal (150,000 images, 600,000 lines) against one with an empty journal.
if (Runs("history"))
{
    await sim.ConfigureAsync(new { latencyMs = 2000, imagePaddingBytes = 0 });
    string history = Path.Combine(work, "history", "journal.jsonl");
    long historyBytes = HistoryJournal.Write(history, 150_000);
    var firstOpen = Stopwatch.StartNew();
    var big = TaskJournal.Open(history);
    int live = big.LiveTaskCount;
    firstOpen.Stop();
    Console.WriteLine($"5. journal with 600,000 lines ({historyBytes / 1048576.0:0} MB): the first opening archived the finished history in {firstOpen.Elapsed.TotalSeconds:0.0} s (once); {live} task(s) stay live");

    async Task<(double Seconds, long Bytes)> BatchOfFive(TaskJournal journal, string folder)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalMemory(true);
        var watch = Stopwatch.StartNew();
        await Engine.RunAsync(Client(SeedreamGateway.EvoLink), Prompts(5), BatchOptions.DefaultThrottleLimit, folder, journal: journal);
        double seconds = watch.Elapsed.TotalSeconds;
        return (seconds, GC.GetTotalMemory(true) - before);
    }
    // A session opens its journal once; each later batch is what a user waits for.
    var empty = await BatchOfFive(TaskJournal.Open(Path.Combine(work, "empty", "journal.jsonl")), Path.Combine(work, "five-empty"));
    var full = await BatchOfFive(TaskJournal.Open(history), Path.Combine(work, "five-full"));
    // A fresh process (a scheduled job) opening the same, now compacted, journal: what it pays to read it.
    var reopen = Stopwatch.StartNew();
    long heapBefore = GC.GetTotalMemory(true);
    var fresh = new TaskJournal(history);
    int stillLive = fresh.LiveTaskCount;
    reopen.Stop();
    long heapAfter = GC.GetTotalMemory(true);
    GC.KeepAlive(fresh);
    double ratio = full.Seconds / empty.Seconds;
    double moreMb = Math.Max(0, full.Bytes - empty.Bytes + (heapAfter - heapBefore)) / 1048576.0;
    Console.WriteLine($"   batch of 5: {empty.Seconds:0.00} s with an empty journal, {full.Seconds:0.00} s with the history; reopening it takes {reopen.Elapsed.TotalMilliseconds:0} ms and holds {stillLive} live task(s)");
    results.Add(("Batch of 5 with a 600,000-line journal / with an empty one (time)", ratio.ToString("0.00", CultureInfo.InvariantCulture), "<= 1.10", ratio <= 1.10));
    results.Add(("Batch of 5 with a 600,000-line journal: memory beyond an empty one", moreMb.ToString("0.0", CultureInfo.InvariantCulture) + " MB", "<= 20 MB", moreMb <= 20));
}

// 8. Streaming: one ModelArk batch of 15 where image i is ready at i x 1 s. Each file is on disk as soon as its image
// arrives (not after all 15); inline delivery needs no download; and 15 inline 4096x4096 images never sit in memory.
if (Runs("stream"))
{
    // When each file reached disk, in seconds from the submit; the simulator's downloads over the run.
    async Task<(List<double> Saved, int Downloads)> StreamBatch(SeedreamRequest request, string folder)
    {
        var saved = new List<double>();
        int before = await sim.CountAsync("image");
        var watch = Stopwatch.StartNew();
        var batch = new ImageBatch(new BatchOptions
        {
            Journal = TaskJournal.Open(Path.Combine(folder, "journal.jsonl")),
            Clients = ClientSet.Of(Client(SeedreamGateway.ModelArk)),
            Save = new SaveOptions { Folder = folder, ExistingFile = ExistingFileAction.Overwrite },
        }, e =>
        {
            if (e.Kind == BatchEventKind.Saved) lock (saved) saved.Add(watch.Elapsed.TotalSeconds);
            else if (e.Error != null) Console.Error.WriteLine($"   {e.Kind}: {e.Error.Message}");
        });
        await batch.SubmitAsync(request, null, null, request);
        batch.Complete();
        await batch.Completion;
        return (saved, await sim.CountAsync("image") - before);
    }
    SeedreamRequest Fifteen(ImageDelivery delivery, string quality = "1K", string? size = null) =>
        new() { Prompt = "a lighthouse in fifteen variations", Model = "4.0", Quality = size == null ? quality : null, Size = size, Count = 15, ImageDelivery = delivery };

    await sim.ConfigureAsync(new { latencyMs = 0, imagePaddingBytes = 0, modelArkImageLatencyMs = 1000 });
    var url = await StreamBatch(Fifteen(ImageDelivery.Url), Path.Combine(work, "stream-url"));
    double first = url.Saved.Min(), last = url.Saved.Max();
    Console.WriteLine($"8. ModelArk stream of 15, image i ready at i x 1 s: first file at {first:0.00} s, last at {last:0.00} s ({url.Saved.Count} files, {url.Downloads} downloads)");
    results.Add(("Stream of 15 (image i at i x 1 s): first file on disk / first image's time (1 s)", first.ToString("0.00", CultureInfo.InvariantCulture), "<= 1.2", first <= 1.2));
    results.Add(("Stream of 15: last file on disk / the batch's time (15 s)", (last / 15).ToString("0.000", CultureInfo.InvariantCulture), "<= 1.05", last / 15 <= 1.05));

    // The same batch answered at once (-NoStream), as before streaming: every file waits for the last image.
    var whole = Fifteen(ImageDelivery.Url);
    whole.NoStream = true;
    var once = await StreamBatch(whole, Path.Combine(work, "stream-none"));
    Console.WriteLine($"   -NoStream: first file at {once.Saved.Min():0.00} s, last at {once.Saved.Max():0.00} s");
    results.Add(("The same batch with -NoStream: first file on disk / first image's time", once.Saved.Min().ToString("0.00", CultureInfo.InvariantCulture), "(reported)", true));

    var inline = await StreamBatch(Fifteen(ImageDelivery.Inline), Path.Combine(work, "stream-inline"));
    Console.WriteLine($"   inline: {inline.Saved.Count} files, {inline.Downloads} image downloads, last at {inline.Saved.Max():0.00} s");
    results.Add(("Stream of 15, inline delivery: image downloads (simulator counter)", inline.Downloads.ToString(CultureInfo.InvariantCulture), "0 (and 15 files)", inline.Downloads == 0 && inline.Saved.Count == 15));

    // Memory: 15 inline images of 4096x4096 (16 MB each, about 21 MB of base64 each on the wire).
    await sim.ConfigureAsync(new { latencyMs = 0, imagePaddingBytes = 16 * 1024 * 1024, modelArkImageLatencyMs = 200 });
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var self = Process.GetCurrentProcess();
    self.Refresh();
    long baseline = self.WorkingSet64, peak = baseline;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            self.Refresh();
            peak = Math.Max(peak, self.WorkingSet64);
            await Task.Delay(5);
        }
    });
    var big = await StreamBatch(Fifteen(ImageDelivery.Inline, size: "4096x4096"), Path.Combine(work, "stream-4k"));
    sampling.Cancel();
    await sampler;
    long bytes = Directory.GetFiles(Path.Combine(work, "stream-4k"), "*.png").Concat(Directory.GetFiles(Path.Combine(work, "stream-4k"), "*.jp*g")).Sum(f => new FileInfo(f).Length);
    double growth = (peak - baseline) / 1048576.0;
    Console.WriteLine($"   15 inline 4096x4096: {big.Saved.Count} files, {bytes / 1048576.0:0} MB written, {big.Downloads} downloads; working set {baseline / 1048576.0:0} MB -> peak {peak / 1048576.0:0} MB");
    results.Add(("Peak working-set growth, 15 inline 4096x4096 images streamed", growth.ToString("0", CultureInfo.InvariantCulture) + " MB", "<= 64 MB", growth <= 64 && big.Saved.Count == 15));
    await sim.ConfigureAsync(new { imagePaddingBytes = 0, modelArkImageLatencyMs = 0 });
}

// 7. A starved thread pool, as on .NET Framework's slowly growing pool: at most two worker threads. Journal fsyncs and
// download fsyncs run on threads of their own, so 40 tasks still take about the generation latency. (Last: it changes
// the pool for the rest of the process.)
async Task<double> StarvedPoolBatch()
{
    ThreadPool.GetMinThreads(out _, out int minIo);
    ThreadPool.SetMinThreads(1, minIo);
    ThreadPool.GetMaxThreads(out _, out int maxIo);
    ThreadPool.SetMaxThreads(Math.Max(2, Environment.ProcessorCount), maxIo);
    await sim.ConfigureAsync(new { latencyMs = 2000, imagePaddingBytes = 0 });
    var watch = Stopwatch.StartNew();
    await Engine.RunAsync(Client(SeedreamGateway.EvoLink), Prompts(40), BatchOptions.DefaultThrottleLimit, Path.Combine(work, "starved"));
    return watch.Elapsed.TotalSeconds;
}

// 6. The real PowerShell pipeline, where pwsh is installed.
if (Runs("pwsh"))
{
    string? pwsh = pwshPath ?? PowerShellPipeline.Find();
    if (pwsh == null)
    {
        Console.WriteLine("6. Import-Csv | New-SeedreamImage | Save-SeedreamImage: SKIPPED - pwsh is not on PATH and no --pwsh was given (./build.sh bench passes the pinned one)");
    }
    else
    {
        await sim.ConfigureAsync(new { latencyMs = 2000, imagePaddingBytes = 0 });
        double seconds = await PowerShellPipeline.RunAsync(pwsh, configuration, sim, 200, Path.Combine(work, "pwsh"));
        Console.WriteLine($"6. Import-Csv | New-SeedreamImage | Save-SeedreamImage, 200 rows, 2 s: {seconds:0.00} s in pwsh ({seconds / wall:0.00} x the engine alone)");
        results.Add(("PowerShell pipeline wall time / generation latency (200 rows, 2 s)", (seconds / 2.0).ToString("0.00", CultureInfo.InvariantCulture), "<= 1.25 (plus pwsh start-up, excluded)", seconds / 2.0 <= 1.25));
    }
}

if (Runs("starved"))
{
    double starved = await StarvedPoolBatch();
    Console.WriteLine($"7. 40 prompts, 2 s, thread pool capped at {Math.Max(2, Environment.ProcessorCount)} worker threads: {starved:0.00} s");
    results.Add(("40-task batch on a starved thread pool / generation latency (journal on)", (starved / 2.0).ToString("0.00", CultureInfo.InvariantCulture), "about 1 (<= 1.5)", starved / 2.0 <= 1.5));
}

Console.WriteLine();
Console.WriteLine("| Measure | Result | Target | Met |");
Console.WriteLine("|---|---|---|---|");
foreach (var r in results) Console.WriteLine($"| {r.Name} | {r.Measured} | {r.Target} | {(r.Met ? "yes" : "NO")} |");
try { Directory.Delete(work, recursive: true); } catch (IOException) { }
return results.All(r => r.Met) ? 0 : 1;

// What a hand-written script does: one prompt at a time, poll every second, then download.
static async Task SequentialScript(SimulatorProcess sim, int count, string folder)
{
    Directory.CreateDirectory(folder);
    using var http = new HttpClient();
    http.DefaultRequestHeaders.Authorization = new("Bearer", sim.ApiKey);
    for (int i = 0; i < count; i++)
    {
        var created = await http.PostAsync(new Uri(sim.EvoLinkUri, "v1/images/generations"), new StringContent($"{{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p{i}\"}}", Encoding.UTF8, "application/json"));
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        JsonElement task;
        do
        {
            await Task.Delay(1000);
            task = JsonDocument.Parse(await http.GetStringAsync(new Uri(sim.EvoLinkUri, "v1/tasks/" + id))).RootElement;
        }
        while (task.GetProperty("status").GetString() != "completed");
        foreach (var url in task.GetProperty("results").EnumerateArray())
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, id + ".png"), await http.GetByteArrayAsync(url.GetString()));
        }
    }
}

// The same requests with nothing around them: create, query until done, stream each image to a file; durable, the
// file is written as a temporary, fsynced and renamed into place, the least a script must do so a crash or a power
// cut leaves no half-written image under the final name.
static async Task BareLoop(SimulatorProcess sim, int count, int workers, string folder, bool durable)
{
    Directory.CreateDirectory(folder);
    using var http = new HttpClient();
    http.DefaultRequestHeaders.Authorization = new("Bearer", sim.ApiKey);
    int next = -1;
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var created = await http.PostAsync(new Uri(sim.EvoLinkUri, "v1/images/generations"), new StringContent($"{{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p{i}\"}}", Encoding.UTF8, "application/json"));
            var task = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
            string id = task.GetProperty("id").GetString()!;
            while (task.GetProperty("status").GetString() != "completed")
            {
                task = JsonDocument.Parse(await http.GetStringAsync(new Uri(sim.EvoLinkUri, "v1/tasks/" + id))).RootElement;
            }
            foreach (var url in task.GetProperty("results").EnumerateArray())
            {
                using var response = await http.GetAsync(url.GetString(), HttpCompletionOption.ResponseHeadersRead);
                string target = Path.Combine(folder, id + ".png");
                string temp = durable ? target + ".partial" : target;
                await using (var file = File.Create(temp))
                {
                    await (await response.Content.ReadAsStreamAsync()).CopyToAsync(file);
                    if (durable) file.Flush(flushToDisk: true);
                }
                if (durable) File.Move(temp, target, overwrite: true);
            }
        }
    }));
}
