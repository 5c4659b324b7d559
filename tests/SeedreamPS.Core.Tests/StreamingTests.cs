using System.Text;
using System.Text.Json;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>ModelArk streaming and inline images through the one engine, against the simulator. Order is proven from the
/// simulator's own record of each batch (what it had sent when each file was written), never from timings.</summary>
public class StreamingTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public StreamingTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
    }

    private static SeedreamRequest Request(int count, string model = "4.0", bool noStream = false, ImageDelivery delivery = ImageDelivery.Url) =>
        new() { Prompt = "a lighthouse, " + count + " variations", Model = model, Count = count, Quality = "1K", NoStream = noStream, ImageDelivery = delivery };

    private static SeedreamRequest Request45(int count) => new() { Prompt = "a lighthouse", Model = "4.5", Count = count, Quality = "2K" };

    private BatchOptions Options(TempFolder folder, TaskJournal journal = null, bool resume = false) => new()
    {
        Journal = journal ?? EngineHelpers.ScratchJournal(),
        Clients = ClientSet.Of(_sim.Client(SeedreamGateway.ModelArk)),
        Resume = resume,
        Save = new SaveOptions { Folder = folder.Path, FileNameTemplate = "{TaskId}-{Index}{Ext}" },
    };

    // A batch that receives inline images and saves none, as a process that ended before saving leaves them.
    private Task<List<BatchEvent>> ReceiveInlineWithoutSaving(TaskJournal journal, int count, bool noStream = false) =>
        EngineHelpers.RunBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(_sim.Client(SeedreamGateway.ModelArk)), Wait = true },
            b => b.Submit(Request(count, noStream: noStream, delivery: ImageDelivery.Inline), null, null, "row"));

    private int Counter(string name) => _sim.Host.State.Counters.TryGetValue(name, out int n) ? n : 0;

    private static readonly HttpClient Http = new();

    // The simulator's own record of each ModelArk batch (GET /_sim/batches): streamed or not, outcome, images sent.
    private (bool Streamed, string Outcome, int Sent) OnlyBatch()
    {
        string json = Http.GetStringAsync(new Uri(_sim.Host.BaseUri, "_sim/batches")).GetAwaiter().GetResult();
        using var doc = JsonDocument.Parse(json);
        var batch = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        return (batch.GetProperty("streamed").GetBoolean(), batch.GetProperty("outcome").GetString(), batch.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public void Streaming_is_catalogue_data_4_0_4_5_and_5_0_lite_on_ModelArk_not_5_0_Pro()
    {
        var ark = ModelCatalog.ForGateway(SeedreamGateway.ModelArk).ToDictionary(m => m.Version, m => m.SupportsStreaming);
        Assert.True(ark["4.0"] && ark["4.5"] && ark["5.0"]);
        Assert.False(ark["5.0-pro"]);
        Assert.DoesNotContain(ModelCatalog.Models.Where(m => m.Gateway != SeedreamGateway.ModelArk), m => m.SupportsStreaming || m.SupportsInlineImages);
    }

    [Fact]
    public async Task Streamed_images_are_saved_one_by_one_in_arrival_order_before_the_batch_ends()
    {
        // A second an image: the first file (download, fsyncs, journal) has four seconds to land on a loaded machine.
        _sim.Host.State.Options.ModelArkImageLatency = TimeSpan.FromSeconds(1);
        using var folder = new TempFolder();
        // What the simulator had sent when each file reached disk: its own record of the batch, read at that moment.
        var sentWhenSaved = new List<(int Index, int Sent, string Outcome)>();
        var options = Options(folder);
        var events = new List<BatchEvent>();
        var batch = new ImageBatch(options, e =>
        {
            lock (events) events.Add(e);
            if (e.Kind == BatchEventKind.Saved)
            {
                var record = OnlyBatch();
                lock (sentWhenSaved) sentWhenSaved.Add((e.Saved.Image.Index, record.Sent, record.Outcome));
            }
        });
        batch.Submit(Request(5), null, null, "row");
        batch.Complete();
        await batch.Completion;

        Assert.True(OnlyBatch().Streamed);
        Assert.Equal("completed", OnlyBatch().Outcome);
        Assert.Equal(1, Counter("modelark.create"));
        // Files in arrival order (the order of the engine's Saved events), each written while the simulator was still
        // making the rest.
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, events.Where(e => e.Kind == BatchEventKind.Saved).Select(e => e.Saved.Image.Index));
        var first = sentWhenSaved.Single(s => s.Index == 0);
        Assert.True(first.Sent < 5, $"the first image was saved only after the simulator had sent {first.Sent} of 5");
        Assert.Equal("making", first.Outcome);
        var files = Directory.GetFiles(folder.Path).OrderBy(f => File.GetLastWriteTimeUtc(f)).Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(5, files.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => "-" + i), files.Select(f => f[f.LastIndexOf('-')..]));
        // Progress counts images: one per image.
        Assert.Equal(5, events.Count(e => e.Kind == BatchEventKind.Progress));
        Assert.Equal(5, batch.StreamedImagesArrived);
        Assert.DoesNotContain(events, e => e.Error != null);

        // The journal has the task and each image's URL, and knows the stream ended complete.
        var task = Assert.Single(new TaskJournal(options.Journal.Path).Load().Tasks);
        Assert.True(task.Streamed && task.StreamComplete);
        Assert.Equal(5, task.ImageUrls.Count(u => u != null));
        Assert.Equal(5, task.Saved.Count);
    }

    [Fact]
    public async Task A_refused_image_is_reported_for_its_index_and_the_others_are_saved()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "modelark.create", Kind = FaultKind.PartialFail, ImageIndex = 1, ErrorCode = "OutputImageSensitiveContentDetected" } });
        using var folder = new TempFolder();
        var events = await EngineHelpers.RunBatch(Options(folder), b => b.Submit(Request45(3), null, null, "row"));

        Assert.Equal(2, events.Count(e => e.Kind == BatchEventKind.Saved));
        var refused = Assert.Single(events, e => e.Error != null);
        Assert.Equal(ErrorIds.TaskFailed + ".OutputImageSensitiveContentDetected", ((ISeedreamError)refused.Error).ErrorId);
        Assert.StartsWith("Image 1 of task ark-", refused.Error.Message);
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
    }

    [Fact]
    public async Task A_stream_broken_off_keeps_what_arrived_reports_the_rest_and_a_resume_requests_nothing_again()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "modelark.create", Kind = FaultKind.StreamBreak, AfterImages = 2 } });
        using var folder = new TempFolder();
        var options = Options(folder);
        var events = await EngineHelpers.RunBatch(options, b => b.Submit(Request(4), null, null, "row"));

        Assert.Equal("broken", OnlyBatch().Outcome);
        Assert.Equal(2, events.Count(e => e.Kind == BatchEventKind.Saved));
        var broken = Assert.Single(events, e => e.Error != null);
        Assert.Contains("broke off after 2 image(s)", broken.Error.Message);
        var journalled = Assert.Single(new TaskJournal(options.Journal.Path).Load().Tasks);
        Assert.True(journalled.Streamed);
        Assert.False(journalled.StreamComplete);
        Assert.Equal(2, journalled.ImageUrls.Count);
        Assert.Equal(2, journalled.Saved.Count);

        // A rerun with -Resume reuses the task: no create, nothing saved twice.
        var again = await EngineHelpers.RunBatch(Options(folder, options.Journal, resume: true), b => b.Submit(Request(4), null, null, "row"));
        Assert.Equal(1, Counter("modelark.create"));
        Assert.Single(again, e => e.Kind == BatchEventKind.Reused);
        Assert.All(again.Where(e => e.Kind == BatchEventKind.Saved), e => Assert.True(e.Saved.Skipped));
        Assert.Equal(2, again.Count(e => e.Kind == BatchEventKind.Saved));
    }

    [Fact]
    public async Task NoStream_asks_for_one_answer()
    {
        using var folder = new TempFolder();
        var events = await EngineHelpers.RunBatch(Options(folder), b => b.Submit(Request(3, noStream: true), null, null, "row"));
        Assert.False(OnlyBatch().Streamed);
        Assert.Equal(3, events.Count(e => e.Kind == BatchEventKind.Saved));
        Assert.Equal(3, Counter("image"));
    }

    [Fact]
    public async Task Seedream_5_0_Pro_is_not_streamed()
    {
        using var folder = new TempFolder();
        var events = await EngineHelpers.RunBatch(Options(folder), b => b.Submit(new SeedreamRequest { Prompt = "a lighthouse", Model = "5.0-pro" }, null, null, "row"));
        Assert.False(OnlyBatch().Streamed);
        Assert.Single(events, e => e.Kind == BatchEventKind.Saved);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inline_images_are_written_straight_to_their_files_with_no_download(bool noStream)
    {
        using var folder = new TempFolder();
        var options = Options(folder);
        var events = await EngineHelpers.RunBatch(options, b => b.Submit(Request(3, noStream: noStream, delivery: ImageDelivery.Inline), null, null, "row"));

        Assert.Equal(!noStream, OnlyBatch().Streamed);
        var saved = events.Where(e => e.Kind == BatchEventKind.Saved).Select(e => e.Saved).ToList();
        Assert.Equal(3, saved.Count);
        Assert.Equal(0, Counter("image"));
        foreach (var file in saved)
        {
            Assert.Equal("jpeg", file.Format);
            // Named by the format that arrived ({Ext}), though there is no URL to name it.
            Assert.Equal(".jpeg", Path.GetExtension(file.Path));
            Jpeg.Size(file.Path);
            // The same writer as downloads: the AI mark is in the file.
            Assert.Contains("trainedAlgorithmicMedia", Encoding.Latin1.GetString(File.ReadAllBytes(file.Path)));
            Assert.Null(file.Image.Url);
        }
        // Only the saved files: no temporary file left beside them.
        Assert.Equal(3, folder.Entries().Length);
        // The journal says the images have no URL (they cannot be fetched again), and that they were saved.
        var task = Assert.Single(new TaskJournal(options.Journal.Path).Load().Tasks);
        Assert.Equal(3, task.ImageUrls.Count);
        Assert.All(task.ImageUrls, Assert.Null);
        Assert.Empty(task.Unfetchable);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_inline_image_its_process_never_wrote_is_saved_by_resume_from_beside_the_journal_without_a_new_create(bool noStream)
    {
        using var folder = new TempFolder();
        using var home = new TempFolder();
        var journal = new TaskJournal(home.File("journal.jsonl"));
        // The create's process received the images but saved none (it ended first): a batch that does not save.
        await ReceiveInlineWithoutSaving(journal, 2, noStream);
        // Decoded beside the journal, where a crash or a reboot leaves them (not the system's temporary folder).
        Assert.Equal(2, Directory.GetFiles(journal.InlineFolder).Length);

        // Another process: it has the journal and what lies beside it.
        var fresh = new TaskJournal(journal.Path);
        var task = Assert.Single(fresh.Load().Tasks);
        Assert.Empty(task.Unfetchable);
        Assert.Single(fresh.UnsavedTasks());
        var events = await EngineHelpers.RunBatch(Options(folder, fresh, resume: true), b => b.Submit(Request(2, noStream: noStream, delivery: ImageDelivery.Inline), null, null, "row"));

        Assert.Equal(1, Counter("modelark.create"));
        Assert.Single(events, e => e.Kind == BatchEventKind.Reused);
        Assert.DoesNotContain(events, e => e.Error != null);
        var saved = events.Where(e => e.Kind == BatchEventKind.Saved).Select(e => e.Saved).ToList();
        Assert.Equal(2, saved.Count);
        foreach (var file in saved) Jpeg.Size(file.Path);
        // Saved, so the decoded copies are gone and the journal has nothing left to offer.
        Assert.Empty(Directory.GetFiles(journal.InlineFolder));
        Assert.Empty(new TaskJournal(journal.Path).UnsavedTasks());
    }

    [Fact]
    public async Task An_inline_image_whose_decoded_file_is_gone_is_reported_as_lost_by_resume_which_does_not_create_it_again()
    {
        using var folder = new TempFolder();
        using var home = new TempFolder();
        var journal = new TaskJournal(home.File("journal.jsonl"));
        await ReceiveInlineWithoutSaving(journal, 2);
        foreach (var staged in Directory.GetFiles(journal.InlineFolder)) File.Delete(staged);

        var fresh = new TaskJournal(journal.Path);
        var task = Assert.Single(fresh.Load().Tasks);
        Assert.Equal(new[] { 0, 1 }, task.Unfetchable);
        Assert.Empty(fresh.UnsavedTasks());
        var events = await EngineHelpers.RunBatch(Options(folder, fresh, resume: true), b => b.Submit(Request(2, delivery: ImageDelivery.Inline), null, null, "row"));

        Assert.Equal(1, Counter("modelark.create"));
        Assert.Single(events, e => e.Kind == BatchEventKind.Reused);
        var lost = events.Where(e => e.Error != null).ToList();
        Assert.Equal(2, lost.Count);
        Assert.All(lost, e => Assert.Equal(ErrorIds.InlineImageLost, ((ISeedreamError)e.Error).ErrorId));
        Assert.Contains("cannot be fetched again", lost[0].Error.Message);
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task An_inline_image_saved_to_two_folders_keeps_both_files()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        var journal = EngineHelpers.ScratchJournal();
        var events = await EngineHelpers.RunBatch(Options(first, journal), b => b.Submit(Request(1, delivery: ImageDelivery.Inline), null, null, "row"));
        var made = Assert.Single(events, e => e.Kind == BatchEventKind.Saved).Task;

        var again = await EngineHelpers.RunBatch(Options(second, journal), b => b.Add(made));

        var copy = Assert.Single(again, e => e.Kind == BatchEventKind.Saved).Saved;
        Assert.True(File.Exists(copy.Path));
        // The second save read the first file; it must not take it away.
        string kept = first.File(Assert.Single(first.Entries()));
        Assert.Equal(Jpeg.Size(kept), Jpeg.Size(copy.Path));
    }

    [Fact]
    public void The_inline_parser_decodes_base64_in_chunks_whatever_the_escapes_and_the_chunk_boundaries()
    {
        using var folder = new TempFolder();
        var bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);
        // As System.Text.Json writes it: '+' escaped as \u002B, and '/' may come as \/.
        string b64 = Convert.ToBase64String(bytes).Replace("+", "\\u002B").Replace("/", "\\/");
        string body = "event: image_generation.partial_succeeded\ndata: {\"type\":\"image_generation.partial_succeeded\",\"image_index\":0,\"b64_json\" : \"" + b64 +
            "\",\"size\":\"1x1\"}\n\nevent: image_generation.completed\ndata: {\"type\":\"image_generation.completed\"}\n\ndata: [DONE]\n\n";
        var raw = Encoding.UTF8.GetBytes(body);
        using var parser = new InlineImageParser(folder.Path, events: true);
        var events = new List<ServerEvent>();
        // Odd-sized pieces, so escapes and groups of four fall across the boundaries.
        for (int at = 0; at < raw.Length; at += 7919)
        {
            var piece = raw.AsSpan(at, Math.Min(7919, raw.Length - at)).ToArray();
            parser.Feed(piece, piece.Length);
            events.AddRange(parser.TakeEvents());
        }
        Assert.Equal(3, events.Count);
        Assert.Equal("image_generation.partial_succeeded", events[0].Name);
        using (var json = JsonDocument.Parse(events[0].Data))
        {
            Assert.Equal("", json.RootElement.GetProperty("b64_json").GetString());
            Assert.Equal("1x1", json.RootElement.GetProperty("size").GetString());
        }
        Assert.Equal(bytes, File.ReadAllBytes(Assert.Single(events[0].Files)));
        Assert.Equal("[DONE]", events[2].Data);
    }

    // ---- Review findings on inline images (issue 21 follow-up) ---------------------------------------------------------

    private static string JsonText(string value) => JsonSerializer.Serialize(value);

    [Fact]
    public async Task A_journal_line_that_names_a_file_outside_the_inline_folder_is_neither_read_nor_deleted()
    {
        using var home = new TempFolder();
        using var elsewhere = new TempFolder();
        using var output = new TempFolder();
        var journal = new TaskJournal(home.File("journal.jsonl"));
        // A file with the decoder's name, in another folder, and a photo of the user's: a tampered line names both.
        string victim = elsewhere.File("inline-" + new string('a', 32) + ".img");
        string photo = elsewhere.File("private-photo.png");
        File.WriteAllBytes(victim, TinyImages.Png(64, 64));
        File.WriteAllBytes(photo, TinyImages.Png(64, 64));
        string now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(journal.Path,
            $"{{\"v\":1,\"type\":\"created\",\"time\":\"{now}\",\"gateway\":\"ModelArk\",\"id\":\"tampered-1\",\"model\":\"m\",\"createdAt\":\"{now}\",\"images\":[null,null],\"inlineFiles\":[{JsonText(victim)},{JsonText(photo)}],\"context\":{{}}}}\n" +
            // Names that are not the decoder's, one that would climb out of the folder, and characters .NET Framework's
            // path functions throw on: none is taken, and none stops the journal being read.
            $"{{\"v\":1,\"type\":\"created\",\"time\":\"{now}\",\"gateway\":\"ModelArk\",\"id\":\"tampered-2\",\"model\":\"m\",\"createdAt\":\"{now}\",\"stream\":true,\"context\":{{}}}}\n" +
            $"{{\"v\":1,\"type\":\"image\",\"time\":\"{now}\",\"id\":\"tampered-2\",\"index\":0,\"inline\":true,\"file\":{JsonText("../inline-" + new string('c', 32) + ".img")}}}\n" +
            $"{{\"v\":1,\"type\":\"image\",\"time\":\"{now}\",\"id\":\"tampered-2\",\"index\":1,\"inline\":true,\"file\":\"a|b<c>\\u0001\"}}\n");

        var fresh = new TaskJournal(journal.Path);
        Assert.Equal(new[] { 0, 1 }, fresh.Load().Task("tampered-2").Unfetchable);
        var task = fresh.Load().Task("tampered-1");
        // Not taken as the images' files: nothing to offer, both reported lost.
        Assert.Equal(new[] { 0, 1 }, task.Unfetchable);
        Assert.Empty(fresh.UnsavedTasks());
        var events = await EngineHelpers.RunBatch(Options(output, fresh), b => b.Add(task.ToTask()));

        Assert.Equal(2, events.Count(e => e.Error is ISeedreamError error && error.ErrorId == ErrorIds.InlineImageLost));
        Assert.Empty(output.Entries());
        Assert.True(File.Exists(victim));
        Assert.True(File.Exists(photo));
    }

    [Fact]
    public async Task An_inline_image_saved_by_another_process_is_saved_again_from_that_file()
    {
        using var home = new TempFolder();
        using var first = new TempFolder();
        using var second = new TempFolder();
        var journal = new TaskJournal(home.File("journal.jsonl"));
        await ReceiveInlineWithoutSaving(journal, 1);
        // Process B saves it (the decoded file goes); process C saves it again, elsewhere, from what B wrote.
        var b = new TaskJournal(journal.Path);
        await EngineHelpers.RunBatch(Options(first, b), batch => batch.Add(Assert.Single(b.UnsavedTasks())));
        Assert.Empty(Directory.GetFiles(journal.InlineFolder));
        var c = new TaskJournal(journal.Path);
        var task = Assert.Single(c.Load().Tasks).ToTask();

        var events = await EngineHelpers.RunBatch(Options(second, c), batch => batch.Add(task));

        Assert.DoesNotContain(events, e => e.Error != null);
        var copy = Assert.Single(events, e => e.Kind == BatchEventKind.Saved).Saved;
        Assert.Equal(Jpeg.Size(first.File(Assert.Single(first.Entries()))), Jpeg.Size(copy.Path));
        Assert.Single(first.Entries());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_inline_folder_that_cannot_take_files_stops_the_request_before_anything_is_paid_for(bool noStream)
    {
        using var home = new TempFolder();
        using var output = new TempFolder();
        var journal = new TaskJournal(home.File("journal.jsonl"));
        // A file where the folder should be: as unwritable as a read-only folder, and provable as root.
        File.WriteAllText(journal.InlineFolder, "not a folder");

        var events = await EngineHelpers.RunBatch(Options(output, journal), b => b.Submit(Request(2, noStream: noStream, delivery: ImageDelivery.Inline), null, null, "row"));

        var invalid = Assert.Single(events, e => e.Kind == BatchEventKind.Invalid);
        Assert.Equal(ErrorIds.FileError, ((ISeedreamError)invalid.Error).ErrorId);
        Assert.Contains("Nothing was sent", invalid.Error.Message);
        Assert.Contains(journal.InlineFolder, invalid.Error.Message);
        Assert.Equal(0, Counter("modelark.create"));
        // URL delivery needs no such folder.
        var byUrl = await EngineHelpers.RunBatch(Options(output, journal), b => b.Submit(Request(1), null, null, "url row"));
        Assert.Single(byUrl, e => e.Kind == BatchEventKind.Saved);
    }

    [Fact]
    public async Task Images_that_arrive_but_cannot_be_written_are_reported_as_made_and_billed_never_as_undelivered()
    {
        using var home = new TempFolder();
        File.WriteAllText(home.File("blocked"), "a file, so no folder can be made under it");
        var client = _sim.Client(SeedreamGateway.ModelArk);
        client.InlineStaging = Path.Combine(home.File("blocked"), "inline");

        // Streamed: the stream ends with the local failure, which says the batch is billed.
        var streamed = await client.CreateTaskAsync(Request(2, delivery: ImageDelivery.Inline));
        Assert.Equal(SeedreamTaskStatus.Failed, streamed.Status);
        Assert.DoesNotContain("not billed", streamed.Error.Message);
        Assert.Contains("bills it", streamed.Error.Message);

        // One answer: held as of unknown outcome (made and paid for), not refused as if nothing had been made.
        var whole = await Assert.ThrowsAsync<SeedreamApiException>(() => client.CreateTaskAsync(Request(2, noStream: true, delivery: ImageDelivery.Inline)));
        Assert.True(whole.OutcomeUnknown);
        Assert.Contains("bills them", whole.Message);
        Assert.Equal("Api.ImagesNotWritten", whole.ErrorId);
    }

    [Fact]
    public void A_half_decoded_image_never_has_the_name_a_journal_line_can_hold_and_a_stale_one_is_removed_later()
    {
        using var folder = new TempFolder();
        string head = "data: {\"type\":\"image_generation.partial_succeeded\",\"b64_json\":\"" + Convert.ToBase64String(new byte[3000]);
        var raw = Encoding.UTF8.GetBytes(head);
        // A process killed inside an image: the parser is never disposed.
        var killed = new InlineImageParser(folder.Path, events: true);
        killed.Feed(raw, raw.Length);
        var left = Assert.Single(Directory.GetFiles(folder.Path));
        Assert.EndsWith(".img.partial", left);
        Assert.False(InlineImageParser.IsStagedFileIn(folder.Path, left));

        // The next parser in that folder removes a leftover older than a day, and only that.
        File.SetLastWriteTimeUtc(left, DateTime.UtcNow - InlineImageParser.StalePartialAge - TimeSpan.FromMinutes(1));
        string young = Path.Combine(folder.Path, "inline-" + new string('b', 32) + ".img.partial");
        File.WriteAllBytes(young, new byte[10]);
        using var next = new InlineImageParser(folder.Path, events: true);
        next.Feed(raw, raw.Length);
        Assert.False(File.Exists(left));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public async Task A_task_object_taken_before_another_save_still_saves_from_the_file_that_save_wrote()
    {
        using var home = new TempFolder();
        using var first = new TempFolder();
        using var second = new TempFolder();
        var journal = new TaskJournal(home.File("journal.jsonl"));
        await ReceiveInlineWithoutSaving(journal, 2);
        // Two listings of the unsaved task, as two commands (or processes) take them before either saves.
        var early = Assert.Single(new TaskJournal(journal.Path).UnsavedTasks());
        var late = Assert.Single(new TaskJournal(journal.Path).UnsavedTasks());
        await EngineHelpers.RunBatch(Options(first, new TaskJournal(journal.Path)), b => b.Add(early));
        Assert.Empty(Directory.GetFiles(journal.InlineFolder));

        var events = await EngineHelpers.RunBatch(Options(second, new TaskJournal(journal.Path)), b => b.Add(late));

        Assert.DoesNotContain(events, e => e.Error != null);
        Assert.Equal(2, events.Count(e => e.Kind == BatchEventKind.Saved));
        Assert.Equal(2, first.Entries().Length);
        // Named by what the copy holds ({Ext}), though the decoded file it would have been named from is gone.
        Assert.Equal(2, second.Entries().Count(n => n.EndsWith(".jpeg", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_journal_moved_with_its_folder_still_finds_its_inline_images()
    {
        using var home = new TempFolder();
        using var output = new TempFolder();
        string before = home.File("before"), after = home.File("after");
        Directory.CreateDirectory(before);
        await ReceiveInlineWithoutSaving(new TaskJournal(Path.Combine(before, "journal.jsonl")), 2);
        // Moved, or reached by another spelling (a link, a mapped drive): the lines name files, not paths.
        Directory.Move(before, after);
        var moved = new TaskJournal(Path.Combine(after, "journal.jsonl"));

        var task = Assert.Single(moved.UnsavedTasks());
        var events = await EngineHelpers.RunBatch(Options(output, moved), b => b.Add(task));

        Assert.Equal(2, events.Count(e => e.Kind == BatchEventKind.Saved));
        Assert.Empty(Directory.GetFiles(moved.InlineFolder));
    }

    [Fact]
    public async Task Resume_reuses_an_inline_task_without_asking_the_inline_folder_to_take_files()
    {
        using var home = new TempFolder();
        using var output = new TempFolder();
        var journal = new TaskJournal(home.File("journal.jsonl"));
        var made = await EngineHelpers.RunBatch(Options(output, journal), b => b.Submit(Request(2, delivery: ImageDelivery.Inline), null, null, "row"));
        Assert.Equal(2, made.Count(e => e.Kind == BatchEventKind.Saved));
        // Nothing is sent on a reuse, so a folder that takes no files is no reason to refuse it.
        Directory.Delete(journal.InlineFolder, recursive: true);
        File.WriteAllText(journal.InlineFolder, "not a folder");

        var events = await EngineHelpers.RunBatch(Options(output, new TaskJournal(journal.Path), resume: true), b => b.Submit(Request(2, delivery: ImageDelivery.Inline), null, null, "row"));

        Assert.Single(events, e => e.Kind == BatchEventKind.Reused);
        Assert.DoesNotContain(events, e => e.Kind == BatchEventKind.Invalid);
        Assert.Equal(1, Counter("modelark.create"));
    }
}
