using System;
using System.Net;
using System.Net.Sockets;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Requests
{
    /// <summary>The gateways' documented callback rules: HTTPS only, no internal address, at most 2048 characters.</summary>
    public static class CallbackUrlRule
    {
        /// <summary>Checks a callback URL.</summary>
        /// <returns>Null when the URL is acceptable; otherwise the rule it breaks, in words.</returns>
        public static string Check(string url)
        {
            if (string.IsNullOrWhiteSpace(url)) return "must be an absolute https:// URL";
            if (url.Length > ModelCatalog.MaxCallbackUrlLength)
            {
                return "is " + url.Length + " characters long; the gateways accept at most " + ModelCatalog.MaxCallbackUrlLength;
            }
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "is not an absolute URL";
            if (uri.Scheme != Uri.UriSchemeHttps) return "must use https (the gateways call back over HTTPS only)";
            string reason = InternalHostReason(uri);
            return reason == null ? null : "points at " + reason + "; the gateways call back only to public hosts";
        }

        /// <summary>Why a URI's host is internal (loopback, private, link-local, unspecified, localhost), or null.</summary>
        public static string InternalHostReason(Uri uri)
        {
            // Uri canonicalises decimal, hex and octal IPv4 forms (http://2130706433/ → 127.0.0.1).
            string host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
            if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)) return "localhost";
            if (uri.HostNameType != UriHostNameType.IPv4 && uri.HostNameType != UriHostNameType.IPv6) return null;
            if (!IPAddress.TryParse(host.Trim('[', ']'), out var address)) return null;
            return InternalAddressReason(address);
        }

        /// <summary>Why an address is internal, or null for a public one.</summary>
        public static string InternalAddressReason(IPAddress address)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                if (address.IsIPv4MappedToIPv6) return InternalAddressReason(address.MapToIPv4());
                byte[] b6 = address.GetAddressBytes();
                if (IPAddress.IPv6Loopback.Equals(address)) return "a loopback address";
                if (IPAddress.IPv6Any.Equals(address)) return "the unspecified address";
                if ((b6[0] & 0xFE) == 0xFC) return "a private (unique local) address";
                if (b6[0] == 0xFE && (b6[1] & 0xC0) == 0x80) return "a link-local address";
                if (b6[0] == 0xFE && (b6[1] & 0xC0) == 0xC0) return "a site-local address";
                bool v4Compatible = true;
                for (int i = 0; i < 12; i++) v4Compatible &= b6[i] == 0;
                if (v4Compatible) return InternalAddressReason(new IPAddress(new[] { b6[12], b6[13], b6[14], b6[15] }));
                return null;
            }
            byte[] b = address.GetAddressBytes();
            if (b[0] == 127) return "a loopback address";
            if (b[0] == 0) return "the unspecified address";
            if (b[0] == 10) return "a private address";
            if (b[0] == 172 && b[1] >= 16 && b[1] <= 31) return "a private address";
            if (b[0] == 192 && b[1] == 168) return "a private address";
            if (b[0] == 169 && b[1] == 254) return "a link-local address";
            if (b[0] == 100 && b[1] >= 64 && b[1] <= 127) return "a shared (carrier-grade NAT) address";
            if (b[0] >= 224) return "a multicast or reserved address";
            return null;
        }
    }
}
