using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;

namespace SeedreamPS.Bench;

/// <summary>Feeds requests to the shipped engine (<see cref="ImageBatch"/>), journal on, exactly as New-SeedreamImage |
/// Save-SeedreamImage does: journalled creates with back-pressure, one watcher, concurrent atomic saves.</summary>
internal static class Engine
{
    public static async Task<int> RunAsync(SeedreamClient client, IReadOnlyList<SeedreamRequest> requests, int throttle, string folder,
        int downloads = SaveOptions.DefaultMaxConcurrentDownloads, TaskJournal? journal = null)
    {
        int saved = 0, failed = 0;
        var batch = new ImageBatch(new BatchOptions
        {
            Journal = journal ?? TaskJournal.Open(Path.Combine(folder, "journal.jsonl")),
            Clients = ClientSet.Of(client),
            ThrottleLimit = throttle,
            Save = new SaveOptions { Folder = folder, ExistingFile = ExistingFileAction.Overwrite, MaxConcurrentDownloads = downloads },
        }, e =>
        {
            if (e.Kind == BatchEventKind.Saved) Interlocked.Increment(ref saved);
            else if (e.Error != null && Interlocked.Increment(ref failed) <= 3) Console.Error.WriteLine($"   {e.Kind}: {e.Error.Message}");
        });
        foreach (var request in requests) await batch.SubmitAsync(request, null, null, request);
        batch.Complete();
        await batch.Completion;
        return saved;
    }
}
