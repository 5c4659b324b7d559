using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The journal stays small: finished history rolls into dated archives, nothing paid for is lost on the way,
/// and what other processes write is seen.</summary>
public class JournalCompactionTests
{
    private static readonly DateTimeOffset Old = DateTimeOffset.UtcNow.AddDays(-40);

    // A history as a year of batches leaves it: each task attempted, created, completed and saved.
    private static void WriteHistory(string path, int tasks, DateTimeOffset when, string prefix = "old")
    {
        var text = new StringBuilder();
        for (int i = 0; i < tasks; i++)
        {
            string time = when.AddSeconds(i).ToString("O", CultureInfo.InvariantCulture);
            string id = $"task-unified-1-{prefix}{i}";
            text.Append($"{{\"v\":1,\"type\":\"attempt\",\"time\":\"{time}\",\"fingerprint\":\"{prefix}{i}\",\"record\":\"\",\"occurrence\":0,\"gateway\":\"EvoLink\",\"model\":\"doubao-seedream-4.0\"}}\n");
            text.Append($"{{\"v\":1,\"type\":\"created\",\"time\":\"{time}\",\"fingerprint\":\"{prefix}{i}\",\"record\":\"\",\"occurrence\":0,\"gateway\":\"EvoLink\",\"id\":\"{id}\",\"model\":\"doubao-seedream-4.0\",\"createdAt\":\"{time}\",\"prompt\":\"p\",\"context\":{{\"Name\":\"n{i}\"}}}}\n");
            text.Append($"{{\"v\":1,\"type\":\"completed\",\"time\":\"{time}\",\"id\":\"{id}\",\"images\":[\"https://cdn.example.com/{id}.png\"]}}\n");
            text.Append($"{{\"v\":1,\"type\":\"saved\",\"time\":\"{time}\",\"id\":\"{id}\",\"index\":0,\"path\":\"/out/{id}.png\",\"length\":1000}}\n");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, text.ToString());
    }

    private static SeedreamTask Fresh(string id) => new()
    {
        Gateway = SeedreamGateway.EvoLink,
        Id = id,
        Model = "doubao-seedream-4.0",
        CreatedAt = DateTimeOffset.UtcNow,
        Status = SeedreamTaskStatus.Pending,
    };

    [Fact]
    public async Task Opening_rolls_expired_history_into_dated_archives_and_keeps_what_is_open()
    {
        using var folder = new TempFolder();
        string path = folder.File("journal.jsonl");
        WriteHistory(path, 1000, Old);
        var seed = new TaskJournal(path);
        var open = Fresh("task-unified-1-open");
        await seed.RecordCreatedAsync(new JournalKey("open", "", 0), open);
        await seed.RecordAttemptAsync(new JournalKey("unknown", "", 0), SeedreamGateway.EvoLink, "doubao-seedream-4.0");

        var journal = new TaskJournal(path);
        Assert.Equal(1, journal.LiveTaskCount);
        var archive = Assert.Single(journal.ArchivePaths);
        Assert.EndsWith("journal." + Old.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture) + ".jsonl", archive);
        Assert.Equal(4000, File.ReadLines(archive).Count());
        // The live file: a header, the open task, the unknown attempt (held on -Resume) and its own lines only.
        Assert.InRange(File.ReadLines(path).Count(), 3, 5);
        Assert.Contains(journal.UnsavedTasks(), t => t.Id == open.Id);
        Assert.Equal(AttemptStatus.Unknown, journal.Load().StatusOf(new JournalKey("unknown", "", 0), out _));

