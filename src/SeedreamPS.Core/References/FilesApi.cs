using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Http;

namespace SeedreamPS.Core.References
{
    /// <summary>EvoLink's files API answer: <c>{success, code, msg, data{file_url, …}}</c>.</summary>
    internal static class FilesApi
    {
        public static (string Url, string FileId) ParseUpload(SeedreamGateway gateway, string body, string fileName)
        {
            using (var doc = Json.TryParse(body))
            {
                JsonElement? root = doc?.RootElement;
                string url = root.Prop("data").Prop("file_url").Text();
                bool success = root.Prop("success").Text() == "true";
                if (success && !string.IsNullOrEmpty(url)) return (url, root.Prop("data").Prop("file_id").Text());
                string code = root.Prop("code").Text();
                return Fail(gateway, "Uploading reference image '" + fileName + "' failed: " + Explain(code, root.Prop("msg").Text() ?? Text.Excerpt(body)), code);
            }
        }

        /// <summary>The files API's message, with what to do about the codes its documents name.</summary>
        public static string Explain(string code, string message)
        {
            switch (code)
            {
                case "40003":
                    return "the files quota is full (100 files, 500 for VIP accounts). Uploads expire after 72 hours; delete some in EvoLink's console, or give the reference as a URL. (" + message + ")";
                default:
                    return message;
            }
        }

        private static (string, string) Fail(SeedreamGateway gateway, string message, string code) =>
            throw new SeedreamApiException(gateway, message) { ErrorCode = code };
    }
}
