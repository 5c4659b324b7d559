using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Get-SeedreamUsage's report: images and spend from the journal, reported where the gateway said, estimated elsewhere.</summary>
public class UsageTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public UsageTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private Task Run(TaskJournal journal, SeedreamGateway gateway, params (string Campaign, int Count)[] rows) =>
        EngineHelpers.RunBatch(new BatchOptions
        {
            Journal = journal,
            Clients = ClientSet.Of(_sim.Client(gateway)),
            Save = new Storage.SaveOptions { Folder = Path.Combine(Path.GetDirectoryName(journal.Path)!, "out"), FileNameTemplate = "{Id}-{Index}.png" },
        }, batch =>
        {
            int i = 0;
            foreach (var row in rows)
            {
                batch.Submit(new SeedreamRequest { Prompt = "p" + i, Count = row.Count, Model = "4.0" }, null,
                    new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase) { ["Campaign"] = row.Campaign, ["Row"] = i++ }, row);
            }
        });

    [Fact]
    public async Task Spend_is_grouped_by_gateway_model_day_or_column_and_says_what_was_reported_and_what_estimated()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        await Run(journal, SeedreamGateway.EvoLink, ("spring", 2), ("spring", 1), ("brand", 1));
        await Run(journal, SeedreamGateway.LinkModel, ("brand", 1));
        var state = journal.Load();

        var byGateway = UsageReport.Build(state.Tasks, "Gateway", null, null).ToDictionary(r => r.Group);
        var evo = byGateway["EvoLink"];
        Assert.Equal((3, 4, 4, 4), (evo.Tasks, evo.ImagesRequested, evo.ImagesMade, evo.ImagesSaved));
        // EvoLink: the catalogue's $0.019 an image for the 4 asked for; its credits as it reported them.
        Assert.Equal(0.076m, evo.CostUsd);
        Assert.Equal("estimated", evo.Basis);
        Assert.True(evo.ReportedCredits > 0);
        // LinkModel: the price it reported when the task was made.
        var link = byGateway["LinkModel"];
        Assert.Equal("reported", link.Basis);
        Assert.True(link.ReportedUsd > 0);
        Assert.Equal(link.ReportedUsd, link.CostUsd);

        var byCampaign = UsageReport.Build(state.Tasks, "Campaign", null, null).ToDictionary(r => r.Group);
        Assert.Equal(3, byCampaign["spring"].ImagesRequested);
        Assert.Equal(2, byCampaign["brand"].Tasks);
        Assert.Equal("mixed", byCampaign["brand"].Basis);

        var today = Assert.Single(UsageReport.Build(state.Tasks, null, null, null));
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), today.Group);
        Assert.Equal(4, today.Tasks);
        Assert.Empty(UsageReport.Build(state.Tasks, "Day", DateTimeOffset.UtcNow.AddHours(1), null));
        Assert.Equal(2, UsageReport.Build(state.Tasks, "Model", null, null).Count);
        Assert.Equal("(none)", Assert.Single(UsageReport.Build(state.Tasks, "NoSuchColumn", null, null)).Group);
    }

    [Fact]
    public async Task Archived_history_counts_when_the_archives_are_read()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        await Run(journal, SeedreamGateway.EvoLink, ("old", 1));
        // A month later the task is history: compaction moves it to an archive.
        var lines = File.ReadAllLines(journal.Path).Select(l => l.Replace(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"), DateTimeOffset.UtcNow.AddDays(-40).ToString("yyyy-MM-dd")));
        File.WriteAllLines(journal.Path, lines);
        var reopened = new TaskJournal(journal.Path);
        Assert.Equal(1, reopened.Compact() > 0 ? 1 : 0);
        Assert.Empty(UsageReport.Build(reopened.Load().Tasks, "Day", null, null));
        var all = UsageReport.Build(reopened.Load(includeArchives: true).Tasks, "Campaign", DateTimeOffset.UtcNow.AddDays(-60), null);
        Assert.Equal(1, Assert.Single(all).Tasks);
    }
}
