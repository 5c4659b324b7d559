using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using SeedreamPS.Core.Http;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>EvoLink's files API, where local reference images go up: <c>POST api/v1/files/upload/stream</c> (multipart),
    /// answered <c>{success, code, msg, data{file_url, file_id, …}}</c>; <c>DELETE api/v1/files/{id}</c>.</summary>
    internal sealed partial class EvoLinkAdapter
    {
        public Uri DefaultFilesBaseUri { get; } = new Uri("https://files-api.evolink.ai/");

        // The files API's page: JPEG, PNG, GIF and WebP (not BMP, TIFF, HEIC or HEIF, which some models take by URL).
        public System.Collections.Generic.IReadOnlyList<string> UploadFormats { get; } = new[] { "jpeg", "png", "gif", "webp" };

        public HttpRequestMessage BuildUpload(Uri filesBaseUri, Func<Stream> open, string uploadName)
        {
            var content = new MultipartFormDataContent();
            var stream = new StreamContent(open());
            stream.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            content.Add(stream, "file", uploadName);
            content.Add(new StringContent(uploadName), "fileName");
            return new HttpRequestMessage(HttpMethod.Post, new Uri(filesBaseUri, "api/v1/files/upload/stream")) { Content = content };
        }

        public (string Url, string FileId) ParseUpload(string body, string fileName)
        {
            using (var doc = Json.TryParse(body))
            {
                JsonElement? root = doc?.RootElement;
                string url = root.Prop("data").Prop("file_url").Text();
                bool success = root.Prop("success").Text() == "true";
                if (success && !string.IsNullOrEmpty(url)) return (url, root.Prop("data").Prop("file_id").Text());
                string code = root.Prop("code").Text();
                throw new SeedreamApiException(Gateway, "Uploading reference image '" + fileName + "' failed: " + ExplainFilesCode(code, root.Prop("msg").Text() ?? Text.Excerpt(body)))
                {
                    ErrorCode = code,
                };
            }
        }

        public HttpRequestMessage BuildDeleteUpload(Uri filesBaseUri, string fileId) =>
            new HttpRequestMessage(HttpMethod.Delete, new Uri(filesBaseUri, "api/v1/files/" + Uri.EscapeDataString(fileId)));

        /// <summary>The files API's message, with what to do about the codes its documents name.</summary>
        public static string ExplainFilesCode(string code, string message)
        {
            switch (code)
            {
                case "40003":
                    return "the files quota is full (2000 files for the default user group; GET api/v1/files/quota tells). Uploads expire after 72 hours; delete some in EvoLink's console, or give the reference as a URL. (" + message + ")";
                default:
                    return message;
            }
        }
    }
}
