using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Errors;

namespace SeedreamPS.Core.Client
{
    /// <summary>The images (and refused images) of one stream as they arrive, for any number of readers: the batch that
    /// created the task journals them, and a batch downstream (Save-SeedreamImage) saves them, each at its own pace.</summary>
    internal sealed class ImageFeed
    {
        private readonly object _gate = new object();
        // SeedreamImage or SeedreamImageFailure, in arrival order.
        private readonly List<object> _items = new List<object>();
        private readonly Func<Func<Tasks.SeedreamImage, Task>, Task> _read;
        private readonly TaskCompletionSource<bool> _ended = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource<bool> _changed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        /// <param name="read">Reads the stream to its end, publishing what arrives; given the hook that sees each image
        /// before any reader does (the journal).</param>
        public ImageFeed(Func<Func<Tasks.SeedreamImage, Task>, Task> read)
        {
            _read = read;
        }

        /// <summary>Why the stream ended before it was complete (broken off, an error event); null when complete or still running.</summary>
        public Exception BrokenOff { get; private set; }

        /// <summary>Whether the stream has ended, complete or not.</summary>
        public bool Ended => _ended.Task.IsCompleted;

        /// <summary>Completes when the stream has ended.</summary>
        public Task Completion => _ended.Task;

        /// <summary>Starts reading the stream, once; <paramref name="beforePublish"/> runs for each image before any reader
        /// sees it (so it is journalled before it can be saved).</summary>
        public void Start(Func<Tasks.SeedreamImage, Task> beforePublish)
        {
            if (Interlocked.Exchange(ref _started, 1) != 0) return;
            Task.Run(async () =>
            {
                try
                {
                    await _read(beforePublish).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    End(SeedreamException.From(e));
                }
            });
        }

        public void Publish(object item)
        {
            TaskCompletionSource<bool> changed;
            lock (_gate)
            {
                _items.Add(item);
                changed = _changed;
                _changed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult(true);
        }

        public void End(Exception brokenOff)
        {
            TaskCompletionSource<bool> changed;
            lock (_gate)
            {
                if (_ended.Task.IsCompleted) return;
                BrokenOff = brokenOff;
                changed = _changed;
            }
            _ended.TrySetResult(true);
            changed.TrySetResult(true);
        }

        /// <summary>What arrived after the first <paramref name="seen"/> items, waiting for more until the stream ends;
        /// an empty list means it has ended.</summary>
        public async Task<IReadOnlyList<object>> NextAsync(int seen, CancellationToken cancellation)
        {
            Start(null);
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (_items.Count > seen) return _items.GetRange(seen, _items.Count - seen);
                    if (_ended.Task.IsCompleted) return new object[0];
                    changed = _changed.Task;
                }
                var cancelled = new TaskCompletionSource<bool>();
                using (cancellation.Register(() => cancelled.TrySetCanceled()))
                {
                    await Task.WhenAny(changed, cancelled.Task).ConfigureAwait(false);
                }
                cancellation.ThrowIfCancellationRequested();
            }
        }
    }
}
