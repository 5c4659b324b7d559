using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Bench;

/// <summary>The cmdlets' batch path without PowerShell: throttled creates, one watcher, concurrent atomic saves.</summary>
internal static class Engine
{
    public static async Task<int> RunAsync(SeedreamClient client, IReadOnlyList<SeedreamRequest> requests, int throttle, string folder, int downloads = SaveOptions.DefaultMaxConcurrentDownloads)
    {
        var saver = new ImageSaver(new SaveOptions { Folder = folder, ExistingFile = ExistingFileAction.Overwrite, MaxConcurrentDownloads = downloads }, _ => client);
        var watcher = new TaskWatcher(_ => client);
        var saves = new List<Task>();
        int saved = 0;
        var watching = watcher.RunAsync(null, e =>
        {
            if (e.Kind != TaskEventKind.Finished || e.Task.Status != SeedreamTaskStatus.Succeeded) return;
            lock (saves)
            {
                saves.AddRange(e.Task.Images.Select(async image =>
                {
                    await saver.SaveAsync(e.Task, image, CancellationToken.None);
                    Interlocked.Increment(ref saved);
                }));
            }
        }, CancellationToken.None);

        using var slots = new SemaphoreSlim(throttle);
        var creates = requests.Select(async request =>
        {
            await slots.WaitAsync();
            try
            {
                watcher.Add(await client.CreateTaskAsync(request));
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(creates);
        watcher.Complete();
        await watching;
        Task[] pending;
        lock (saves) pending = saves.ToArray();
        await Task.WhenAll(pending);
        return saved;
    }
}
