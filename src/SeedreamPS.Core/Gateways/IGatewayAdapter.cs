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

        /// <summary>Resolves a model as a user names it (a version such as <c>4.5</c>, any gateway's id for it, or an id only
        /// this gateway knows, such as ModelArk's endpoint ids) to its catalogue entry and the id sent on the wire, which
        /// may depend on the <paramref name="region"/>.</summary>
        /// <param name="name">The name given; null or blank for the gateway's default model.</param>
        /// <param name="region">The connection's region (one of <see cref="GatewayCapabilities.Regions"/>), or null.</param>
        ModelChoice ResolveModel(string name, string region);
    }
}
