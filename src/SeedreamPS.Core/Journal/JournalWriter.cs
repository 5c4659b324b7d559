using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SeedreamPS.Core.Journal
{
    /// <summary>Appends to the live journal file from one dedicated thread, so fsyncs and lock waits never block the
    /// thread pool the HTTP stack needs. Appends that arrive together are written at once and share one fsync (group
    /// commit). A synced append completes only once it is fsynced; a lazy one is written at once (so a crash of the
    /// process loses none) and fsynced with the next synced append, by <see cref="SyncAsync"/>, or within
    /// <see cref="LazySyncDelay"/>. Each write holds the cross-process <see cref="JournalLock"/> and first catches the
    /// <see cref="IJournalView"/> up with what other processes appended.</summary>
    internal sealed class JournalWriter
    {
        /// <summary>At most how long a lazy append stays written but not yet fsynced.</summary>
        public static readonly TimeSpan LazySyncDelay = TimeSpan.FromMilliseconds(200);

        private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

        private readonly string _path;
        private readonly JournalLock _lock;
        private readonly IJournalView _view;
        private readonly Queue<PendingAppend> _queue = new Queue<PendingAppend>();
        private bool _running;
        // Writer thread only: lines written since the last fsync, and when they must be synced at the latest.
        private bool _unsynced;
        private DateTime _syncDue;
        private int _fsyncs;

        /// <summary>A writer for the live file at <paramref name="path"/>; its thread starts with the first append.</summary>
        public JournalWriter(string path, JournalLock fileLock, IJournalView view)
        {
            _path = path;
            _lock = fileLock;
            _view = view;
        }

        /// <summary>How many times this writer fsynced the live file.</summary>
        public int Fsyncs => Volatile.Read(ref _fsyncs);

        /// <summary>Whether the writer thread is running.</summary>
        public bool Running
        {
            get
            {
                lock (_queue) return _running;
            }
        }

        private sealed class PendingAppend
        {
            public byte[] Line;
            public bool Synced;
            public TaskCompletionSource<bool> Done;
        }

        /// <summary>Queues <paramref name="line"/> (ending in its newline); the task completes once it is written, and
        /// with <paramref name="synced"/> once it is fsynced too.</summary>
        public Task Append(byte[] line, bool synced) => Enqueue(new PendingAppend { Line = line, Synced = synced });

        /// <summary>Completes once every line appended before it is fsynced, the lazy ones included.</summary>
        public Task SyncAsync() => Enqueue(new PendingAppend { Synced = true });

        private Task Enqueue(PendingAppend pending)
        {
            // Continuations run on the pool, never on the writer thread, so one slow caller cannot stall the journal.
            pending.Done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_queue)
            {
                _queue.Enqueue(pending);
                if (!_running)
                {
                    _running = true;
                    new Thread(WriterLoop) { IsBackground = true, Name = "SeedreamPS journal writer" }.Start();
                }
                Monitor.Pulse(_queue);
            }
            return pending.Done.Task;
        }

        // A dedicated thread: lock waits and fsyncs stay off the thread pool. It ends after a moment without work, never
        // with lines unsynced.
        private void WriterLoop()
        {
            while (true)
            {
                var batch = new List<PendingAppend>();
                lock (_queue)
                {
                    if (_queue.Count == 0)
                    {
                        TimeSpan wait = _unsynced ? _syncDue - DateTime.UtcNow : Idle;
                        if (wait > TimeSpan.Zero) Monitor.Wait(_queue, wait);
                    }
                    if (_queue.Count == 0 && !_unsynced)
                    {
                        _running = false;
                        return;
                    }
                    while (_queue.Count > 0) batch.Add(_queue.Dequeue());
                }
                if (batch.Count == 0)
                {
                    if (DateTime.UtcNow < _syncDue) continue;
                    // Nothing comes: the lazily written lines are due.
                    batch.Add(new PendingAppend { Synced = true, Done = new TaskCompletionSource<bool>() });
                }
                try
                {
                    WriteBatch(batch);
                    foreach (var pending in batch) pending.Done.TrySetResult(true);
                }
                catch (Exception e)
                {
                    var failure = new IOException("The journal " + _path + " could not be written: " + e.Message, e);
                    foreach (var pending in batch) pending.Done.TrySetException(failure);
                }
            }
        }

        private void WriteBatch(List<PendingAppend> batch)
        {
            bool sync = batch.Any(p => p.Synced);
            if (batch.All(p => p.Line == null))
            {
                if (sync && _unsynced) SyncWritten();
                return;
            }
            _view.EnsureLoaded();
            lock (_view.FileWork)
            {
                using (_lock.Acquire())
                {
                    // Others' lines first, so the state and the offset follow the file in order.
                    long offset = _view.CatchUp();
                    using (var file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                    {
                        long start = file.Seek(0, SeekOrigin.End);
                        if (start != offset)
                        {
                            // A torn last line (a crash mid-write) is ended, so the next record starts on a line of its own.
                            file.WriteByte((byte)'\n');
                            start++;
                        }
                        var lines = batch.Where(p => p.Line != null).Select(p => p.Line).ToList();
                        using (var all = new MemoryStream())
                        {
                            foreach (var line in lines) all.Write(line, 0, line.Length);
                            file.Write(all.GetBuffer(), 0, (int)all.Length);
                        }
                        // In the operating system either way, so a crash of this process loses nothing.
                        file.Flush(flushToDisk: sync);
                        if (sync)
                        {
                            Interlocked.Increment(ref _fsyncs);
                            _unsynced = false;
                        }
                        else if (!_unsynced)
                        {
                            _unsynced = true;
                            _syncDue = DateTime.UtcNow + LazySyncDelay;
                        }
                        _view.Appended(lines, file.Position);
                    }
                }
            }
        }

        // The lazily written lines: an fsync of the file flushes them whichever handle wrote them. Should a compaction have
        // replaced the file meanwhile, it wrote and synced their content into the new files first.
        private void SyncWritten()
        {
            lock (_view.FileWork)
            {
                try
                {
                    using (var file = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                    {
                        file.Flush(flushToDisk: true);
                    }
                    Interlocked.Increment(ref _fsyncs);
                }
                catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
                {
                    // Gone with its folder: nothing is left to sync.
                }
                finally
                {
                    // A failed fsync is reported to whoever waits for it, once; retried, it would keep the writer
                    // spinning (the sync stays due).
                    _unsynced = false;
                }
            }
        }
    }
}
