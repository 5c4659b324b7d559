using System;
using System.Linq;
using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>Reads what a gateway posts to a callback URL (the task query body) into a task, for webhook receivers.</summary>
    public static class CallbackBody
    {
        /// <summary>Parses <paramref name="body"/>; the gateway is recognised from the body unless given.</summary>
        /// <exception cref="ArgumentException">The body is no task of any gateway.</exception>
        public static SeedreamTask Parse(string body, SeedreamGateway? gateway = null)
        {
            var detected = gateway ?? Detect(body) ?? throw new ArgumentException("The callback body is not a Seedream task of " +
                string.Join(" or ", GatewayAdapters.All.OfType<IQueryableGatewayAdapter>().Select(a => a.Gateway)) + ".", nameof(body));
            try
            {
                var adapter = GatewayAdapters.For(detected) as IQueryableGatewayAdapter
                    ?? throw new ArgumentException(detected + " answers synchronously and posts no callbacks.", nameof(body));
                return adapter.ParseQuery(body);
            }
            catch (Http.SeedreamApiException e)
            {
                throw new ArgumentException("The callback body cannot be read as a " + detected + " task: " + e.Message, nameof(body), e);
            }
        }

        /// <summary>The gateway whose task shape <paramref name="body"/> has (each queryable adapter knows its own), or null.</summary>
        public static SeedreamGateway? Detect(string body)
        {
            using (var doc = Json.TryParse(body))
            {
                JsonElement? root = doc?.RootElement;
                if (root == null || root.Value.ValueKind != JsonValueKind.Object) return null;
                return GatewayAdapters.All.OfType<IQueryableGatewayAdapter>().FirstOrDefault(a => a.IsTaskBody(root.Value))?.Gateway;
            }
        }
    }
}
