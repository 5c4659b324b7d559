using System;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Http
{
    /// <summary>Who a transport error is about, by the address: a gateway's API, its files API (a host of its own), or an
    /// image host. A transport of no gateway knows image hosts only.</summary>
    internal sealed class HostNames
    {
        private readonly Uri _api;
        private readonly Uri _files;

        /// <summary>Hosts of no gateway: every address is an image host.</summary>
        public static readonly HostNames ImageHostsOnly = new HostNames();

        private HostNames()
        {
        }

        /// <summary>The hosts of <paramref name="connection"/>'s gateway.</summary>
        public HostNames(SeedreamConnection connection)
        {
            Gateway = connection.Gateway;
            _api = connection.BaseUri;
            _files = connection.FilesBaseUri;
        }

        /// <summary>The gateway whose hosts these are; null for a transport of no gateway.</summary>
        public SeedreamGateway? Gateway { get; }

        /// <summary>"the image host h", "EvoLink's files API at h" or "EvoLink".</summary>
        public string Describe(Uri uri, RequestKind kind)
        {
            if (kind == RequestKind.Download || Gateway == null) return "the image host " + uri.Host;
            if (IsFilesApi(uri)) return Gateway + "'s files API at " + uri.Authority;
            return Gateway.ToString();
        }

        /// <summary>Whether <paramref name="uri"/> is the gateway's own API host: a failure to reach it fails every record,
        /// where the files API or an image host fails only what needs them.</summary>
        public bool IsApiHost(Uri uri, RequestKind kind) => Gateway != null && kind != RequestKind.Download && !IsFilesApi(uri);

        private bool IsFilesApi(Uri uri) =>
            _files != null &&
            uri.AbsoluteUri.StartsWith(_files.AbsoluteUri, StringComparison.OrdinalIgnoreCase) &&
            !uri.AbsoluteUri.StartsWith(_api.AbsoluteUri, StringComparison.OrdinalIgnoreCase);
    }
}
