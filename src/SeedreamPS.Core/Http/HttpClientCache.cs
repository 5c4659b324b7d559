using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;

namespace SeedreamPS.Core.Http
{
    /// <summary>One <see cref="HttpClient"/> per distinct transport setting (the proxy), shared by every call:
    /// a client per call would exhaust sockets in a large batch.</summary>
    internal static class HttpClientCache
    {
        private static readonly ConcurrentDictionary<string, HttpClient> Clients = new ConcurrentDictionary<string, HttpClient>();

        public static HttpClient For(Uri proxy) => Clients.GetOrAdd(proxy?.AbsoluteUri ?? string.Empty, _ => Create(proxy));

        private static HttpClient Create(Uri proxy)
        {
            var handler = new HttpClientHandler
            {
                // Redirects are followed by HttpPipeline, which checks each hop's scheme and drops credentials across hosts.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            if (proxy != null)
            {
                handler.Proxy = new WebProxy(proxy);
                handler.UseProxy = true;
            }
            try
            {
                handler.MaxConnectionsPerServer = 64;
            }
            catch (PlatformNotSupportedException)
            {
                // .NET Framework takes this from ServicePointManager instead.
            }
            // Per-request timeouts come from cancellation tokens, so one slow download cannot starve the rest.
            return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }
    }
}
