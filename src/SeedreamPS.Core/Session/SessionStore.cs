using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Core.Session
{
    /// <summary>The connections a session made with <c>Connect-Seedream</c>, one per gateway, and how to find
    /// the right one for a call: explicit parameters, then the session, then environment variables.</summary>
    public sealed class SessionStore
    {
        /// <summary>Environment variable holding the API key.</summary>
        public const string ApiKeyVariable = "SEEDREAM_API_KEY";

        /// <summary>Environment variable naming the gateway the key belongs to (EvoLink when unset).</summary>
        public const string GatewayVariable = "SEEDREAM_GATEWAY";

        /// <summary>Environment variable overriding the gateway's base URI.</summary>
        public const string BaseUriVariable = "SEEDREAM_BASE_URI";

        /// <summary>Environment variable overriding EvoLink's files API root (for local reference images).</summary>
        public const string FilesBaseUriVariable = "SEEDREAM_FILES_BASE_URI";

        private readonly ConcurrentDictionary<SeedreamGateway, SeedreamConnection> _connections = new ConcurrentDictionary<SeedreamGateway, SeedreamConnection>();
        private readonly Func<string, string> _environment;

        /// <summary>Creates a store reading environment variables through <paramref name="environment"/> (tests pass a fake).</summary>
        public SessionStore(Func<string, string> environment = null)
        {
            _environment = environment ?? Environment.GetEnvironmentVariable;
        }

        /// <summary>The journal chosen with Connect-Seedream -JournalPath (null: SEEDREAM_JOURNAL_PATH or the default).</summary>
        public string JournalPath { get; set; }

        /// <summary>The session's journal: one service per file in the process, read once.</summary>
        public Journal.TaskJournal Journal => Core.Journal.TaskJournal.Resolve(JournalPath ?? _environment(Core.Journal.TaskJournal.PathVariable));

        /// <summary>The gateway used when a call names none: the last one connected to.</summary>
        public SeedreamGateway? DefaultGateway { get; private set; }

        /// <summary>Remembers <paramref name="connection"/> for its gateway and makes that gateway the default.</summary>
        public void Connect(SeedreamConnection connection)
        {
            if (connection == null) throw new ArgumentNullException(nameof(connection));
            _connections[connection.Gateway] = connection;
            DefaultGateway = connection.Gateway;
        }

        /// <summary>Forgets the connection to <paramref name="gateway"/>, or all of them.</summary>
        public void Disconnect(SeedreamGateway? gateway = null)
        {
            if (gateway == null)
            {
                _connections.Clear();
                DefaultGateway = null;
                return;
            }
            _connections.TryRemove(gateway.Value, out _);
            if (DefaultGateway == gateway) DefaultGateway = _connections.Keys.Cast<SeedreamGateway?>().FirstOrDefault();
        }

        /// <summary>The connection Connect-Seedream made for the session's default gateway, or null: whose transport (proxy,
        /// timeout, retries) a download that belongs to no gateway uses too.</summary>
        public SeedreamConnection DefaultConnection =>
            DefaultGateway is SeedreamGateway gateway && _connections.TryGetValue(gateway, out var connection) ? connection : null;

        /// <summary>Builds a connection from <paramref name="settings"/> alone (for Connect-Seedream), filling the key
        /// and base URI from the environment where they are not given.</summary>
        /// <exception cref="SeedreamException">No key anywhere; the message names the three ways to give one.</exception>
        public SeedreamConnection Create(ConnectionSettings settings)
        {
            var gateway = settings.Gateway ?? EnvironmentGateway() ?? GatewayAdapters.DefaultGateway;
            return Build(gateway, settings, null);
        }

        /// <summary>The connection for one call.</summary>
        /// <param name="taskGateway">The gateway a task lives on, where the call is about a task; it wins over the defaults.</param>
        /// <param name="settings">Explicit parameters of the call.</param>
        /// <exception cref="SeedreamException">No key anywhere, or an explicit gateway that contradicts the task's.</exception>
        public SeedreamConnection Resolve(SeedreamGateway? taskGateway, ConnectionSettings settings)
        {
            settings = settings ?? new ConnectionSettings();
            if (taskGateway.HasValue && settings.Gateway.HasValue && taskGateway != settings.Gateway)
            {
                throw new SeedreamException(ErrorIds.GatewayMismatch, SeedreamErrorCategory.InvalidArgument, string.Format(CultureInfo.InvariantCulture,
                    "The task is on {0}, but -Gateway says {1}; leave -Gateway out for tasks.", taskGateway, settings.Gateway));
            }
            var gateway = taskGateway ?? settings.Gateway ?? DefaultGateway ?? EnvironmentGateway() ?? GatewayAdapters.DefaultGateway;
            _connections.TryGetValue(gateway, out var session);
            bool nothingExplicit = settings.ApiKey == null && settings.BaseUri == null && settings.Region == null && settings.FilesBaseUri == null && settings.Timeout == null && settings.MaxRetryCount == null && settings.Proxy == null && settings.PollInterval == null;
            if (session != null && nothingExplicit) return session;
            return Build(gateway, settings, session);
        }

        private SeedreamConnection Build(SeedreamGateway gateway, ConnectionSettings settings, SeedreamConnection session)
        {
            bool environmentApplies = (EnvironmentGateway() ?? GatewayAdapters.DefaultGateway) == gateway;
            var key = settings.ApiKey ?? session?.ApiKey ?? (environmentApplies ? EnvironmentKey() : null);
            if (key == null)
            {
                throw SeedreamException.NotConnected(string.Format(CultureInfo.InvariantCulture,
                    "No API key for {0}. Give one with -ApiKey, run Connect-Seedream -Gateway {0} -ApiKey (Read-Host -AsSecureString), " +
                    "or set the {1} environment variable{2}.", gateway, ApiKeyVariable,
                    gateway == GatewayAdapters.DefaultGateway ? "" : " (with " + GatewayVariable + "=" + gateway + ")"));
            }
            var regions = GatewayAdapters.For(gateway).Capabilities.Regions;
            string region = null;
            if (settings.Region != null)
            {
                region = regions.Keys.FirstOrDefault(r => string.Equals(r, settings.Region.Trim(), StringComparison.OrdinalIgnoreCase));
                if (region == null)
                {
                    throw SeedreamValidationException.For("Region", settings.Region, regions.Count == 0
                        ? "-Region is not a setting of " + gateway + ", which has one address; leave it out (regions are a setting of " +
                          Text.JoinOr(GatewayAdapters.All.Where(a => a.Capabilities.Regions.Count > 0).Select(a => a.Gateway.ToString()).ToList()) + ")."
                        : "Region '" + settings.Region + "' is not one of " + gateway + "'s; use " + Text.JoinOr(regions.Keys.ToList()) + ".");
                }
            }
            // -Region names the address unless -BaseUri names another (a proxy in front of the region's address).
            Uri baseUri = settings.BaseUri ?? (region != null ? regions[region] : null) ?? session?.BaseUri ?? (environmentApplies ? EnvironmentUri(BaseUriVariable) : null);
            var connection = new SeedreamConnection(gateway, key, baseUri);
            // Without -Region, an address that is a region's own says which region it is.
            connection.Region = region ?? (settings.BaseUri == null ? session?.Region : null) ?? regions.FirstOrDefault(r => SameRoot(r.Value, connection.BaseUri)).Key;
            connection.Timeout = settings.Timeout ?? session?.Timeout ?? connection.Timeout;
            connection.Proxy = settings.Proxy ?? session?.Proxy;
            connection.PollInterval = settings.PollInterval ?? session?.PollInterval;
            var files = settings.FilesBaseUri ?? session?.FilesBaseUri ?? (environmentApplies ? EnvironmentUri(FilesBaseUriVariable) : null);
            if (files != null) connection.FilesBaseUri = files;
            int retries = settings.MaxRetryCount ?? session?.Retry?.MaxRetries ?? connection.Retry.MaxRetries;
            connection.Retry = new RetryPolicy { MaxRetries = retries };
            return connection;
        }

        private static bool SameRoot(Uri a, Uri b) =>
            string.Equals(a.AbsoluteUri.TrimEnd('/'), b.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

        private SeedreamGateway? EnvironmentGateway()
        {
            string value = _environment(GatewayVariable);
            if (string.IsNullOrWhiteSpace(value)) return null;
            if (Enum.TryParse(value.Trim(), ignoreCase: true, out SeedreamGateway gateway) && Enum.IsDefined(typeof(SeedreamGateway), gateway)) return gateway;
            throw SeedreamException.InvalidConfiguration(string.Format(CultureInfo.InvariantCulture,
                "The {0} environment variable says '{1}', which is not a gateway; use {2}.", GatewayVariable, value,
                Text.JoinOr(Enum.GetNames(typeof(SeedreamGateway)))));
        }

        private SeedreamApiKey EnvironmentKey()
        {
            string value = _environment(ApiKeyVariable);
            return string.IsNullOrWhiteSpace(value) ? null : new SeedreamApiKey(value);
        }

        private Uri EnvironmentUri(string variable)
        {
            string value = _environment(variable);
            if (string.IsNullOrWhiteSpace(value)) return null;
            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
            {
                throw SeedreamException.InvalidConfiguration("The " + variable + " environment variable is not an absolute URI: '" + value + "'.");
            }
            return uri;
        }
    }
}
