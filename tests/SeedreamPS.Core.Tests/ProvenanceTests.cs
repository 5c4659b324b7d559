using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Every saved image can be traced to what made it: its sidecar, or the journal.</summary>
public class ProvenanceTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public ProvenanceTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private async Task<List<BatchEvent>> Save(TempFolder folder, TaskJournal journal, bool sidecar) =>
        await EngineHelpers.RunBatch(new BatchOptions
        {
            Journal = journal,
            Clients = ClientSet.Of(_sim.Client(SeedreamGateway.EvoLink)),
            // Without the embedded packet, as files saved before it existed: what is read back comes from the sidecar or journal.
            Save = new SaveOptions { Folder = folder.File("out"), FileNameTemplate = "{Name}-{Index}.png", Sidecar = sidecar, EmbedMetadata = false },
        }, batch => batch.Submit(new SeedreamRequest { Prompt = "a hero banner", Size = "16:9", Quality = "2K", Count = 2 }, null,
            new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase) { ["Name"] = "hero", ["Campaign"] = "spring" }, "row"));

    [Fact]
    public async Task A_sidecar_beside_each_image_says_what_made_it_and_reads_back()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var events = await Save(folder, journal, sidecar: true);
        var saved = events.Where(e => e.Kind == BatchEventKind.Saved).Select(e => e.Saved).OrderBy(s => s.Path).ToList();
        Assert.Equal(2, saved.Count);
        Assert.Equal(new[] { "hero-0.png", "hero-0.png.json", "hero-1.png", "hero-1.png.json" }, Directory.GetFiles(folder.File("out")).Select(Path.GetFileName).OrderBy(n => n));

        var info = ImageProvenance.Read(saved[1].Path, journal: null);
        Assert.Equal(("sidecar", saved[1].Task.Id, 1, "EvoLink", "doubao-seedream-4.0"), (info.Source, info.TaskId, info.ImageIndex, info.Gateway, info.Model));
        Assert.Equal(("a hero banner", "16:9", "2K"), (info.Prompt, info.Size, info.Quality));
        Assert.Equal("spring", info.Columns["Campaign"]);
        Assert.Equal(saved[1].Length, info.Length);
        Assert.Equal("png", info.Format);
        Assert.NotNull(info.CreatedAt);
        Assert.NotNull(info.SavedAt);
        Assert.Equal(ImageProvenance.CurrentModuleVersion, info.ModuleVersion);
        Assert.DoesNotContain(_sim.Host.State.Options.ApiKey, File.ReadAllText(saved[1].Path + ".json"));
    }

    [Fact]
    public async Task Without_a_sidecar_the_journal_tells_and_an_unknown_file_is_unknown()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var events = await Save(folder, journal, sidecar: false);
        var saved = events.First(e => e.Kind == BatchEventKind.Saved).Saved;
        Assert.False(File.Exists(saved.Path + ".json"));
        var info = ImageProvenance.Read(saved.Path, journal);
        Assert.Equal(("journal", saved.Task.Id, "a hero banner", "hero"), (info.Source, info.TaskId, info.Prompt, info.Columns["Name"]));
        File.WriteAllText(folder.File("stranger.png"), "x");
        Assert.Null(ImageProvenance.Read(folder.File("stranger.png"), journal));
    }

    [Fact]
    public void The_module_version_in_sidecars_is_the_manifest_s()
    {
        string manifest = File.ReadAllText(Path.Combine(Repo.Root, "SeedreamPS.psd1"));
        Assert.Contains("ModuleVersion          = '" + ImageProvenance.CurrentModuleVersion + "'", manifest);
    }
}
