using System.IO;
using System.Net.Http;
using System;
using SeedreamPS.Core.Http;

namespace SeedreamPS.Core.Gateways
{
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
