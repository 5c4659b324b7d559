using System.Buffers.Binary;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>One simulator per test class, over real loopback HTTP; each test starts from a clean state.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public SimulatorHost Host { get; private set; }

    public async Task InitializeAsync() => Host = await SimulatorHost.StartAsync(new SimulatorOptions { GenerationLatency = TimeSpan.FromMilliseconds(300) });

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Clears tasks, faults and counters and restores the default settings.</summary>
    public void Reset()
    {
        Host.State.Reset();
        var o = Host.State.Options;
        o.GenerationLatency = TimeSpan.FromMilliseconds(300);
        o.ImageLifetime = TimeSpan.FromHours(24);
        o.Balance = 1_000_000m;
        o.FilesQuota = 100;
        o.ModelArkEndpoints.Clear();
        o.ModelArkImagesPerMinute = 500;
        o.AllowLoopbackCallbacks = false;
        o.EvoLinkLegacyErrors = false;
        o.ModelArkImageLatency = TimeSpan.Zero;
    }

    /// <summary>A client of the simulator; <paramref name="configure"/> changes the connection before the client is built,
    /// since its settings are frozen from then on.</summary>
    public SeedreamClient Client(SeedreamGateway gateway, string key = null, int retries = 3, List<string> trace = null, Action<SeedreamConnection> configure = null)
    {
        var uri = gateway switch { SeedreamGateway.EvoLink => Host.EvoLinkUri, SeedreamGateway.LinkModel => Host.LinkModelUri, _ => Host.ModelArkUri };
        var connection = new SeedreamConnection(gateway, new SeedreamApiKey(key ?? Host.State.Options.ApiKey), uri)
        {
            Timeout = TimeSpan.FromSeconds(5),
            Retry = new RetryPolicy { MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
            Trace = trace == null ? null : line => { lock (trace) trace.Add(line); },
        };
        configure?.Invoke(connection);
        return new SeedreamClient(connection) { PollSchedule = PollSchedule.Every(TimeSpan.FromMilliseconds(50)) };
    }
}

/// <summary>A fresh folder under the temp directory, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seedreamps-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

public static class Png
{
    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    public static (int Width, int Height) Size(string path)
    {
        byte[] head = new byte[24];
        using (var f = System.IO.File.OpenRead(path)) f.ReadExactly(head);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head[..8]);
        return (BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(20)));
    }
}

public static class Jpeg
{
    /// <summary>Width and height from a JPEG's SOF0 segment (and the file ends in EOI).</summary>
    public static (int Width, int Height) Size(string path)
    {
        byte[] b = System.IO.File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, b[..2]);
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, b[^2..]);
        for (int i = 2; i + 9 < b.Length;)
        {
            Assert.Equal(0xFF, b[i]);
            int length = (b[i + 2] << 8) | b[i + 3];
            if (b[i + 1] == 0xC0) return ((b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]);
            i += 2 + length;
        }
        throw new Xunit.Sdk.XunitException("no SOF0 segment");
    }
}

/// <summary>The repository the tests run in.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SeedreamPS.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }
}

/// <summary>Waits and saves through the shipped engine pieces, for tests that need a finished task or one saved image.</summary>
public static class EngineHelpers
{
    private static readonly string ScratchJournals = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seedreamps-test-journals-" + Environment.ProcessId);

    /// <summary>A journal of its own, for tests that do not look at it.</summary>
    public static SeedreamPS.Core.Journal.TaskJournal ScratchJournal() =>
        new(System.IO.Path.Combine(ScratchJournals, Guid.NewGuid().ToString("N") + ".jsonl"));

    /// <summary>Watches one task with the engine's watcher until it finishes: a TimeoutException when the wait runs out,
    /// the query's own error when it cannot be read. Every state read is reported, the last included.</summary>
    public static async Task<SeedreamPS.Core.Tasks.SeedreamTask> WaitAsync(this SeedreamClient client, SeedreamPS.Core.Tasks.SeedreamTask task,
        TimeSpan? timeout = null, IProgress<SeedreamPS.Core.Tasks.SeedreamTask> progress = null, CancellationToken cancellation = default)
    {
        Exception failure = null;
        bool wasFinished = task.IsFinished;
        await new SeedreamPS.Core.Batch.TaskWatcher(_ => client).WatchAsync(new[] { task }, timeout, e =>
        {
            if (e.Kind == SeedreamPS.Core.Batch.TaskEventKind.Progress || (e.Kind == SeedreamPS.Core.Batch.TaskEventKind.Finished && !wasFinished)) progress?.Report(e.Task);
            else if (e.Kind != SeedreamPS.Core.Batch.TaskEventKind.Finished) failure = e.Error;
        }, cancellation);
        if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return task;
    }

    /// <summary>Runs an <see cref="SeedreamPS.Core.Batch.ImageBatch"/> to its end and returns every event it raised.</summary>
    public static async Task<List<SeedreamPS.Core.Batch.BatchEvent>> RunBatch(SeedreamPS.Core.Batch.BatchOptions options, Action<SeedreamPS.Core.Batch.ImageBatch> feed)
    {
        var events = new List<SeedreamPS.Core.Batch.BatchEvent>();
        options.Journal ??= ScratchJournal();
        var batch = new SeedreamPS.Core.Batch.ImageBatch(options, e => { lock (events) events.Add(e); });
        feed(batch);
        batch.Complete();
        await batch.Completion;
        lock (events) return events.ToList();
    }

    /// <summary>Saves one image through the engine; throws the error the engine reported, if any.</summary>
    public static async Task<SeedreamPS.Core.Storage.SavedImage> SaveImageAsync(SeedreamClient client, SeedreamPS.Core.Storage.SaveOptions save,
        SeedreamPS.Core.Tasks.SeedreamTask task, SeedreamPS.Core.Tasks.SeedreamImage image, SeedreamPS.Core.Journal.TaskJournal journal = null)
    {
        var events = await RunBatch(new SeedreamPS.Core.Batch.BatchOptions { Journal = journal, Clients = ClientSet.Of(client), Save = save }, b => b.AddImage(image, task));
        var e = Assert.Single(events);
        if (e.Error != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Error).Throw();
        return e.Saved;
    }

    /// <summary>Saves every image of a task through the engine; throws the first error the engine reported.</summary>
    public static async Task<List<SeedreamPS.Core.Storage.SavedImage>> SaveTaskAsync(SeedreamClient client, SeedreamPS.Core.Storage.SaveOptions save,
        SeedreamPS.Core.Tasks.SeedreamTask task, SeedreamPS.Core.Journal.TaskJournal journal = null)
    {
        var events = await RunBatch(new SeedreamPS.Core.Batch.BatchOptions { Journal = journal, Clients = ClientSet.Of(client), Save = save }, b => b.Add(task));
        var failed = events.FirstOrDefault(e => e.Error != null);
        if (failed != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.Error).Throw();
        return events.Where(e => e.Saved != null).Select(e => e.Saved).ToList();
    }
}
