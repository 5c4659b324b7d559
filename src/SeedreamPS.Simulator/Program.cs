using System.Globalization;
using SeedreamPS.Simulator;

// Usage: dotnet run --project src/SeedreamPS.Simulator -- [--urls http://127.0.0.1:0] [--latency-ms 3000]
//        [--image-lifetime-seconds 86400] [--balance 1000000] [--api-key KEY] [--allow-loopback-callbacks]
//        [--modelark-image-latency-ms 1000] [--evolink-legacy-errors]
// The first line of stdout is the bound base URL, so scripts can read it.
var options = new SimulatorOptions();
string url = "http://127.0.0.1:0";
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--urls": url = Next(); break;
        case "--latency-ms": options.GenerationLatency = TimeSpan.FromMilliseconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
        case "--image-lifetime-seconds": options.ImageLifetime = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
        case "--balance": options.Balance = decimal.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--api-key": options.ApiKey = Next(); break;
        case "--modelark-image-latency-ms": options.ModelArkImageLatency = TimeSpan.FromMilliseconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
        case "--evolink-legacy-errors": options.EvoLinkLegacyErrors = true; break;
        case "--image-padding-bytes": options.ImagePaddingBytes = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--allow-loopback-callbacks": options.AllowLoopbackCallbacks = true; break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}");
            return 2;
    }
}

foreach (var part in url.Split(';'))
{
    var host = new Uri(part.Replace("://+", "://localhost").Replace("://*", "://localhost")).Host;
    if (host != "127.0.0.1" && host != "localhost" && host != "[::1]" && host != "::1")
    {
        Console.Error.WriteLine($"The simulator listens on loopback only; '{part}' is not a loopback address.");
        return 2;
    }
}

await using var sim = await SimulatorHost.StartAsync(options, url);
Console.WriteLine(sim.BaseUri.AbsoluteUri.TrimEnd('/'));
Console.Error.WriteLine($"Seedream simulator: EvoLink at {sim.EvoLinkUri}, LinkModel at {sim.LinkModelUri}, ModelArk at {sim.ModelArkUri} (EU {sim.ModelArkEuUri}, Volcengine {sim.VolcengineUri}), files at {sim.FilesUri}; API key '{options.ApiKey}'. Ctrl+C stops it.");
await sim.WaitForShutdownAsync();
return 0;
