using System;
using System.Net.Http;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>Maps the neutral request and task to one gateway's wire format and back. Adapters hold no state
    /// and do no I/O: the HTTP layer sends what they build.</summary>
    public interface IGatewayAdapter
    {
        /// <summary>The gateway this adapter speaks to.</summary>
        SeedreamGateway Gateway { get; }

        /// <summary>What the gateway can do, beyond its wire format.</summary>
        GatewayCapabilities Capabilities { get; }

        /// <summary>The gateway's public API root.</summary>
        Uri DefaultBaseUri { get; }

        /// <summary>The request that creates a task.</summary>
        HttpRequestMessage BuildCreate(Uri baseUri, ValidatedRequest request);

        /// <summary>Reads the answer to a create request.</summary>
        /// <exception cref="SeedreamApiException">The body is malformed or reports an error.</exception>
        SeedreamTask ParseCreate(string body, ValidatedRequest request);

        /// <summary>Maps a non-2xx answer to an exception with the gateway's code, type and message.</summary>
        SeedreamApiException ParseError(int httpStatus, string body);

        /// <summary>Whether <paramref name="taskId"/> has the form this gateway's ids have.</summary>
        bool IsValidTaskId(string taskId);
    }

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
    }
}
