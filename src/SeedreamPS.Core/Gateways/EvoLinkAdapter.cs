using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>EvoLink: <c>POST /v1/images/generations</c> creates, <c>GET /v1/tasks/{id}</c> reads.</summary>
    internal sealed partial class EvoLinkAdapter : IQueryableGatewayAdapter, IUploadingGatewayAdapter
    {
        // EvoLink's task query refuses ids that do not start with task-unified- (400 invalid_task_id), so they are not sent.
        private static readonly Regex TaskIdPattern = new Regex(@"^task-unified-[A-Za-z0-9._:\-]{1,115}$", RegexOptions.CultureInvariant);

        public SeedreamGateway Gateway => SeedreamGateway.EvoLink;

        public GatewayCapabilities Capabilities { get; } = new GatewayCapabilities
        {
            ChargeUnit = ChargeUnit.Credits,
            Callbacks = true,
            TaskIdRule = "EvoLink task ids start with task-unified-",
        };

        public Uri DefaultBaseUri { get; } = new Uri("https://api.evolink.ai/");

        public HttpRequestMessage BuildCreate(Uri baseUri, ValidatedRequest request) =>
            Json.Post(new Uri(baseUri, "v1/images/generations"), json =>
            {
                json.WriteString("model", request.Model.Id);
                json.WriteString("prompt", request.Prompt);
                if (request.Size != null) json.WriteString("size", request.Size.ToString());
                if (request.Quality != null) json.WriteString("quality", request.Quality);
                // 5.0 Pro takes no n: it makes one image a request.
                if (request.Model.ImagesPerRequest > 1) json.WriteNumber("n", request.Count);
                json.WriteStrings("image_urls", request.References);
                if (request.PromptPriority != null) json.WriteString("prompt_priority", request.PromptPriority);
                if (request.CallbackUrl != null) json.WriteString("callback_url", request.CallbackUrl);
                if (request.Watermark.HasValue) json.WriteBoolean("watermark", request.Watermark.Value);
                if (request.Background != null) json.WriteString("background", request.Background);
                // 5.0 Pro's output_format sits at the top level (moved out of model_params in August 2026); 5.0-lite keeps
                // its output format and web-search tool under model_params.
                bool topLevelFormat = request.Model.Version == "5.0-pro";
                if (request.OutputFormat != null && topLevelFormat) json.WriteString("output_format", request.OutputFormat);
                if ((request.OutputFormat != null && !topLevelFormat) || request.WebSearch)
                {
                    json.WriteStartObject("model_params");
                    if (request.OutputFormat != null && !topLevelFormat) json.WriteString("output_format", request.OutputFormat);
                    if (request.WebSearch)
                    {
                        json.WriteStartArray("tools");
                        json.WriteStartObject();
                        json.WriteString("type", "web_search");
                        json.WriteEndObject();
                        json.WriteEndArray();
                    }
                    json.WriteEndObject();
                }
            });

        public SeedreamTask ParseCreate(string body, ValidatedRequest request)
        {
            SeedreamTask task;
            try
            {
                task = ParseQuery(body);
            }
            catch (SeedreamApiException unreadable)
            {
                // A 2xx we cannot read may still have made a task, which costs money: say so.
                unreadable.OutcomeUnknown = true;
                throw;
            }
            task.Request = request.Source;
            task.Model = task.Model ?? request.Model.Id;
            return task;
        }

        public HttpRequestMessage BuildQuery(Uri baseUri, string taskId) =>
            new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v1/tasks/" + Uri.EscapeDataString(taskId)));

        public SeedreamTask ParseQuery(string body)
        {
            using (var doc = Json.TryParse(body))
            {
                JsonElement? root = doc?.RootElement;
                string id = root.Prop("id").Text();
                if (root == null || root.Value.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(id))
                {
                    throw Malformed(body);
                }
                var status = StatusWords.Parse(root.Prop("status").Text());
                if (status == null) throw Malformed(body);
                long? created = root.Prop("created").Long();
                var task = new SeedreamTask
                {
                    Gateway = SeedreamGateway.EvoLink,
                    Id = id,
                    Model = root.Prop("model").Text(),
                    Status = status.Value,
                    Progress = (int)Math.Max(0, Math.Min(100, root.Prop("progress").Long() ?? 0)),
                    CreatedAt = created.HasValue ? DateTimeOffset.FromUnixTimeSeconds(created.Value) : (DateTimeOffset?)null,
                    EstimatedSeconds = (int?)root.Prop("task_info").Prop("estimated_time").Long(),
                    Charge = root.Prop("usage").Prop("credits_reserved").Decimal(),
                };
                if (task.Status == SeedreamTaskStatus.Succeeded) task.Progress = 100;
                var expires = (task.CreatedAt ?? task.UpdatedAt) + SeedreamTask.ResultLifetime;
                var results = root.Prop("results").Strings();
                // result_data[].image_url is documented as another place for them.
                if (results.Count == 0) results = ImageUrls(root.Prop("result_data"));
                for (int i = 0; i < results.Count; i++)
                {
                    if (Uri.TryCreate(results[i], UriKind.Absolute, out var url)) task.Images.Add(new SeedreamImage(id, i, url, expires));
                }
                var error = root.Prop("error");
                if (error != null && error.Value.ValueKind == JsonValueKind.Object)
                {
                    task.Error = new SeedreamTaskError(error.Prop("code").Text(), error.Prop("message").Text());
                }
                else if (task.Status == SeedreamTaskStatus.Failed)
                {
                    task.Error = new SeedreamTaskError("unknown_error", "EvoLink reported the task failed without saying why.");
                }
                return task;
            }
        }

        public SeedreamApiException ParseError(int httpStatus, string body)
        {
            var error = ErrorObject.Parse(Gateway, httpStatus, body);
            // The older body's code is a number (400, 401, …) or a word, so its id goes by the type. Today's body (since
            // 2026-03-06) has types that no longer name the failure alone (404 and 403 share invalid_request_error with
            // 400; 402 says insufficient_quota, 500 api_error): the id keeps the older type names, read from the status.
            error.IdName = IdName(httpStatus, error.ErrorType);
            return error;
        }

        private static string IdName(int httpStatus, string type)
        {
            switch (type)
            {
                case "authentication_error":
                case "insufficient_quota_error":
                case "permission_error":
                case "not_found_error":
                case "request_too_large_error":
                case "rate_limit_error":
                case "internal_server_error":
                case "upstream_error":
                case "service_unavailable_error":
                    return type;
            }
            switch (httpStatus)
            {
                case 400: return "invalid_request_error";
                case 401: return "authentication_error";
                case 402: return "insufficient_quota_error";
                case 403: return "permission_error";
                case 404: return "not_found_error";
                case 413: return "request_too_large_error";
                case 429: return "rate_limit_error";
                case 500: return "internal_server_error";
                case 502: return "upstream_error";
                case 503: return "service_unavailable_error";
                default: return type;
            }
        }

        public bool IsValidTaskId(string taskId) => taskId != null && TaskIdPattern.IsMatch(taskId);

        // EvoLink posts its task object ("object": "image.generation.task") to callbacks.
        public bool IsTaskBody(JsonElement body)
        {
            JsonElement? root = body;
            return root.Prop("object").Text() == "image.generation.task" || (root.Prop("id") != null && root.Prop("status") != null);
        }

        public ModelChoice ResolveModel(string name, string region) => ModelCatalog.Resolve(Gateway, name);

        private SeedreamApiException Malformed(string body) =>
            new SeedreamApiException(Gateway, "EvoLink sent an answer SeedreamPS cannot read: " + Text.Excerpt(body)) { IsRetryable = true };

        private static List<string> ImageUrls(JsonElement? resultData)
        {
            var urls = new List<string>();
            if (resultData == null || resultData.Value.ValueKind != JsonValueKind.Array) return urls;
            foreach (var item in resultData.Value.EnumerateArray())
            {
                string url = ((JsonElement?)item).Prop("image_url").Text();
                if (!string.IsNullOrWhiteSpace(url)) urls.Add(url);
            }
            return urls;
        }
    }
}
