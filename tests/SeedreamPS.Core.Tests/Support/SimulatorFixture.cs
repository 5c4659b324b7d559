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
