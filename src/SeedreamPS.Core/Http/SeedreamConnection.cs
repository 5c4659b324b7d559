using System;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;

namespace SeedreamPS.Core.Http
{
    /// <summary>Everything needed to talk to one gateway: where, with which key, how patiently. Its settings can be changed
    /// until a client is built from it; from then on they are frozen (as HttpClient's are after its first request), so a
    /// client never sees a setting change under it: to change one, make a new connection (Connect-Seedream again).</summary>
    public sealed class SeedreamConnection
    {
        private readonly Uri _defaultBaseUri;
        private Uri _baseUri;
        private Uri _filesBaseUri;
        private string _region;
        private TimeSpan _timeout;
        private RetryPolicy _retry = new RetryPolicy();
        private string _journalPath;
        private Uri _proxy;
        private TimeSpan? _pollInterval;
        private System.Net.Http.HttpMessageHandler _handler;
        private Action<string> _trace;

        /// <summary>Creates a connection to <paramref name="gateway"/> at its public address unless <paramref name="baseUri"/> says otherwise.</summary>
        /// <exception cref="ArgumentException">The base URI is neither HTTPS nor loopback HTTP.</exception>
        public SeedreamConnection(SeedreamGateway gateway, SeedreamApiKey apiKey, Uri baseUri = null)
        {
            Gateway = gateway;
            ApiKey = apiKey ?? throw new ArgumentNullException(nameof(apiKey));
            var adapter = GatewayAdapters.For(gateway);
            _defaultBaseUri = ApiRoot(adapter.DefaultBaseUri, nameof(BaseUri));
            BaseUri = baseUri ?? adapter.DefaultBaseUri;
            _filesBaseUri = (adapter as IUploadingGatewayAdapter)?.DefaultFilesBaseUri;
            Timeout = adapter.Capabilities.DefaultTimeout;
        }

        /// <summary>The gateway.</summary>
        public SeedreamGateway Gateway { get; }

        /// <summary>The gateway's region (one of its <see cref="GatewayCapabilities.Regions"/>), which names its API root
        /// unless <see cref="BaseUri"/> says otherwise and may decide the model ids sent; null for the gateway's default.</summary>
        public string Region
        {
            get => _region;
            set => _region = Settable(value);
        }

        /// <summary>The key, hidden: it prints as <c>***</c>.</summary>
        public SeedreamApiKey ApiKey { get; }

        /// <summary>The gateway's API root, for example <c>https://api.evolink.ai</c>.</summary>
        public Uri BaseUri
        {
            get => _baseUri;
            set => _baseUri = Settable(ApiRoot(value, nameof(BaseUri)));
        }

        /// <summary>The gateway's files API root, where local reference images are uploaded (EvoLink's); null where the
        /// gateway has none.</summary>
        public Uri FilesBaseUri
        {
            get => _filesBaseUri;
            set
            {
                _filesBaseUri = Settable(ApiRoot(value, nameof(FilesBaseUri)));
                FilesBaseUriGiven = true;
            }
        }

        /// <summary>Whether <see cref="FilesBaseUri"/> was set (even to the public address), rather than left at the default.</summary>
        public bool FilesBaseUriGiven { get; private set; }

        /// <summary>Whether <see cref="BaseUri"/> is the gateway's public address.</summary>
        public bool UsesPublicBaseUri => Uri.Compare(_baseUri, _defaultBaseUri, UriComponents.AbsoluteUri, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

        /// <summary>How long one HTTP request may take before it is abandoned (100 s; 300 s on ModelArk).</summary>
        public TimeSpan Timeout
        {
            get => _timeout;
            set => _timeout = Settable(value);
        }

        /// <summary>Retries for queries, downloads and (only where nothing can have been created) task creation.</summary>
        public RetryPolicy Retry
        {
            get => _retry;
            set => _retry = Settable(value);
        }

        /// <summary>Where the session's journal of paid tasks is, as Connect-Seedream reports it (null where not known).</summary>
        public string JournalPath
        {
            get => _journalPath;
            set => _journalPath = Settable(value);
        }

        /// <summary>A proxy for all requests, or null for the system default.</summary>
        public Uri Proxy
        {
            get => _proxy;
            set => _proxy = Settable(value);
        }

        /// <summary>A fixed interval between status polls; null follows the gateway's documented schedule.</summary>
        public TimeSpan? PollInterval
        {
            get => _pollInterval;
            set => _pollInterval = Settable(value);
        }

        /// <summary>A handler to send through instead of the shared one (tests: a handler that behaves as .NET Framework's does).</summary>
        internal System.Net.Http.HttpMessageHandler Handler
        {
            get => _handler;
            set => _handler = Settable(value);
        }

        /// <summary>Marks a <see cref="Trace"/> line meant for a debug stream: a request's JSON body or an answer's body
        /// (key redacted, long bodies cut), where the other lines are one per exchange.</summary>
        public const string DebugTracePrefix = "debug: ";

        /// <summary>Receives one line per HTTP exchange (method, URL, status, time); never headers or the key.</summary>
        public Action<string> Trace
        {
            get => _trace;
            set => _trace = Settable(value);
        }

        /// <summary>Whether a client has been built from this connection, which froze its settings.</summary>
        public bool IsFrozen { get; private set; }

        // Called by whatever reads the settings for good (a client's transport): from here on they stay as they are.
        internal void Freeze()
        {
            IsFrozen = true;
            _retry?.Freeze();
        }

        private T Settable<T>(T value)
        {
            if (IsFrozen)
            {
                throw new InvalidOperationException("This connection is in use: its settings were fixed when a client was built from it. " +
                    "To change one, run Connect-Seedream again with every setting you want (-ApiKey, -BaseUri, -Proxy, ...: it starts from the defaults, " +
                    "not from this connection), or make a new SeedreamConnection.");
            }
            return value;
        }

        // An allowed transport, ending in a slash so relative paths append instead of replacing the last segment.
        private static Uri ApiRoot(Uri value, string name)
        {
            if (value == null) throw new ArgumentNullException(name);
            // A parameter's value: refused with the module's own error id (InvalidParameter.BaseUri), not ArgumentException's.
            if (!TransportRules.IsAllowed(value))
            {
                throw Requests.SeedreamValidationException.For(name, value, name + " '" + value + "' must use https:// (plain http:// is allowed only to a loopback address such as 127.0.0.1).");
            }
            return value.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? value : new Uri(value.AbsoluteUri + "/");
        }

        /// <inheritdoc />
        public override string ToString() => Gateway + " " + BaseUri;
    }
}
