using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>A simulator with its own defaults (files quota 2000, today's EvoLink error shape), for the 2026 contract.</summary>
public sealed class Contract2026Fixture : IAsyncLifetime
{
    public SimulatorHost Host { get; private set; }

    public async Task InitializeAsync() => Host = await SimulatorHost.StartAsync(new SimulatorOptions { GenerationLatency = TimeSpan.Zero });

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public void Reset()
    {
        Host.State.Reset();
        var defaults = new SimulatorOptions();
        var o = Host.State.Options;
        o.GenerationLatency = TimeSpan.Zero;
        o.ModelArkImageLatency = TimeSpan.Zero;
        o.EvoLinkLegacyErrors = defaults.EvoLinkLegacyErrors;
        o.FilesQuota = defaults.FilesQuota;
        o.Balance = defaults.Balance;
    }
}
