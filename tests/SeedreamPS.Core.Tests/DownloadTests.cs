using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Atomic downloads: a file appears whole or not at all.</summary>
public class DownloadTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public DownloadTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private async Task<(SeedreamClient Client, SeedreamTask Task)> Finished(int retries = 3)
    {
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: retries);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1280x720" });
        await client.WaitAsync(task, TimeSpan.FromSeconds(10));
        return (client, task);
    }

    [Fact]
    public async Task A_truncated_body_leaves_no_file_behind()
    {
        var (client, task) = await Finished(retries: 0);
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Truncate } });
        using var folder = new TempFolder();
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.DownloadAsync(task.Images[0], folder.File("a.png")));
        Assert.Equal(DownloadErrorCodes.TruncatedDownload, e.ErrorCode);
        Assert.Contains("broke off", e.Message);
        Assert.Empty(folder.Entries());
        Assert.Null(task.Images[0].Path);
    }

    [Fact]
    public async Task A_truncated_body_is_downloaded_again_whole()
    {
        var (client, task) = await Finished();
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Truncate } });
        using var folder = new TempFolder();
        var saved = await client.DownloadAsync(task.Images[0], folder.File("a.png"));
        Assert.Equal((1280, 720), Png.Size(saved.Path));
        Assert.Equal(new[] { "a.png" }, folder.Entries());
        Assert.Equal(2, _sim.Host.State.Count("image"));
    }

    [Fact]
    public async Task An_expired_url_says_so_and_saves_nothing()
    {
        _sim.Host.State.Options.ImageLifetime = TimeSpan.FromSeconds(-5);
        var (client, task) = await Finished();
        using var folder = new TempFolder();
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.DownloadAsync(task.Images[0], folder.File("a.png")));
        Assert.Equal(403, e.HttpStatus);
        Assert.Equal(DownloadErrorCodes.ImageExpired, e.ErrorCode);
        Assert.Contains("has expired", e.Message);
        Assert.Contains("valid for 24 hours", e.Message);
        Assert.Empty(folder.Entries());
        Assert.Equal(1, _sim.Host.State.Count("image"));
    }

    [Fact]
    public async Task A_body_that_is_not_an_image_is_rejected()
    {
        var (client, _) = await Finished();
        using var folder = new TempFolder();
        var notImage = new SeedreamImage("t", 0, new Uri(_sim.Host.BaseUri, "_sim/counters"), null);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.DownloadAsync(notImage, folder.File("a.png")));
        Assert.Equal(DownloadErrorCodes.NotAnImage, e.ErrorCode);
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task A_download_over_the_cap_is_stopped_and_removed()
    {
        var (client, task) = await Finished();
        using var folder = new TempFolder();
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.DownloadAsync(task.Images[0], folder.File("a.png"), new DownloadOptions { MaxBytes = 100 }));
        Assert.Equal(DownloadErrorCodes.TooLarge, e.ErrorCode);
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task An_existing_file_is_kept_unless_overwrite_is_asked()
    {
        var (client, task) = await Finished();
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a.png"), "mine");
        await Assert.ThrowsAsync<SeedreamPS.Core.Errors.FileExistsException>(() => client.DownloadAsync(task.Images[0], folder.File("a.png")));
        Assert.Equal("mine", File.ReadAllText(folder.File("a.png")));
        Assert.Equal(0, _sim.Host.State.Count("image"));

        await client.DownloadAsync(task.Images[0], folder.File("a.png"), new DownloadOptions { Overwrite = true });
        Assert.Equal((1280, 720), Png.Size(folder.File("a.png")));
        Assert.Equal(new[] { "a.png" }, folder.Entries());
    }

    [Fact]
    public async Task Missing_folders_are_created()
    {
        var (client, task) = await Finished();
        using var folder = new TempFolder();
        var saved = await client.DownloadAsync(task.Images[0], Path.Combine(folder.Path, "a", "b", "c.png"));
        Assert.True(File.Exists(saved.Path));
    }

    [Fact]
    public async Task Plain_http_to_a_non_loopback_host_is_refused()
    {
        var (client, _) = await Finished();
        using var folder = new TempFolder();
        var insecure = new SeedreamImage("t", 0, new Uri("http://cdn.example.com/a.png"), null);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadAsync(insecure, folder.File("a.png")));
        Assert.Contains("must use https://", e.Message);
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task Cancelling_a_download_leaves_no_partial_file()
    {
        var (client, task) = await Finished();
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Slow, DelayMs = 10_000 } });
        using var folder = new TempFolder();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DownloadAsync(task.Images[0], folder.File("a.png"), null, cts.Token));
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task A_temporary_file_left_by_a_killed_process_is_replaced_by_the_next_download_of_its_target()
    {
        var (client, task) = await Finished();
        using var folder = new TempFolder();
        // What a process killed mid-download leaves: its empty claim on the name, and its temporary file.
        File.WriteAllBytes(folder.File("a.png"), Array.Empty<byte>());
        File.WriteAllText(folder.File(".a.png.5f2c9e01ab34.partial"), "half an image from a process that was killed");
        await client.DownloadAsync(task.Images[0], folder.File("a.png"));
        Assert.Equal(new[] { "a.png" }, folder.Entries());
    }

    [Fact]
    public async Task Two_downloads_of_one_target_at_once_each_use_a_temporary_file_of_their_own()
    {
        var (client, task) = await Finished();
        using var folder = new TempFolder();
        using (new FileStream(folder.File(".a.png.partial"), FileMode.Create, FileAccess.Write, FileShare.None))
        {
            // Another writer holds the target's temporary name.
            await client.DownloadAsync(task.Images[0], folder.File("a.png"));
        }
        File.Delete(folder.File(".a.png.partial"));
        Assert.Equal(new[] { "a.png" }, folder.Entries());
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 }, "png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0 }, "jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 0, 0, 0, 0, 0 }, "gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50 }, "webp")]
    [InlineData(new byte[] { 0x42, 0x4D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "bmp")]
    [InlineData(new byte[] { 0x49, 0x49, 0x2A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 }, "tiff")]
    [InlineData(new byte[] { 0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 0, 0, 0, 0, 0 }, "tiff")]
    [InlineData(new byte[] { 0x7B, 0x22, 0x65, 0x72, 0, 0, 0, 0, 0, 0, 0, 0 }, null)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45 }, null)]
    public void Formats_are_recognised_by_magic_numbers(byte[] head, string format) => Assert.Equal(format, ImageFormat.Detect(head, head.Length));

    [Fact]
    public async Task An_image_saved_to_two_folders_is_found_in_the_first_again_and_not_saved_twice()
    {
        // A script that saves each run into ./out and ./archive, run again: both are where the journal says.
        var (client, task) = await Finished();
        using var first = new TempFolder();
        using var second = new TempFolder();
        var journal = EngineHelpers.ScratchJournal();
        BatchOptions Into(TempFolder folder) => new() { Journal = journal, Clients = ClientSet.Of(client), Save = new SaveOptions { Folder = folder.Path } };
        await EngineHelpers.RunBatch(Into(first), b => b.Add(task));
        await EngineHelpers.RunBatch(Into(second), b => b.Add(task));
        int downloads = _sim.Host.State.Count("image");

        var again = await EngineHelpers.RunBatch(Into(first), b => b.Add(task));

        Assert.DoesNotContain(again, e => e.Error != null);
        Assert.True(Assert.Single(again, e => e.Kind == BatchEventKind.Saved).Saved.Skipped);
        Assert.Equal(downloads, _sim.Host.State.Count("image"));
    }
}
