using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SeedreamPS.Simulator;

/// <summary>Runs the simulator, from its own process or inside a test process.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
        State = app.Services.GetRequiredService<SimulatorState>();
    }

    /// <summary>Where the simulator listens, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>Base URI of the simulated EvoLink API.</summary>
    public Uri EvoLinkUri => new(BaseUri, "evolink/");

    /// <summary>Base URI of the simulated LinkModel API.</summary>
    public Uri LinkModelUri => new(BaseUri, "linkmodel/api/v1/");

    /// <summary>Base URI of the simulated ModelArk API.</summary>
    public Uri ModelArkUri => new(BaseUri, "modelark/api/v3/");

    /// <summary>Base URI of the simulated BytePlus ModelArk EU address (eu-west; no Seedream 4.0).</summary>
    public Uri ModelArkEuUri => new(BaseUri, "modelark-eu-west/api/v3/");

    /// <summary>Base URI of the simulated Volcengine Ark (cn-beijing; doubao- ids only).</summary>
    public Uri VolcengineUri => new(BaseUri, "volcengine/api/v3/");

    /// <summary>Base URI of the simulated EvoLink files API.</summary>
    public Uri FilesUri => new(BaseUri, "evolink-files/");

    /// <summary>Tasks, counters and faults.</summary>
    public SimulatorState State { get; }

    /// <summary>Starts a simulator bound to <paramref name="url"/> (port 0 picks a free one).</summary>
    public static async Task<SimulatorHost> StartAsync(SimulatorOptions? options = null, string url = "http://127.0.0.1:0", string[]? args = null, bool quiet = true)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? Array.Empty<string>());
        builder.WebHost.UseUrls(url);
        // ModelArk takes up to 10-14 references of up to 30 MB each inline as base64: far past Kestrel's 30 MB default.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 600L * 1024 * 1024);
        builder.Logging.ClearProviders();
        if (!quiet) builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(new SimulatorState(options ?? new SimulatorOptions()));
        builder.Services.AddHostedService<CallbackSender>();

        var app = builder.Build();
        app.UseMiddleware<FaultMiddleware>();
        EvoLinkEndpoints.Map(app);
        LinkModelEndpoints.Map(app);
        ModelArkEndpoints.Map(app);
        FilesEndpoints.Map(app);
        ImageEndpoints.Map(app);
        ControlEndpoints.Map(app);
        await app.StartAsync();

        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>Waits until the host is told to stop (Ctrl+C or SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
