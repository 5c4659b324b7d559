using SeedreamPS.Core.Http;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Creates paced under ModelArk's 500 images a minute, on a clock the test moves.</summary>
public class RateWindowTests
{
    private sealed class Clock
    {
        public DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        public List<TimeSpan> Waits { get; } = new();

        public Task Delay(TimeSpan wait, CancellationToken _)
        {
            Waits.Add(wait);
            Now += wait;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Requests_wait_only_when_the_last_minute_s_images_and_theirs_would_pass_the_limit()
    {
        var clock = new Clock();
        var window = new RateWindow(500, TimeSpan.FromMinutes(1), () => clock.Now, clock.Delay);
        for (int i = 0; i < 33; i++) await window.TakeAsync(15, CancellationToken.None); // 495 images
        Assert.Empty(clock.Waits);
        clock.Now += TimeSpan.FromSeconds(10);
        await window.TakeAsync(5, CancellationToken.None); // 500: still fits
        Assert.Empty(clock.Waits);
        await window.TakeAsync(15, CancellationToken.None); // must wait for the first 15 to leave the window
        Assert.Equal(TimeSpan.FromSeconds(50), Assert.Single(clock.Waits));
    }

    [Fact]
    public async Task The_ModelArk_capability_publishes_the_limit()
    {
        Assert.Equal(500, SeedreamPS.Core.Gateways.GatewayAdapters.For(SeedreamPS.Core.Catalog.SeedreamGateway.ModelArk).Capabilities.ImagesPerMinute);
        Assert.Null(SeedreamPS.Core.Gateways.GatewayAdapters.For(SeedreamPS.Core.Catalog.SeedreamGateway.EvoLink).Capabilities.ImagesPerMinute);
        var clock = new Clock();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var window = new RateWindow(1, TimeSpan.FromMinutes(1), () => clock.Now, (wait, token) => Task.Delay(wait, token));
        await window.TakeAsync(1, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => window.TakeAsync(1, cts.Token));
    }
}
