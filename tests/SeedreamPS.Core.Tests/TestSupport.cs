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
        o.AllowLoopbackCallbacks = false;
        o.LinkModelResultField = "both";
    }

    public SeedreamClient Client(SeedreamGateway gateway, string key = null, int retries = 3, List<string> trace = null)
    {
        var uri = gateway switch { SeedreamGateway.EvoLink => Host.EvoLinkUri, SeedreamGateway.LinkModel => Host.LinkModelUri, _ => Host.ModelArkUri };
        var connection = new SeedreamConnection(gateway, new SeedreamApiKey(key ?? Host.State.Options.ApiKey), uri)
        {
            Timeout = TimeSpan.FromSeconds(5),
            Retry = new RetryPolicy { MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
            Trace = trace == null ? null : line => { lock (trace) trace.Add(line); },
        };
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