        // Nothing is lost: with the archives, every task and saved file is still there.
        var all = journal.Load(includeArchives: true);
        Assert.Equal(1001, all.Tasks.Count(t => t.KnownCreated));
        Assert.All(all.Tasks.Where(t => t.Id.Contains("old")), t => Assert.Single(t.Saved));
        Assert.False(File.Exists(path + ".compacting"));
    }

    [Fact]
    public void Compaction_deletes_the_decoded_inline_images_of_the_tasks_it_archives_and_nothing_a_line_names_elsewhere()
    {
        using var folder = new TempFolder();
        string path = folder.File("journal.jsonl");
        var journal = new TaskJournal(path) { CompactionThreshold = int.MaxValue };
        Directory.CreateDirectory(journal.InlineFolder);
        string Staged(string name)
        {
            string file = Path.Combine(journal.InlineFolder, "inline-" + name.PadLeft(32, '0') + ".img");
            File.WriteAllBytes(file, TinyImages.Png(64, 64));
            return file;
        }
        string old = Staged("a1"), oldStreamed = Staged("b2"), fresh = Staged("c3");
        // A file a line names outside the inline folder, one in it under a name the decoder never gives, and (last on the
        // old line) the fresh task's own file, which stays with the task that keeps it.
        string elsewhere = folder.File("inline-" + new string('d', 32) + ".img");
        File.WriteAllBytes(elsewhere, TinyImages.Png(64, 64));
        string oddName = Path.Combine(journal.InlineFolder, "keep-me.img");
        File.WriteAllBytes(oddName, TinyImages.Png(64, 64));
        // Lines name a decoded file by its name in the inline folder; the one outside is named by its whole path.
        string Json(string file) => System.Text.Json.JsonSerializer.Serialize(file.StartsWith(journal.InlineFolder, StringComparison.Ordinal) ? Path.GetFileName(file) : file);
        string oldTime = Old.ToString("O", CultureInfo.InvariantCulture), now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        File.WriteAllText(path,
            $"{{\"v\":1,\"type\":\"created\",\"time\":\"{oldTime}\",\"gateway\":\"ModelArk\",\"id\":\"sync-1\",\"model\":\"m\",\"createdAt\":\"{oldTime}\",\"images\":[null,null,null,null],\"inlineFiles\":[{Json(old)},{Json(elsewhere)},{Json(oddName)},{Json(fresh)}],\"context\":{{}}}}\n" +
            $"{{\"v\":1,\"type\":\"created\",\"time\":\"{oldTime}\",\"gateway\":\"ModelArk\",\"id\":\"stream-1\",\"model\":\"m\",\"createdAt\":\"{oldTime}\",\"stream\":true,\"context\":{{}}}}\n" +
            $"{{\"v\":1,\"type\":\"image\",\"time\":\"{oldTime}\",\"id\":\"stream-1\",\"index\":0,\"inline\":true,\"file\":{Json(oldStreamed)}}}\n" +
            $"{{\"v\":1,\"type\":\"created\",\"time\":\"{now}\",\"gateway\":\"ModelArk\",\"id\":\"sync-2\",\"model\":\"m\",\"createdAt\":\"{now}\",\"images\":[null],\"inlineFiles\":[{Json(fresh)}],\"context\":{{}}}}\n");

        // Before: the fresh task's image is there to be saved.
        Assert.Contains(journal.UnsavedTasks(), t => t.Id == "sync-2");
        Assert.Equal(3, journal.Compact());

        Assert.False(File.Exists(old));
        Assert.False(File.Exists(oldStreamed));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(elsewhere));
        Assert.True(File.Exists(oddName));
        Assert.Contains(new TaskJournal(path).UnsavedTasks(), t => t.Id == "sync-2");
    }

    [Fact]
    public void Two_journals_in_one_folder_keep_their_decoded_images_apart_even_when_one_holds_a_copy_of_the_other_s_lines()
    {
        using var folder = new TempFolder();
        var a = new TaskJournal(folder.File("journal-a.jsonl")) { CompactionThreshold = int.MaxValue };
        var b = new TaskJournal(folder.File("journal-b.jsonl")) { CompactionThreshold = int.MaxValue };
        Assert.NotEqual(a.InlineFolder, b.InlineFolder);
        Directory.CreateDirectory(a.InlineFolder);
        string name = "inline-" + new string('e', 32) + ".img";
        File.WriteAllBytes(Path.Combine(a.InlineFolder, name), TinyImages.Png(64, 64));
        string oldTime = Old.ToString("O", CultureInfo.InvariantCulture);
        string line = $"{{\"v\":1,\"type\":\"created\",\"time\":\"{oldTime}\",\"gateway\":\"ModelArk\",\"id\":\"sync-a\",\"model\":\"m\",\"createdAt\":\"{oldTime}\",\"images\":[null],\"inlineFiles\":[\"{name}\"],\"context\":{{}}}}\n";
        // b holds a copy of a's line (a backup, a copied journal): archiving it there touches nothing of a's.
        File.WriteAllText(a.Path, line);
        File.WriteAllText(b.Path, line);

        Assert.Equal(1, b.Compact());

        Assert.True(File.Exists(Path.Combine(a.InlineFolder, name)));
    }

    [Fact]
    public async Task A_small_history_is_not_rewritten_on_every_opening()
    {
        using var folder = new TempFolder();
        string path = folder.File("journal.jsonl");
        WriteHistory(path, 10, Old);
        Assert.Equal(10, new TaskJournal(path).LiveTaskCount);
        Assert.Empty(new TaskJournal(path).ArchivePaths);
        // Asked for, it compacts whatever there is.
        var journal = new TaskJournal(path);
        Assert.Equal(40, journal.Compact());
        Assert.Equal(0, journal.LiveTaskCount);
        await journal.RecordSavedAsync("x", 0, "/x.png", 1);
        Assert.Equal(10, journal.Load(includeArchives: true).Tasks.Count(t => t.KnownCreated));
    }

    [Fact]
    public void A_compaction_cut_short_by_a_crash_loses_nothing_and_the_next_one_finishes_it()
    {
        using var folder = new TempFolder();
        string path = folder.File("journal.jsonl");
        WriteHistory(path, 2500, Old);
        // A crash after the archive was written and before the live file was replaced: the lines are in both,
        // and a half-written temporary file is left behind.
        string month = Old.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        File.Copy(path, folder.File($"journal.{month}.jsonl"));
        File.WriteAllText(path + ".compacting", "{\"v\":1,\"type\":\"header\"");

        var journal = new TaskJournal(path);
        Assert.Equal(0, journal.LiveTaskCount);
        var all = journal.Load(includeArchives: true);
        Assert.Equal(2500, all.Tasks.Count(t => t.KnownCreated));
        Assert.All(all.Tasks, t => Assert.Single(t.Saved));
        Assert.False(File.Exists(path + ".compacting"));
    }

    [Fact]
    public async Task Two_processes_appending_while_one_compacts_lose_no_record()
    {
        using var folder = new TempFolder();
        string path = folder.File("journal.jsonl");
        WriteHistory(path, 3000, Old);
        // Two instances stand for two processes: each has its own state, and they share only the files.
        var writer = new TaskJournal(path) { CompactionThreshold = int.MaxValue };
        var compactor = new TaskJournal(path) { CompactionThreshold = int.MaxValue };
        var appends = Task.Run(async () =>
        {
            for (int i = 0; i < 300; i++) await writer.RecordCreatedAsync(new JournalKey("new" + i, "", 0), Fresh("task-unified-1-new" + i));
        });
        await Task.Delay(20);
        compactor.Compact();
        await appends;

        var live = new TaskJournal(path).Load();
        Assert.Equal(300, live.Tasks.Count(t => t.Id.Contains("new")));
        Assert.Equal(3300, new TaskJournal(path).Load(includeArchives: true).Tasks.Count(t => t.KnownCreated));
        // Each sees what the other wrote.
        Assert.Equal(300, compactor.UnsavedTasks().Count);
        Assert.Equal(300, writer.UnsavedTasks().Count);
    }

    [Fact]
    public async Task A_process_sees_what_another_appended_since_it_read_the_journal()
    {
        using var folder = new TempFolder();
        string path = folder.File("journal.jsonl");
        var first = new TaskJournal(path);
        var second = new TaskJournal(path);
        await first.RecordCreatedAsync(new JournalKey("a", "", 0), Fresh("task-unified-1-a"));
        Assert.Single(second.UnsavedTasks());
        await first.RecordCreatedAsync(new JournalKey("b", "", 0), Fresh("task-unified-1-b"));
        Assert.Equal(2, second.UnsavedTasks().Count);
        await second.RecordSavedAsync("task-unified-1-a", 0, "/a.png", 1);
        await second.RecordSavedAsync("task-unified-1-b", 0, "/b.png", 1);
        Assert.Empty(first.UnsavedTasks());
    }

    [Fact]
    public async Task Appends_that_arrive_together_share_one_write_and_every_one_is_durable()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => journal.RecordSavedAsync("t" + (i % 50), i, "/p" + i, i)));
        var state = new TaskJournal(journal.Path).Load();
        Assert.Equal(500, state.Tasks.Sum(t => t.Saved.Count));
        Assert.Equal(0, state.TornLines);
    }

    [Fact]
    public async Task A_torn_last_line_is_ended_before_the_next_record()
    {
        using var folder = new TempFolder();
        string path = folder.File("journal.jsonl");
        File.WriteAllText(path, "{\"v\":1,\"type\":\"saved\",\"id\":\"tor");
        var journal = new TaskJournal(path);
        await journal.RecordSavedAsync("whole", 0, "/w.png", 1);
        var state = new TaskJournal(path).Load();
        Assert.Equal(1, state.TornLines);
        Assert.Single(state.Task("whole")!.Saved);
    }

    [Fact]
    public void Record_type_names_are_spelt_only_in_JournalRecordTypes()
    {
        // A name written as a literal by the writer and read under another by JournalState or CompactionScan would lose
        // records silently, so they all read the constants.
        var literal = new Regex("\"(attempt|created|refused|unknown|completed|saved|failed|expired|header)\"");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "src/SeedreamPS.Core/Journal"), "*.cs"))
        {
            if (Path.GetFileName(file) == "JournalRecordTypes.cs") continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (literal.IsMatch(lines[i].Replace("\\\"", "\""))) offenders.Add(Path.GetFileName(file) + ":" + (i + 1) + ": " + lines[i].Trim());
            }
        }
        Assert.True(offenders.Count == 0, "Record type names outside JournalRecordTypes:\n" + string.Join("\n", offenders));
    }
}
