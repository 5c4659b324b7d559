using System;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>The <c>{"error":{"code","message","type","param",…}}</c> body EvoLink and ModelArk share.</summary>
    internal static class ErrorObject
    {
        private static readonly Regex RetryAfterWords = new Regex(@"retry after (\d+) second", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static SeedreamApiException Parse(SeedreamGateway gateway, int httpStatus, string body)
        {
            using (var doc = Json.TryParse(body))
            {
                JsonElement? root = doc?.RootElement;
                var error = root.Prop("error");
                if ((error == null || error.Value.ValueKind != JsonValueKind.Object) && root.Prop("success").Text() == "false" && root.Prop("msg") != null)
                {
                    // The files API's envelope: {success:false, code, msg}.
                    string code = root.Prop("code").Text();
                    return new SeedreamApiException(gateway, string.Format(CultureInfo.InvariantCulture, "{0}'s files API refused the request (HTTP {1}, code {2}): {3}",
                        gateway, httpStatus, code, EvoLinkAdapter.ExplainFilesCode(code, root.Prop("msg").Text())))
                    {
                        ErrorCode = code,
                    };
                }
                if (error == null || error.Value.ValueKind != JsonValueKind.Object)
                {
                    return new SeedreamApiException(gateway, string.Format(CultureInfo.InvariantCulture, "{0} answered HTTP {1}: {2}", gateway, httpStatus, Text.Excerpt(body)));
                }
                string message = error.Prop("message").Text() ?? "no message";
                string suggestion = error.Prop("fallback_suggestion").Text();
                string type = error.Prop("type").Text();
                var exception = new SeedreamApiException(gateway, string.Format(CultureInfo.InvariantCulture,
                    "{0} refused the request (HTTP {1}{2}): {3}{4}", gateway, httpStatus, type == null ? "" : ", " + type, message,
                    string.IsNullOrEmpty(suggestion) ? "" : " " + suggestion))
                {
                    ErrorCode = error.Prop("code").Text(),
                    ErrorType = type,
                    Param = error.Prop("param").Text(),
                    Suggestion = suggestion,
                };
                var words = suggestion == null ? Match.Empty : RetryAfterWords.Match(suggestion);
                if (words.Success) exception.RetryAfter = TimeSpan.FromSeconds(int.Parse(words.Groups[1].Value, CultureInfo.InvariantCulture));
                return exception;
            }
        }
    }
}
