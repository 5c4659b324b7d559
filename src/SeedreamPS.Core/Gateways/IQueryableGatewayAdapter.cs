using System.Net.Http;
using System.Text.Json;
using System;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>An adapter of a gateway whose tasks run on after the create answers and can be read by id later
    /// (<see cref="GatewayCapabilities.Queryable"/>). A synchronous gateway's adapter does not implement it, so there
    /// is no query method that could only throw.</summary>
    public interface IQueryableGatewayAdapter : IGatewayAdapter
    {
        /// <summary>The request that reads a task's state.</summary>
        HttpRequestMessage BuildQuery(Uri baseUri, string taskId);

        /// <summary>Reads the answer to a query (or a callback body, which has the same shape).</summary>
        /// <exception cref="SeedreamApiException">The body is malformed or reports an error.</exception>
        SeedreamTask ParseQuery(string body);

        /// <summary>Whether <paramref name="root"/> has the shape of this gateway's task (a query answer or a callback
        /// body), so a body of unknown origin can be read by the right adapter.</summary>
        bool IsTaskBody(JsonElement root);
    }
}
