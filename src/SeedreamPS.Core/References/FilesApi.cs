using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Http;

namespace SeedreamPS.Core.References
{
    /// <summary>EvoLink's files API answer: <c>{success, code, msg, data{file_url, …}}</c>.</summary>
    internal static class FilesApi
    {
        public static string ParseUpload(SeedreamGateway gateway, string body, string fileName)
        {
            using (var doc = Json.TryParse(body))
            {
                JsonElement? root = doc?.RootElement;
                string url = root.Prop("data").Prop("file_url").Text();
                bool success = root.Prop("success").Text() == "true";
                if (success && !string.IsNullOrEmpty(url)) return url;
                string message = root.Prop("msg").Text() ?? Text.Excerpt(body);
                return Fail(gateway, "Uploading reference image '" + fileName + "' failed: " + message, root.Prop("code").Text());
            }
        }

        private static string Fail(SeedreamGateway gateway, string message, string code) =>
            throw new SeedreamApiException(gateway, message) { ErrorCode = code };
    }
}
