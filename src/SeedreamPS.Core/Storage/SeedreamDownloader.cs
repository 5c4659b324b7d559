using System;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Storage
{
    /// <summary>Fetches result images to disk, atomically and checked. A gateway's client downloads with its connection's
    /// timeout, retries, proxy and trace; an image that comes without a connection (a bare URL, a task whose gateway has
    /// no key in this session) is fetched by one that belongs to no gateway, since result URLs need no key.</summary>
    public sealed class SeedreamDownloader
    {
        private readonly HttpTransport _transport;

        internal SeedreamDownloader(HttpTransport transport)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        }

        /// <summary>A downloader that belongs to no gateway and holds no key.</summary>
        /// <param name="timeout">How long the image host may stay silent before a download is abandoned.</param>
        /// <param name="maxRetries">Retries for a download that broke off or met a transient status.</param>
        /// <param name="trace">Receives one line per HTTP exchange.</param>
        /// <param name="proxy">A proxy for the downloads, or null for the system default.</param>
        public static SeedreamDownloader WithoutConnection(TimeSpan timeout, int maxRetries, Action<string> trace = null, Uri proxy = null) =>
            new SeedreamDownloader(HttpTransport.ForDownloads(timeout, new RetryPolicy { MaxRetries = maxRetries }, proxy, trace));

        /// <summary>A downloader that belongs to no gateway and holds no key, with <paramref name="settings"/>' timeout,
        /// retries and proxy (a URL saved alone behaves as the session's connection says). Freezes that connection.</summary>
        /// <param name="settings">The connection whose transport settings to use.</param>
        /// <param name="trace">Receives one line per HTTP exchange instead of the connection's trace.</param>
        public static SeedreamDownloader WithTransportOf(SeedreamConnection settings, Action<string> trace = null) =>
            new SeedreamDownloader(HttpTransport.ForDownloadsLike(settings ?? throw new ArgumentNullException(nameof(settings)), trace));

        /// <summary>Streams one image to <paramref name="path"/> atomically, checking that it is a complete image, and
        /// sets the image's <see cref="SeedreamImage.Path"/>.</summary>
        /// <exception cref="System.IO.IOException">The file exists and <see cref="DownloadOptions.Overwrite"/> is off.</exception>
        /// <exception cref="SeedreamApiException">The image could not be fetched (expired, truncated, not an image, too large).</exception>
        public async Task<DownloadResult> DownloadAsync(SeedreamImage image, string path, DownloadOptions options = null,
            CancellationToken cancellation = default(CancellationToken))
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            var result = await ImageDownloader.DownloadAsync(_transport, image.Url, path, options, cancellation).ConfigureAwait(false);
            image.Path = result.Path;
            return result;
        }
    }
}
