using SeedreamPS.Core.Client;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Waits and saves through the shipped engine pieces, for tests that need a finished task or one saved image.</summary>
public static class EngineHelpers
{
    private static readonly string ScratchJournals = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seedreamps-test-journals-" + Environment.ProcessId);

    /// <summary>A journal of its own, for tests that do not look at it.</summary>
    public static SeedreamPS.Core.Journal.TaskJournal ScratchJournal() =>
        new(System.IO.Path.Combine(ScratchJournals, Guid.NewGuid().ToString("N") + ".jsonl"));

    /// <summary>Watches one task with the engine's watcher until it finishes: a TimeoutException when the wait runs out,
    /// the query's own error when it cannot be read. Every state read is reported, the last included.</summary>
    public static async Task<SeedreamPS.Core.Tasks.SeedreamTask> WaitAsync(this SeedreamClient client, SeedreamPS.Core.Tasks.SeedreamTask task,
        TimeSpan? timeout = null, IProgress<SeedreamPS.Core.Tasks.SeedreamTask> progress = null, CancellationToken cancellation = default)
    {
        Exception failure = null;
        bool wasFinished = task.IsFinished;
        await new SeedreamPS.Core.Batch.TaskWatcher(_ => client).WatchAsync(new[] { task }, timeout, e =>
        {
            if (e.Kind == SeedreamPS.Core.Batch.TaskEventKind.Progress || (e.Kind == SeedreamPS.Core.Batch.TaskEventKind.Finished && !wasFinished)) progress?.Report(e.Task);
            else if (e.Kind != SeedreamPS.Core.Batch.TaskEventKind.Finished) failure = e.Error;
        }, cancellation);
        if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return task;
    }

    /// <summary>Runs an <see cref="SeedreamPS.Core.Batch.ImageBatch"/> to its end and returns every event it raised.</summary>
    public static async Task<List<SeedreamPS.Core.Batch.BatchEvent>> RunBatch(SeedreamPS.Core.Batch.BatchOptions options, Action<SeedreamPS.Core.Batch.ImageBatch> feed)
    {
        var events = new List<SeedreamPS.Core.Batch.BatchEvent>();
        options.Journal ??= ScratchJournal();
        var batch = new SeedreamPS.Core.Batch.ImageBatch(options, e => { lock (events) events.Add(e); });
        feed(batch);
        batch.Complete();
        await batch.Completion;
        lock (events) return events.ToList();
    }

    /// <summary>Saves one image through the engine; throws the error the engine reported, if any.</summary>
    public static async Task<SeedreamPS.Core.Storage.SavedImage> SaveImageAsync(SeedreamClient client, SeedreamPS.Core.Storage.SaveOptions save,
        SeedreamPS.Core.Tasks.SeedreamTask task, SeedreamPS.Core.Tasks.SeedreamImage image, SeedreamPS.Core.Journal.TaskJournal journal = null)
    {
        var events = await RunBatch(new SeedreamPS.Core.Batch.BatchOptions { Journal = journal, Clients = ClientSet.Of(client), Save = save }, b => b.AddImage(image, task));
        var e = Assert.Single(events);
        if (e.Error != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Error).Throw();
        return e.Saved;
    }

    /// <summary>Saves every image of a task through the engine; throws the first error the engine reported.</summary>
    public static async Task<List<SeedreamPS.Core.Storage.SavedImage>> SaveTaskAsync(SeedreamClient client, SeedreamPS.Core.Storage.SaveOptions save,
        SeedreamPS.Core.Tasks.SeedreamTask task, SeedreamPS.Core.Journal.TaskJournal journal = null)
    {
        var events = await RunBatch(new SeedreamPS.Core.Batch.BatchOptions { Journal = journal, Clients = ClientSet.Of(client), Save = save }, b => b.Add(task));
        var failed = events.FirstOrDefault(e => e.Error != null);
        if (failed != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.Error).Throw();
        return events.Where(e => e.Saved != null).Select(e => e.Saved).ToList();
    }
}
