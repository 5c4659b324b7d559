using System;
using System.Collections.Concurrent;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Client
{
    /// <summary>The clients one command uses, one per gateway, made on first use and shared by every thread of the
    /// command: creates, status queries and downloads alike.</summary>
    public sealed class ClientSet
    {
        private readonly Func<SeedreamGateway?, SeedreamConnection> _resolve;
        private readonly Action<string> _trace;
        private readonly ConcurrentDictionary<string, SeedreamClient> _clients = new ConcurrentDictionary<string, SeedreamClient>(StringComparer.Ordinal);
        private readonly Lazy<SeedreamDownloader> _keyless;

        /// <summary>Creates a set that finds each gateway's connection through <paramref name="resolve"/> (null: the
        /// default gateway), which throws <see cref="SeedreamException"/> where no key can be found.</summary>
        /// <param name="resolve">Finds a gateway's connection.</param>
        /// <param name="trace">Receives the HTTP trace lines of every client of the set.</param>
        /// <param name="transport">The session's connection whose proxy, timeout and retries a download of no gateway (a URL
        /// given alone) uses too; null for the defaults (100 s, 3 retries, the system proxy).</param>
        public ClientSet(Func<SeedreamGateway?, SeedreamConnection> resolve, Action<string> trace = null, SeedreamConnection transport = null)
        {
            _resolve = resolve ?? throw new ArgumentNullException(nameof(resolve));
            _trace = trace;
            _keyless = new Lazy<SeedreamDownloader>(() => transport == null
                ? SeedreamDownloader.WithoutConnection(TimeSpan.FromSeconds(100), 3, _trace)
                : SeedreamDownloader.WithTransportOf(transport, _trace));
        }

        /// <summary>The downloader for images that come without a task or connection (a URL given alone).</summary>
        public SeedreamDownloader Keyless => _keyless.Value;

        /// <summary>A set holding one ready client (the demo, the benchmark, tests).</summary>
        public static ClientSet Of(SeedreamClient client)
        {
            if (client == null) throw new ArgumentNullException(nameof(client));
            var set = new ClientSet(gateway =>
            {
                if (gateway.HasValue && gateway != client.Connection.Gateway)
                {
                    throw SeedreamException.NotConnected("This batch is connected to " + client.Connection.Gateway + " only, not " + gateway + ".");
                }
                return client.Connection;
            });
            set._clients[Key(null)] = client;
            set._clients[Key(client.Connection.Gateway)] = client;
            return set;
        }

        private static string Key(SeedreamGateway? gateway) => gateway?.ToString() ?? "";

        /// <summary>The client for <paramref name="gateway"/> (null: the command's default gateway).</summary>
        /// <exception cref="SeedreamException">No key for that gateway, or a connection setting is invalid.</exception>
        public SeedreamClient For(SeedreamGateway? gateway) =>
            _clients.GetOrAdd(Key(gateway), _ =>
            {
                var connection = _resolve(gateway);
                // The default gateway's client is the same object as the one asked for by name.
                return _clients.GetOrAdd(Key(connection.Gateway), __ => new SeedreamClient(connection, _trace));
            });

        /// <summary>What downloads <paramref name="task"/>'s images: its gateway's client where there is a key for it,
        /// else a downloader of no gateway and no key (result URLs need none).</summary>
        public SeedreamDownloader ForDownload(SeedreamTask task)
        {
            if (task == null) return _keyless.Value;
            try
            {
                return For(task.Gateway).Downloader;
            }
            catch (SeedreamException)
            {
                return _keyless.Value;
            }
        }
    }
}
