using System.Text;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Session;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Bad inputs across the cmdlets, each with the error a user sees. Every failure detectable before sending is
/// shown to send nothing. The table docs/bad-inputs.md is generated from these cases; set SEEDREAMPS_UPDATE_DOCS=1 to
/// rewrite it after a change.</summary>
public class BadInputTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public BadInputTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    /// <param name="Where">The cmdlet and parameter (or record) the input goes to.</param>
    /// <param name="Input">The bad input.</param>
    /// <param name="Mention">A word the message must contain: the parameter or the rule.</param>
    /// <param name="Sends">How many requests the case may send (0 for everything caught before sending).</param>
    public sealed record Case(string Where, string Input, string Mention, int Sends, Func<Context, Task> Act);

    public sealed class Context(SimulatorFixture sim, TempFolder folder, Func<int> total)
    {
        public SimulatorFixture Sim { get; } = sim;
        public TempFolder Folder { get; } = folder;

        /// <summary>Requests counted before the bad input itself (set up work such as making a finished task).</summary>
        public int Baseline { get; private set; } = total();
        public SeedreamClient Evo => Sim.Client(SeedreamGateway.EvoLink, retries: 0);
        public SeedreamClient Link => Sim.Client(SeedreamGateway.LinkModel, retries: 0);
        public Task Create(SeedreamGateway gateway, Action<SeedreamRequest> change)
        {
            var request = new SeedreamRequest { Prompt = "a lighthouse", Model = gateway == SeedreamGateway.EvoLink ? "doubao-seedream-4.0" : "seedream-4.0" };
            change(request);
            return (gateway == SeedreamGateway.EvoLink ? Evo : Link).CreateTaskAsync(request);
        }

        public async Task<SeedreamTask> Finished()
        {
            var client = Sim.Client(SeedreamGateway.EvoLink);
            var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1280x720" }), TimeSpan.FromSeconds(10));
            Baseline = total();
            return task;
        }
    }

    private static Task Rule(string message) => message == null ? Task.CompletedTask : Task.FromException(new ArgumentException(message));

    private static Func<Context, Task> Evo(Action<SeedreamRequest> change) => c => c.Create(SeedreamGateway.EvoLink, change);
    private static Func<Context, Task> Link(Action<SeedreamRequest> change) => c => c.Create(SeedreamGateway.LinkModel, change);
    private static List<string> Refs(int n) => Enumerable.Range(1, n).Select(i => $"https://example.com/{i}.png").ToList();
    private static SessionStore Env(params (string, string)[] vars) => new(name => vars.FirstOrDefault(v => v.Item1 == name).Item2);

    public static readonly Case[] Cases =
    {
        new("New-SeedreamImage -Prompt", "empty string", "Prompt", 0, Evo(r => r.Prompt = "")),
        new("New-SeedreamImage -Prompt", "only white space", "Prompt", 0, Evo(r => r.Prompt = "  \t ")),
        new("New-SeedreamImage -Prompt", "2,001 characters on EvoLink", "at most 2000", 0, Evo(r => r.Prompt = new string('a', 2001))),
        new("New-SeedreamImage -Prompt", "5,001 characters on LinkModel seedream-4.5", "5000", 0, Link(r => { r.Model = "seedream-4.5"; r.Prompt = new string('a', 5001); })),
        new("New-SeedreamImage -Count", "0", "Count", 0, Evo(r => r.Count = 0)),
        new("New-SeedreamImage -Count", "16", "Count", 0, Evo(r => r.Count = 16)),
        new("New-SeedreamImage -Count", "-1", "Count", 0, Evo(r => r.Count = -1)),
        new("New-SeedreamImage -Count", "11 with 5 reference images (refs + count > 15)", "at most 15", 0, Evo(r => { r.Count = 11; r.ReferenceImages = Refs(5); })),
        new("New-SeedreamImage -ReferenceImage", "15 URLs on EvoLink", "at most 14", 0, Evo(r => r.ReferenceImages = Refs(15))),
        new("New-SeedreamImage -ReferenceImage", "11 URLs on LinkModel seedream-4.0", "at most 10", 0, Link(r => r.ReferenceImages = Refs(11))),
        new("New-SeedreamImage -ReferenceImage", "11 URLs on doubao-seedream-5.0-pro", "at most 10", 0, Evo(r => { r.Model = "5.0-pro"; r.ReferenceImages = Refs(11); })),
        new("New-SeedreamImage -Quality", "3K on doubao-seedream-5.0-pro", "Quality '3K'", 0, Evo(r => { r.Model = "5.0-pro"; r.Quality = "3K"; })),
        new("New-SeedreamImage -Background", "Transparent on doubao-seedream-4.0", "Background is not supported", 0, Evo(r => r.Background = "transparent")),
        new("New-SeedreamImage -Background", "Transparent on 5.0 Pro without a reference image", "exactly one reference image", 0, Evo(r => { r.Model = "5.0-pro"; r.Background = "transparent"; })),
        new("New-SeedreamImage -ReferenceImage", "not a URL nor a file", "ReferenceImage", 0, Evo(r => r.ReferenceImages = new List<string> { "logo dot png" })),
        new("New-SeedreamImage -ReferenceImage", "ftp:// URL", "http(s)", 0, Evo(r => r.ReferenceImages = new List<string> { "ftp://example.com/a.png" })),
        new("New-SeedreamImage -ReferenceImage", "a local file that is not an image", "not an image", 0, async c => { File.WriteAllText(c.Folder.File("notes.png"), "not a picture at all"); await c.Create(SeedreamGateway.EvoLink, r => r.ReferenceImages = new List<string> { c.Folder.File("notes.png") }); }),
        new("New-SeedreamImage -ReferenceImage", "an 11 MB local file", "10 MB", 0, async c => { var b = new byte[11 << 20]; TinyImages.Png(640, 480).CopyTo(b, 0); File.WriteAllBytes(c.Folder.File("big.png"), b); await c.Create(SeedreamGateway.EvoLink, r => r.ReferenceImages = new List<string> { c.Folder.File("big.png") }); }),
        new("New-SeedreamImage -ReferenceImage", "a 10x10 local image", "14 pixels", 0, async c => { File.WriteAllBytes(c.Folder.File("tiny.png"), TinyImages.Png(10, 10)); await c.Create(SeedreamGateway.EvoLink, r => r.ReferenceImages = new List<string> { c.Folder.File("tiny.png") }); }),
        new("New-SeedreamImage -ReferenceImage", "a 2000x100 local image (aspect 1:20)", "1/16", 0, async c => { File.WriteAllBytes(c.Folder.File("strip.png"), TinyImages.Png(2000, 100)); await c.Create(SeedreamGateway.EvoLink, r => r.ReferenceImages = new List<string> { c.Folder.File("strip.png") }); }),
        new("New-SeedreamImage -ReferenceImage", "a 6001x6000 local image", "6000x6000", 0, async c => { File.WriteAllBytes(c.Folder.File("huge.png"), TinyImages.Png(6001, 6000)); await c.Create(SeedreamGateway.EvoLink, r => r.ReferenceImages = new List<string> { c.Folder.File("huge.png") }); }),
        new("New-SeedreamImage -ReferenceImage", "a BMP file on EvoLink (its files API takes JPEG, PNG, GIF, WebP)", "EvoLink", 0, async c => { File.WriteAllBytes(c.Folder.File("scan.bmp"), TinyImages.Bmp(800, 600)); await c.Create(SeedreamGateway.EvoLink, r => r.ReferenceImages = new List<string> { c.Folder.File("scan.bmp") }); }),
        new("New-SeedreamImage -ReferenceImage", "a missing local file", "existing file", 0, c => c.Create(SeedreamGateway.EvoLink, r => r.ReferenceImages = new List<string> { c.Folder.File("missing.png") })),
        new("New-SeedreamImage -ReferenceImage", "a local file on LinkModel", "URLs", 0, async c => { File.WriteAllBytes(c.Folder.File("logo.png"), TinyImages.Png(640, 480)); await c.Create(SeedreamGateway.LinkModel, r => r.ReferenceImages = new List<string> { c.Folder.File("logo.png") }); }),
        new("New-SeedreamImage -Quality", "1K on doubao-seedream-4.5", "Quality '1K'", 0, Evo(r => { r.Model = "doubao-seedream-4.5"; r.Quality = "1K"; })),
        new("New-SeedreamImage -Quality", "1K on doubao-seedream-5.0-lite", "Quality '1K'", 0, Evo(r => { r.Model = "5.0"; r.Quality = "1K"; })),
        new("New-SeedreamImage -Quality", "3K on doubao-seedream-4.0", "Quality '3K'", 0, Evo(r => r.Quality = "3K")),
        new("New-SeedreamImage -Quality", "1K on LinkModel seedream-4.5", "Quality '1K'", 0, Link(r => { r.Model = "seedream-4.5"; r.Quality = "1K"; })),
        new("New-SeedreamImage -Quality (attribute)", "8K", "Quality", 0, c => Rule(ParameterRules.CheckChoice("Quality", "8K", ModelCatalog.AllQualities))),
        new("New-SeedreamImage -Size", "100x100", "Size", 0, Evo(r => r.Size = "100x100")),
        new("New-SeedreamImage -Size", "5000x5000", "Size", 0, Evo(r => r.Size = "5000x5000")),
        new("New-SeedreamImage -Size", "1:20 (aspect ratio not offered)", "Size", 0, Evo(r => r.Size = "1:20")),
        new("New-SeedreamImage -Size", "4113x257 (aspect over 16)", "1/16", 0, Evo(r => r.Size = "4113x257")),
        new("New-SeedreamImage -Size", "257x4113 (aspect under 1/16)", "1/16", 0, Evo(r => r.Size = "257x4113")),
        new("New-SeedreamImage -Size", "widescreen", "Size", 0, Evo(r => r.Size = "widescreen")),
        new("New-SeedreamImage -Size", "0x0", "Size", 0, Evo(r => r.Size = "0x0")),
        new("New-SeedreamImage -Size", "1279x720 on doubao-seedream-4.0", "921,600", 0, Evo(r => r.Size = "1279x720")),
        new("New-SeedreamImage -Size", "2559x1440 on doubao-seedream-4.5", "3,686,400", 0, Evo(r => { r.Model = "4.5"; r.Size = "2559x1440"; })),
        new("New-SeedreamImage -Size", "4097x4096 on doubao-seedream-5.0-lite", "16,777,216", 0, Evo(r => { r.Model = "5.0"; r.Size = "4097x4096"; })),
        new("New-SeedreamImage -Size", "auto on LinkModel", "Size", 0, Link(r => r.Size = "auto")),
        new("New-SeedreamImage -Size", "4:5 on LinkModel", "Size", 0, Link(r => r.Size = "4:5")),
        new("New-SeedreamImage -Size", "2048x2048 on LinkModel", "ratio", 0, Link(r => r.Size = "2048x2048")),
        new("New-SeedreamImage -Size (attribute)", "1:20", "Size", 0, c => Rule(ParameterRules.CheckSize("1:20"))),
        new("New-SeedreamImage -Size (attribute)", "100x100", "Size", 0, c => Rule(ParameterRules.CheckSize("100x100"))),
        new("New-SeedreamImage -Model", "dall-e-3", "Model", 0, Evo(r => r.Model = "dall-e-3")),
        new("New-SeedreamImage -Model", "5.0 on LinkModel", "Model", 0, Link(r => r.Model = "5.0")),
        new("New-SeedreamImage -PromptPriority", "fast on doubao-seedream-4.5", "PromptPriority", 0, Evo(r => { r.Model = "4.5"; r.PromptPriority = "fast"; })),
        new("New-SeedreamImage -PromptPriority", "fast on doubao-seedream-5.0-lite", "PromptPriority", 0, Evo(r => { r.Model = "5.0"; r.PromptPriority = "fast"; })),
        new("New-SeedreamImage -PromptPriority", "standard on LinkModel", "PromptPriority", 0, Link(r => r.PromptPriority = "standard")),
        new("New-SeedreamImage -PromptPriority (attribute)", "turbo", "PromptPriority", 0, c => Rule(ParameterRules.CheckChoice("PromptPriority", "turbo", ModelCatalog.AllPromptPriorities))),
        new("New-SeedreamImage -CallbackUri", "http://hooks.example.com/cb", "https", 0, Evo(r => r.CallbackUrl = "http://hooks.example.com/cb")),
        new("New-SeedreamImage -CallbackUri", "ftp://hooks.example.com/cb", "https", 0, Evo(r => r.CallbackUrl = "ftp://hooks.example.com/cb")),
        new("New-SeedreamImage -CallbackUri", "https://127.0.0.1/cb", "loopback", 0, Evo(r => r.CallbackUrl = "https://127.0.0.1/cb")),
        new("New-SeedreamImage -CallbackUri", "https://localhost/cb", "localhost", 0, Evo(r => r.CallbackUrl = "https://localhost/cb")),
        new("New-SeedreamImage -CallbackUri", "https://10.0.0.8/cb", "private", 0, Evo(r => r.CallbackUrl = "https://10.0.0.8/cb")),
        new("New-SeedreamImage -CallbackUri", "https://172.16.4.4/cb", "private", 0, Evo(r => r.CallbackUrl = "https://172.16.4.4/cb")),
        new("New-SeedreamImage -CallbackUri", "https://192.168.0.10/cb", "private", 0, Evo(r => r.CallbackUrl = "https://192.168.0.10/cb")),
        new("New-SeedreamImage -CallbackUri", "https://169.254.169.254/ (cloud metadata)", "link-local", 0, Evo(r => r.CallbackUrl = "https://169.254.169.254/")),
        new("New-SeedreamImage -CallbackUri", "https://[::1]/cb", "loopback", 0, Evo(r => r.CallbackUrl = "https://[::1]/cb")),
        new("New-SeedreamImage -CallbackUri", "https://[fe80::1]/cb", "link-local", 0, Evo(r => r.CallbackUrl = "https://[fe80::1]/cb")),
        new("New-SeedreamImage -CallbackUri", "https://[fd00::5]/cb", "private", 0, Evo(r => r.CallbackUrl = "https://[fd00::5]/cb")),
        new("New-SeedreamImage -CallbackUri", "https://[::ffff:127.0.0.1]/cb (IPv4-mapped)", "loopback", 0, Evo(r => r.CallbackUrl = "https://[::ffff:127.0.0.1]/cb")),
        new("New-SeedreamImage -CallbackUri", "https://2130706433/cb (decimal IPv4)", "loopback", 0, Evo(r => r.CallbackUrl = "https://2130706433/cb")),
        new("New-SeedreamImage -CallbackUri", "https://0x7f000001/cb (hex IPv4)", "loopback", 0, Evo(r => r.CallbackUrl = "https://0x7f000001/cb")),
        new("New-SeedreamImage -CallbackUri", "https://0177.0.0.1/cb (octal IPv4)", "loopback", 0, Evo(r => r.CallbackUrl = "https://0177.0.0.1/cb")),
        new("New-SeedreamImage -CallbackUri", "https://0.0.0.0/cb", "unspecified", 0, Evo(r => r.CallbackUrl = "https://0.0.0.0/cb")),
        new("New-SeedreamImage -CallbackUri", "2,049 characters", "2048", 0, Evo(r => r.CallbackUrl = "https://hooks.example.com/" + new string('a', 2049 - 26))),
        new("New-SeedreamImage -CallbackUri", "any callback on LinkModel", "LinkModel", 0, Link(r => r.CallbackUrl = "https://hooks.example.com/cb")),
        new("New-SeedreamImage -CallbackUri (attribute)", "https://192.168.1.1/cb", "CallbackUri", 0, c => Rule(ParameterRules.CheckCallback("https://192.168.1.1/cb"))),
        new("Connect-Seedream / any API cmdlet", "no -ApiKey, no Connect-Seedream, no SEEDREAM_API_KEY", "SEEDREAM_API_KEY", 0, c => Task.FromResult(Env().Resolve(null, null))),
        new("SEEDREAM_GATEWAY", "Midjourney", "not a gateway", 0, c => Task.FromResult(Env(("SEEDREAM_API_KEY", "k"), ("SEEDREAM_GATEWAY", "Midjourney")).Resolve(null, null))),
        new("SEEDREAM_BASE_URI", "api.evolink.ai (not absolute)", "absolute", 0, c => Task.FromResult(Env(("SEEDREAM_API_KEY", "k"), ("SEEDREAM_BASE_URI", "api.evolink.ai")).Resolve(null, null))),
        new("Connect-Seedream -BaseUri", "http://api.evolink.ai (plain HTTP)", "https://", 0, c => Task.FromResult(Env().Create(new ConnectionSettings { ApiKey = new SeedreamApiKey("k"), BaseUri = new Uri("http://api.evolink.ai") }))),
        new("Get-SeedreamTask -Id", "../../admin on EvoLink", "Id", 0, c => c.Evo.GetTaskAsync("../../admin")),
        new("Get-SeedreamTask -Id", "../query?task_id=x on LinkModel (not an id's characters)", "letters, digits", 0, c => c.Link.GetTaskAsync("../query?task_id=x")),
        new("Get-SeedreamTask -Id", "empty", "Id", 0, c => c.Evo.GetTaskAsync("")),
        new("Get-SeedreamTask -Id", "task-unified-1-nothere (no such task)", "not found", 1, c => c.Evo.GetTaskAsync("task-unified-1-nothere")),
        new("Get-SeedreamTask -Id", "a LinkModel UUID that does not exist", "task not found", 1, c => c.Link.GetTaskAsync("00000000-0000-0000-0000-000000000000")),
        new("-ApiKey", "a wrong key on EvoLink", "401", 1, c => c.Sim.Client(SeedreamGateway.EvoLink, key: "wrong-key").CreateTaskAsync(new SeedreamRequest { Prompt = "p" })),
        new("-ApiKey", "a wrong key on LinkModel", "invalid api key", 1, c => c.Sim.Client(SeedreamGateway.LinkModel, key: "wrong-key").CreateTaskAsync(new SeedreamRequest { Prompt = "p" })),
        new("Save-SeedreamImage -FileName", "{Title}.png (unknown token)", "{Title}", 0, async c => FileNameTemplate.Resolve(c.Folder.Path, "{Title}.png", await c.Finished(), null)),
        new("Save-SeedreamImage -FileName", "../out.png", "outside the target folder", 0, async c => FileNameTemplate.Resolve(c.Folder.Path, "../out.png", await c.Finished(), null)),
        new("Save-SeedreamImage -FileName", "/etc/cron.d/x (absolute)", "outside the target folder", 0, async c => FileNameTemplate.Resolve(c.Folder.Path, "/etc/cron.d/x", await c.Finished(), null)),
        new("Save-SeedreamImage -Path", "a folder below an existing file (unwritable)", "output folder", 0, async c =>
        {
            var task = await c.Finished();
            File.WriteAllText(c.Folder.File("blocker"), "x");
            await EngineHelpers.SaveImageAsync(c.Evo, new SaveOptions { Folder = Path.Combine(c.Folder.File("blocker"), "sub") }, task, task.Images[0]);
        }),
        new("Save-SeedreamImage (existing file)", "a.png already there, no -Force", "-Force", 0, async c =>
        {
            var task = await c.Finished();
            File.WriteAllText(c.Folder.File("a.png"), "mine");
            await EngineHelpers.SaveImageAsync(c.Evo, new SaveOptions { Folder = c.Folder.Path, FileNameTemplate = "a.png" }, task, task.Images[0]);
        }),
        new("Save-SeedreamImage -MaxBytes", "100 (the image is larger)", "cap", 1, async c =>
        {
            var task = await c.Finished();
            await EngineHelpers.SaveImageAsync(c.Evo, new SaveOptions { Folder = c.Folder.Path, MaxBytes = 100 }, task, task.Images[0]);
        }),
        new("Save-SeedreamImage (URL)", "a URL that serves JSON, not an image", "not an image", 1, c =>
            c.Evo.DownloadAsync(new SeedreamImage(null, 0, new Uri(c.Sim.Host.BaseUri, "_sim/counters"), null), c.Folder.File("x.png"))),
        new("Save-SeedreamImage (URL)", "http://cdn.example.com/a.png (plain HTTP)", "https://", 0, c =>
            c.Evo.DownloadAsync(new SeedreamImage(null, 0, new Uri("http://cdn.example.com/a.png"), null), c.Folder.File("x.png"))),
        new("Save-SeedreamImage (task)", "an image URL past its expiry", "expire", 1, async c =>
        {
            c.Sim.Host.State.Options.ImageLifetime = TimeSpan.FromSeconds(-5);
            var task = await c.Finished();
            await c.Evo.DownloadAsync(task.Images[0], c.Folder.File("x.png"));
        }),
    };

    public static IEnumerable<object[]> CaseIndexes() => Enumerable.Range(0, Cases.Length).Select(i => new object[] { i });

    [Fact]
    public void There_are_at_least_sixty_cases() => Assert.True(Cases.Length >= 60, $"only {Cases.Length} cases");

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public async Task Each_bad_input_is_a_clear_error_and_sends_only_what_it_must(int index)
    {
        var c = Cases[index];
        string message = await Run(c);
        Assert.False(string.IsNullOrWhiteSpace(message), $"{c.Where} {c.Input}: no error");
        Assert.Contains(c.Mention, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_sim.Host.State.Options.ApiKey, message);
    }

    [Fact]
    public async Task The_table_in_docs_matches_the_cases()
    {
        var table = new StringBuilder();
        table.AppendLine("# Bad inputs and the errors they give");
        table.AppendLine();
        table.AppendLine("Generated by `tests/SeedreamPS.Core.Tests/BadInputTests.cs` (run the tests with `SEEDREAMPS_UPDATE_DOCS=1` to");
        table.AppendLine("rewrite it). \"Requests sent\" is what the simulator counted: 0 means the input was refused before anything");
        table.AppendLine("left the machine, so it cost nothing. Cases marked *(attribute)* are refused by the parameter attribute at");
        table.AppendLine("binding; the rest by `SeedreamPS.Core` with the model known, or by the gateway.");
        table.AppendLine();
        table.AppendLine("| # | Where | Bad input | Requests sent | Error message |");
        table.AppendLine("|---|---|---|---|---|");
        for (int i = 0; i < Cases.Length; i++)
        {
            _sim.Reset();
            _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
            string message = Normalise(await Run(Cases[i]));
            table.AppendLine($"| {i + 1} | {Cases[i].Where} | {Cases[i].Input} | {Cases[i].Sends} | {message.Replace("|", "\\|")} |");
        }
        string path = Path.Combine(Repo.Root, "docs", "bad-inputs.md");
        string generated = table.ToString().Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("SEEDREAMPS_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }
        Assert.True(File.Exists(path), "docs/bad-inputs.md is missing; run the tests with SEEDREAMPS_UPDATE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(path).Replace("\r\n", "\n"));
    }

    // Runs a case, checks what reached the simulator, and returns the message the user would see.
    private async Task<string> Run(Case c)
    {
        using var folder = new TempFolder();
        var context = new Context(_sim, folder, Total);
        string message = null;
        try
        {
            await c.Act(context);
        }
        catch (Exception e) when (e is SeedreamPS.Core.Errors.ISeedreamError || e is ArgumentException || e is IOException || e is UnauthorizedAccessException)
        {
            message = e.Message;
        }
        int sent = Total() - context.Baseline;
        Assert.True(sent <= c.Sends, $"{c.Where} {c.Input}: {sent} request(s) reached the simulator, expected at most {c.Sends}");
        if (c.Sends == 0) Assert.Equal(0, sent);
        Assert.DoesNotContain(folder.Entries(), e => e.EndsWith(".partial", StringComparison.Ordinal));
        return message;
    }

    private int Total() => _sim.Host.State.Counters.Where(kv => kv.Key != "image.authorized").Sum(kv => kv.Value);

    // Ports, task ids, temporary folders and generated file sizes change from run to run.
    private static string Normalise(string message) =>
        Regex.Replace(Regex.Replace(Regex.Replace(Regex.Replace(message ?? "(no error)", @"\(\d[\d,]* bytes\)", "(N bytes)"), @"http://127\.0\.0\.1:\d+", "http://127.0.0.1:PORT"),
            @"task-unified-\d+-[0-9a-f]{8}", "task-unified-…"), Regex.Escape(Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar)) + @"[^\s']*", "<folder>");
}
