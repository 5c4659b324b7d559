using System.Diagnostics;
using Xunit;

namespace SeedreamPS.Core.Tests;

public static class HeadlessBrowser
{
    public static string Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Whether this run is CI's, where the browser is installed on purpose and its absence is a failure.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails the calling test when no browser is installed (reached under CI only: elsewhere the test is skipped).</summary>
    public static void Require() => Assert.True(Path != null, "CI=true: " + BrowserFactAttribute.Missing + " .ci/run installs it.");

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // As the machine's notes say: no sandbox as root, no GPU, and no background connections on a closed network.
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--user-data-dir=" + System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seedreamps-chromium-" + Guid.NewGuid().ToString("N")) })
        {
            start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(true); throw new TimeoutException("the browser did not finish"); }
        return (process.ExitCode, stdout.Result);
    }
}
