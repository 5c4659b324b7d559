using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SeedreamPS.Core.Http
{
    /// <summary>Paces creates under a gateway's published rate (ModelArk: 500 images a minute per model and account):
    /// before a request for n images goes out, it waits until the last minute's images plus n fit. Over the limit the
    /// gateway answers 429 (RateLimitExceeded.EndpointIPMExceeded), which is retried as well, but pacing avoids the
    /// round trips and keeps a large batch steady.</summary>
    internal sealed class RateWindow
    {
        private static readonly ConcurrentDictionary<string, RateWindow> Shared = new ConcurrentDictionary<string, RateWindow>(StringComparer.Ordinal);

        private readonly int _limit;
        private readonly TimeSpan _window;
        private readonly Func<DateTimeOffset> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Queue<(DateTimeOffset At, int Images)> _sent = new Queue<(DateTimeOffset, int)>();
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private int _inWindow;

        public RateWindow(int limit, TimeSpan window, Func<DateTimeOffset> now = null, Func<TimeSpan, CancellationToken, Task> delay = null)
        {
            _limit = Math.Max(1, limit);
            _window = window;
            _now = now ?? (() => DateTimeOffset.UtcNow);
            _delay = delay ?? Task.Delay;
        }

        /// <summary>The process's window for one rate (one gateway address and model).</summary>
        public static RateWindow For(string key, int imagesPerMinute) => Shared.GetOrAdd(key, _ => new RateWindow(imagesPerMinute, TimeSpan.FromMinutes(1)));

        /// <summary>Waits until <paramref name="images"/> more fit the window, then counts them as sent.</summary>
        public async Task TakeAsync(int images, CancellationToken cancellation)
        {
            int wanted = Math.Min(Math.Max(1, images), _limit);
            await _gate.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    var now = _now();
                    while (_sent.Count > 0 && _sent.Peek().At + _window <= now) _inWindow -= _sent.Dequeue().Images;
                    if (_inWindow + wanted <= _limit)
                    {
                        _sent.Enqueue((now, wanted));
                        _inWindow += wanted;
                        return;
                    }
                    // Until the oldest images leave the window.
                    var wait = _sent.Peek().At + _window - now;
                    await _delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), cancellation).ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
