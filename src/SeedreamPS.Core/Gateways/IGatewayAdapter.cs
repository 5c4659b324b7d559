using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
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

    /// <summary>An adapter of a gateway whose files API takes local reference images and answers a URL to reference them
    /// by (<see cref="ReferenceTransport.Upload"/> follows from it).</summary>
    public interface IUploadingGatewayAdapter : IGatewayAdapter
    {
        /// <summary>The files API's public root.</summary>
        Uri DefaultFilesBaseUri { get; }

        /// <summary>The image formats the files API takes (lower case, as <see cref="Storage.ImageFormat.Detect"/> names them).</summary>
        System.Collections.Generic.IReadOnlyList<string> UploadFormats { get; }

        /// <summary>The request that uploads one file under <paramref name="uploadName"/>; <paramref name="open"/> opens its
        /// content (called once per try).</summary>
        HttpRequestMessage BuildUpload(Uri filesBaseUri, Func<Stream> open, string uploadName);

        /// <summary>Reads the answer to an upload: the URL to reference the file by, and the id to delete it by.</summary>
        /// <param name="body">The answer's body.</param>
        /// <param name="fileName">The file's own name, for error messages.</param>
        /// <exception cref="SeedreamApiException">The upload was refused.</exception>
        (string Url, string FileId) ParseUpload(string body, string fileName);

        /// <summary>The request that deletes an uploaded file.</summary>
        HttpRequestMessage BuildDeleteUpload(Uri filesBaseUri, string fileId);
    }
}
