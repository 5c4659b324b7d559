using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace SeedreamPS.Bench;

/// <summary>The simulator in its own process, started the way the README says, with its control door.</summary>
internal sealed class SimulatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _control = new();

    private SimulatorProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }
    public Uri EvoLinkUri => new(BaseUri, "evolink/");
    public Uri LinkModelUri => new(BaseUri, "linkmodel/api/v1/");
    public Uri ModelArkUri => new(BaseUri, "modelark/api/v3/");
    public string ApiKey => "seedream-simulator-key";

    public static SimulatorProcess Start(string configuration)
    {
        string root = RepoRoot();
        string dll = Path.Combine(root, "src", "SeedreamPS.Simulator", "bin", configuration, "net10.0", "SeedreamPS.Simulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        string url = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the simulator printed no URL");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new SimulatorProcess(process, new Uri(url.TrimEnd('/') + "/"));
    }

    public async Task ConfigureAsync(object settings)
    {
        (await _control.PostAsJsonAsync(new Uri(BaseUri, "_sim/reset"), new { })).EnsureSuccessStatusCode();
        (await _control.PostAsJsonAsync(new Uri(BaseUri, "_sim/config"), settings)).EnsureSuccessStatusCode();
    }

    public async Task<int> CountAsync(string endpoint)
    {
        var counters = await _control.GetFromJsonAsync<Dictionary<string, int>>(new Uri(BaseUri, "_sim/counters"));
        return counters != null && counters.TryGetValue(endpoint, out int n) ? n : 0;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SeedreamPS.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        _control.Dispose();
    }
}
