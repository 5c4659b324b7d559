using System.Diagnostics;
using System.Globalization;

namespace SeedreamPS.Bench;

/// <summary>The real <c>Import-Csv | New-SeedreamImage | Save-SeedreamImage</c> pipeline in pwsh, timed inside pwsh so
/// its start-up is left out.</summary>
internal static class PowerShellPipeline
{
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh"))
            .FirstOrDefault(File.Exists);

    public static async Task<double> RunAsync(string pwsh, string configuration, SimulatorProcess sim, int rows, string folder)
    {
        Directory.CreateDirectory(folder);
        string csv = Path.Combine(folder, "rows.csv");
        File.WriteAllLines(csv, new[] { "Name,Prompt" }.Concat(Enumerable.Range(0, rows).Select(i => $"row{i},benchmark prompt {i}")));
        string module = Path.Combine(SimulatorProcess.RepoRoot(), "out", "SeedreamPS");
        string script = Path.Combine(folder, "run.ps1");
        File.WriteAllText(script, $$"""
            $ErrorActionPreference = 'Stop'
            Import-Module '{{module}}'
            Connect-Seedream -Gateway EvoLink -ApiKey '{{sim.ApiKey}}' -BaseUri '{{sim.EvoLinkUri}}' -JournalPath '{{Path.Combine(folder, "journal.jsonl")}}'
            $elapsed = Measure-Command { Import-Csv '{{csv}}' | New-SeedreamImage | Save-SeedreamImage -Path '{{Path.Combine(folder, "out")}}' -FileName '{Name}.png' | Out-Null }
            [Console]::WriteLine('SECONDS ' + $elapsed.TotalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture))
            """);
        var start = new ProcessStartInfo(pwsh) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-NoProfile", "-NonInteractive", "-File", script }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("SECONDS ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("pwsh printed no time: " + output);
        return double.Parse(line["SECONDS ".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
