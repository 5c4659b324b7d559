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

        /// <summary>Connections per host: enough for 20 creates and 20 downloads really in flight at once.</summary>
        internal const int MaxConnections = 64;

        private static HttpClient Create(Uri proxy)
        {
            Platform.TlsPolicy.Apply();
            var handler = new HttpClientHandler
            {
                // Redirects are followed by HttpTransport, which checks each hop's scheme and drops credentials across hosts.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            if (proxy != null)
            {
                handler.Proxy = new WebProxy(proxy);
                handler.UseProxy = true;
            }
            if (!TrySetMaxConnections(() => handler.MaxConnectionsPerServer = MaxConnections))
            {
                // Older .NET Framework takes the limit from ServicePointManager (2 per host by default): raise it for the
                // process, or 20 creates in flight would really be 2.
                ServicePointManager.DefaultConnectionLimit = Math.Max(ServicePointManager.DefaultConnectionLimit, MaxConnections);
            }
            // Per-request timeouts come from cancellation tokens, so one slow download cannot starve the rest.
            return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        /// <summary>Runs <paramref name="set"/>; false where the handler cannot take the setting (some .NET Framework
        /// handlers throw PlatformNotSupportedException, others NotImplementedException).</summary>
        internal static bool TrySetMaxConnections(Action set)
        {
            try
            {
                set();
                return true;
            }
            catch (PlatformNotSupportedException)
            {
                return false;
            }
            catch (NotImplementedException)
            {
                return false;
            }
        }
    }
}
