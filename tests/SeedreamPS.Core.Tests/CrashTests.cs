using System.Diagnostics;
using SeedreamPS.Core.Journal;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>A batch process (the demo, which runs the engine the cmdlets run) killed mid-create or mid-save and run again
/// with resume: every image saved exactly once, no create twice.</summary>
public class CrashTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public CrashTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
    }

    private static string DemoDll()
    {
        // The test binaries live in tests/SeedreamPS.Core.Tests/bin/<configuration>/net10.0/.
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = testDir.Parent!.Name;
        string root = testDir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "tools", "SeedreamPS.Demo", "bin", configuration, "net10.0", "SeedreamPS.Demo.dll");
    }

    private Process StartBatch(string csv, string output, string journal, bool resume, bool retryUnknown = false, bool modelArk = false, bool inline = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { DemoDll(), "--csv", csv, "--out", output, "--journal", journal, "--throttle", "3",
                     "--base-uri", (modelArk ? _sim.Host.ModelArkUri : _sim.Host.EvoLinkUri).AbsoluteUri, "--api-key", _sim.Host.State.Options.ApiKey,
                     "--gateway", modelArk ? "ModelArk" : "EvoLink" })
        {
            start.ArgumentList.Add(arg);
        }
        if (resume) start.ArgumentList.Add("--resume");
        if (retryUnknown) start.ArgumentList.Add("--retry-unknown");
        if (inline) start.ArgumentList.Add("--inline");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int Lines(string journal, string type)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (!File.Exists(journal)) return 0;
            try
            {
                // The batch holds the journal for a moment while it appends, as another process would.
                using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Split('\n').Count(l => l.Contains($"\"type\":\"{type}\""));
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(5);
            }
        }
    }

    [Fact]
    public async Task A_killed_batch_resumes_without_paying_twice_and_saves_every_image_once()
    {
        using var folder = new TempFolder();
        string csv = folder.File("batch.csv"), output = folder.File("out"), journal = folder.File("journal.jsonl");
        File.WriteAllLines(csv, new[] { "Name,Prompt,Size,Count" }.Concat(Enumerable.Range(0, 6).Select(i => $"r{i},prompt number {i},1280x720,1")));
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromMilliseconds(800);
        // Some downloads are slow, so the kill lands while images are half saved.
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Slow, DelayMs = 8000, Times = 4 } });

        using (var first = StartBatch(csv, output, journal, resume: false))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !(Lines(journal, "created") == 6 && Lines(journal, "saved") >= 1)) await Task.Delay(50);
            Assert.Equal(6, Lines(journal, "created"));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        int savedBeforeCrash = Lines(journal, "saved");
        Assert.InRange(savedBeforeCrash, 1, 5);
        Assert.Equal(6, _sim.Host.State.TaskCount);

        using (var resumed = StartBatch(csv, output, journal, resume: true))
        {
            Assert.True(resumed.WaitForExit(120_000), "the resumed batch did not finish");
            Assert.Equal(0, resumed.ExitCode);
        }

        // Zero duplicate creates: the resumed run reused all six paid tasks.
        Assert.Equal(6, _sim.Host.State.TaskCount);
        Assert.Equal(6, _sim.Host.State.Count("evolink.create"));
        // Every image saved exactly once: one file each, one saved record each, no temporary leftovers.
        var files = Directory.GetFiles(output).Select(Path.GetFileName).OrderBy(n => n).ToArray();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"r{i}-0.png"), files);
        Assert.All(files, f => Assert.Equal((1280, 720), Png.Size(Path.Combine(output, f))));
        var state = new TaskJournal(journal).Load();
        Assert.Equal(6, state.Tasks.Count(t => t.KnownCreated));
        Assert.All(state.Tasks.Where(t => t.KnownCreated), t => Assert.Single(t.Saved));
        Assert.Equal(6, Lines(journal, "saved"));
        Assert.Empty(state.Unsaved);
    }

    [Fact]
    public async Task A_batch_killed_mid_create_holds_what_it_never_heard_back_about_and_pays_nothing_twice()
    {
        using var folder = new TempFolder();
        string csv = folder.File("batch.csv"), output = folder.File("out"), journal = folder.File("journal.jsonl");
        File.WriteAllLines(csv, new[] { "Name,Prompt,Size,Count" }.Concat(Enumerable.Range(0, 6).Select(i => $"r{i},prompt number {i},1280x720,1")));
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromMilliseconds(300);
        // The first three creates (the throttle's worth) hang, so the kill lands while they are in flight.
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.Slow, DelayMs = 20000, Times = 3 } });

        using (var first = StartBatch(csv, output, journal, resume: false))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && Lines(journal, "attempt") < 3) await Task.Delay(50);
            await Task.Delay(300);
            Assert.Equal(3, Lines(journal, "attempt"));
            Assert.Equal(0, Lines(journal, "created"));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        Assert.Equal(0, _sim.Host.State.TaskCount);

        // Resumed: the three it never heard back about are held (they could have been made); the rest are made and saved.
        using (var resumed = StartBatch(csv, output, journal, resume: true))
        {
            Assert.True(resumed.WaitForExit(120_000), "the resumed batch did not finish");
            Assert.Equal(0, resumed.ExitCode);
        }
        Assert.Equal(3, _sim.Host.State.TaskCount);
        Assert.Equal(new[] { "r3-0.png", "r4-0.png", "r5-0.png" }, Directory.GetFiles(output).Select(Path.GetFileName).OrderBy(n => n));

        // Asked to, the held ones are sent again; the saved ones are reused and not fetched again.
        int downloads = _sim.Host.State.Count("image");
        using (var retried = StartBatch(csv, output, journal, resume: true, retryUnknown: true))
        {
            Assert.True(retried.WaitForExit(120_000), "the retried batch did not finish");
            Assert.Equal(0, retried.ExitCode);
        }
        Assert.Equal(6, _sim.Host.State.TaskCount);
        Assert.Equal(3, _sim.Host.State.Count("image") - downloads);
        var files = Directory.GetFiles(output).Select(Path.GetFileName).OrderBy(n => n).ToArray();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"r{i}-0.png"), files);
        Assert.Equal(6, Lines(journal, "saved"));
        Assert.Empty(new TaskJournal(journal).Load().Unsaved);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_killed_mid_stream_resumes_without_creating_it_again_and_keeps_what_was_saved(bool inline)
    {
        using var folder = new TempFolder();
        string csv = folder.File("batch.csv"), output = folder.File("out"), journal = folder.File("journal.jsonl");
        File.WriteAllLines(csv, new[] { "Name,Prompt,Quality,Count", "lighthouse,a lighthouse in eight variations,1K,8" });
        // One streamed batch of 8: image i is made at (i + 1) x 400 ms, so the kill lands with some saved and more to come.
        _sim.Host.State.Options.ModelArkImageLatency = TimeSpan.FromMilliseconds(400);

        using (var first = StartBatch(csv, output, journal, resume: false, modelArk: true, inline: inline))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && Lines(journal, "saved") < 2) await Task.Delay(20);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        Assert.Equal(1, Lines(journal, "created"));
        int arrived = Lines(journal, "image"), savedBeforeCrash = Lines(journal, "saved");
        Assert.InRange(savedBeforeCrash, 2, 7);
        Assert.InRange(arrived, savedBeforeCrash, 7);
        var savedFiles = Directory.GetFiles(output).Where(f => !Path.GetFileName(f).StartsWith(".")).ToDictionary(f => f, File.ReadAllBytes);

        using (var resumed = StartBatch(csv, output, journal, resume: true, modelArk: true, inline: inline))
        {
            Assert.True(resumed.WaitForExit(120_000), "the resumed batch did not finish");
            Assert.Equal(0, resumed.ExitCode);
        }

        // The batch was not created again: one create on the simulator, one created record.
        Assert.Equal(1, _sim.Host.State.Count("modelark.create"));
        Assert.Equal(1, Lines(journal, "created"));
        // Nothing that was saved is lost or saved again; every image that arrived is saved exactly once: an inline one
        // from the file it was decoded to beside the journal, since it has no URL.
        foreach (var (path, bytes) in savedFiles) Assert.Equal(bytes, File.ReadAllBytes(path));
        // (A save the kill cut short may leave its hidden temporary file; it is never taken for an image.)
        var files = Directory.GetFiles(output).Select(Path.GetFileName).Where(n => !n.StartsWith(".")).OrderBy(n => n).ToArray();
        Assert.Equal(Enumerable.Range(0, arrived).Select(i => $"lighthouse-{i}.png"), files);
        if (inline) Assert.Empty(Directory.GetFiles(new TaskJournal(journal).InlineFolder));
        Assert.Equal(arrived, Lines(journal, "saved"));
        var task = Assert.Single(new TaskJournal(journal).Load().Tasks);
        Assert.True(task.Streamed);
        Assert.Equal(arrived, task.Saved.Count);
    }
}
