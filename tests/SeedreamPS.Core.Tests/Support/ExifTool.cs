using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>ExifTool, the reader publishers use, as an independent check of what we embed.</summary>
public static class ExifTool
{
    public static string Path { get; } = new[] { "/usr/bin/exiftool", "/usr/local/bin/exiftool" }.FirstOrDefault(File.Exists);

    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(true); throw new TimeoutException("exiftool did not finish"); }
        Assert.True(process.ExitCode == 0, "exiftool failed: " + stderr.Result);
        return stdout.Result;
    }

    /// <summary>Every tag ExifTool finds, by group:name (-G1), with its warnings.</summary>
    public static Dictionary<string, string> Tags(string file)
    {
        using var doc = JsonDocument.Parse(Run("-j", "-G1", "-a", "-validate", "-warning", "-XMP:all", "-File:all", "-PNG:all", "-JFIF:all", file));
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement[0].EnumerateObject()) tags[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        return tags;
    }
}
