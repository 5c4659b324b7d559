using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Nothing paid for is lost in the scripts people really write: two images never share one file name.</summary>
public class NothingLostTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public NothingLostTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private async Task<SeedreamTask> Finished(SeedreamClient client, string prompt, string name = "hero", int count = 1)
    {
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = prompt, Count = count }), TimeSpan.FromSeconds(10));
        task.Context["Name"] = name;
        return task;
    }

    [Fact]
    public async Task Two_images_of_one_batch_never_share_a_name_the_second_is_an_error_naming_both_and_stays_unsaved()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        var tasks = new List<SeedreamTask>();
        for (int i = 0; i < 3; i++)
        {
            var task = await Finished(client, "dup name row " + i);
            await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f" + i, "r", 0), task);
            tasks.Add(task);
        }
        using var folder = new TempFolder();
        var events = await EngineHelpers.RunBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(client), Save = new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}-{Index}{Ext}" } },
            b => { foreach (var t in tasks) b.Add(t); });

        var saved = Assert.Single(events, e => e.Kind == BatchEventKind.Saved);
        var collisions = events.Where(e => e.Error != null).ToList();
        Assert.Equal(2, collisions.Count);
        Assert.All(collisions, e => Assert.Equal(ErrorIds.FileNameCollision, ((ISeedreamError)e.Error).ErrorId));
        foreach (var e in collisions)
        {
            Assert.Contains(saved.Task.Id, e.Error.Message);
            Assert.Contains(e.Task.Id, e.Error.Message);
            Assert.Contains("{Name}-{Index}-{TaskId}{Ext}", e.Error.Message);
            Assert.Contains("Get-SeedreamTask -Unsaved", e.Error.Message);
        }
        Assert.Equal(new[] { "hero-0.png" }, folder.Entries());
        Assert.Equal(collisions.Select(e => e.Task.Id).OrderBy(x => x), journal.UnsavedTasks().Select(t => t.Id).OrderBy(x => x));
    }

    [Fact]
    public async Task NoClobber_keeps_a_file_but_never_passes_off_another_images_file_as_saved()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        using var folder = new TempFolder();
        var first = await Finished(client, "first");
        await EngineHelpers.SaveTaskAsync(client, new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}{Ext}" }, first, journal);
        var second = await Finished(client, "second");
        await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f", "r", 0), second);

        var error = await Assert.ThrowsAsync<SeedreamException>(() => EngineHelpers.SaveTaskAsync(client,
            new SaveOptions { Folder = folder.Path, FileNameTemplate = "{Name}{Ext}", ExistingFile = ExistingFileAction.Skip }, second, journal));
        Assert.Equal(ErrorIds.FileNameCollision, error.ErrorId);
        Assert.Contains(first.Id, error.Message);
        Assert.Contains(second.Id, error.Message);
        Assert.Equal(second.Id, Assert.Single(journal.UnsavedTasks()).Id);
    }

    [Fact]
    public async Task Force_replaces_the_file_and_the_journal_no_longer_counts_the_replaced_image_as_saved()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var journal = EngineHelpers.ScratchJournal();
        using var folder = new TempFolder();
        var first = await Finished(client, "first");
        await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f1", "r", 0), first);
        await EngineHelpers.SaveTaskAsync(client, new SaveOptions { Folder = folder.Path, FileNameTemplate = "same{Ext}" }, first, journal);
        var second = await Finished(client, "second");
        await journal.RecordCreatedAsync(new SeedreamPS.Core.Journal.JournalKey("f2", "r", 0), second);
        await EngineHelpers.SaveTaskAsync(client, new SaveOptions { Folder = folder.Path, FileNameTemplate = "same{Ext}", ExistingFile = ExistingFileAction.Overwrite }, second, journal);

        Assert.Equal(new[] { "same.png" }, folder.Entries());
        Assert.Equal(first.Id, Assert.Single(journal.UnsavedTasks()).Id);
        // A fresh read of the file agrees with the live state.
        Assert.Equal(first.Id, Assert.Single(journal.Load().Unsaved).Id);
    }

    [Fact]
    public async Task A_name_another_download_holds_is_refused_and_a_placeholder_left_by_a_dead_download_is_taken_over()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await Finished(client, "claims");
        using var folder = new TempFolder();
        string target = folder.File("a.png");

        // Another download (here, or in another process) holds the name: its placeholder is locked.
        using (var held = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await Assert.ThrowsAsync<SeedreamPS.Core.Errors.FileExistsException>(() => client.DownloadAsync(task.Images[0], target));
            Assert.Equal(0, new FileInfo(target).Length);
        }

        // A process killed mid-download left its empty placeholder and its temporary file: the next save takes both over.
        File.WriteAllBytes(folder.File(".a.png.0123456789ab.partial"), new byte[10]);
        var result = await client.DownloadAsync(task.Images[0], target);
        Assert.True(result.Length > 0);
        Assert.Equal(new[] { "a.png" }, folder.Entries());
    }

    [Fact]
    public async Task A_failed_download_gives_its_name_back_and_leaves_nothing()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0);
        var task = await Finished(client, "fails");
        using var folder = new TempFolder();
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Truncate, Times = 5 } });
        await Assert.ThrowsAnyAsync<Exception>(() => client.DownloadAsync(task.Images[0], folder.File("a.png")));
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void Shortening_a_long_name_cuts_the_values_from_data_and_keeps_the_templates_text_and_index()
    {
        var task = new SeedreamTask { Id = "task-1", Gateway = SeedreamGateway.EvoLink, Request = new SeedreamRequest { Prompt = "p" } };
        task.Context["Name"] = new string('n', 300);
        task.Context["Title"] = new string('t', 120);
        string folder = Path.Combine(Path.GetTempPath(), "seedream-long");
        string Name(int index) => Path.GetFileName(FileNameTemplate.Resolve(folder, "{Name}_{Title}-v{Index:00}{Ext}", task, new SeedreamImage("task-1", index, new Uri("https://cdn.example.com/r.png"), null)));
        string first = Name(0), second = Name(1);
        Assert.NotEqual(first, second);
        Assert.EndsWith("-v00.png", first);
        Assert.EndsWith("-v01.png", second);
        Assert.Contains("_t", first);
        Assert.True(first.Length <= FileNameTemplate.MaxSegmentLength, first.Length.ToString());
        // The longest value gives way first.
        Assert.StartsWith(new string('n', 50), first);
    }

    [Theory]
    [InlineData("{Name}-{Index}{Ext}", "{Name}-{Index}-{TaskId}{Ext}")]
    [InlineData("{Name}.png", "{Name}-{TaskId}.png")]
    [InlineData("{TaskId}.png", "{TaskId}-{Index}.png")]
    [InlineData("{Name}", "{Name}-{TaskId}")]
    public void A_collision_suggests_a_template_with_the_task_id(string template, string suggested) =>
        Assert.Equal(suggested, ImageBatch.SuggestedTemplate(template));
}
