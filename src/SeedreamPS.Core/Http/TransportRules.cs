using System;
using System.Net;

namespace SeedreamPS.Core.Http
{
    /// <summary>HTTPS everywhere; plain HTTP only to a loopback address (the local simulator).</summary>
    public static class TransportRules
    {
        /// <summary>Whether <paramref name="uri"/> may be used: HTTPS, or HTTP to loopback.</summary>
        public static bool IsAllowed(Uri uri)
        {
            if (uri == null || !uri.IsAbsoluteUri) return false;
            if (uri.Scheme == Uri.UriSchemeHttps) return true;
            return uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri);
        }

        /// <summary>Throws unless <paramref name="uri"/> is allowed; <paramref name="what"/> names it in the message.</summary>
        public static void Demand(Uri uri, string what)
        {
            if (!IsAllowed(uri))
            {
                throw new ArgumentException(what + " '" + uri + "' must use https:// (plain http:// is allowed only to a loopback address such as 127.0.0.1).");
            }
        }

        /// <summary>Whether the host is a loopback address or <c>localhost</c>.</summary>
        public static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback) return true;
            return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
        }
    }
}
