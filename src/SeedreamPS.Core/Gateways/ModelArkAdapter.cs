using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>BytePlus ModelArk: <c>POST /images/generations</c> answers with the images, so the task it yields is
    /// already finished; there is no task to query.</summary>
    internal sealed partial class ModelArkAdapter : IStreamingGatewayAdapter
    {
        public SeedreamGateway Gateway => SeedreamGateway.ModelArk;

        public GatewayCapabilities Capabilities { get; } = new GatewayCapabilities
        {
            Synchronous = true,
            References = ReferenceTransport.Inline,
            // It generates while the request waits, up to 15 images.
            DefaultTimeout = TimeSpan.FromSeconds(300),
            // "500 images per minute per model per account" (RateLimitExceeded.EndpointIPMExceeded past it).
            ImagesPerMinute = 500,
            // The same API for mainland China is Volcengine's, at its own address, with doubao-seedream-… ids.
            Regions = new System.Collections.Generic.Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase)
            {
                ["ap-southeast"] = new Uri("https://ark.ap-southeast.bytepluses.com/api/v3/"),
                ["cn-beijing"] = new Uri("https://ark.cn-beijing.volces.com/api/v3/"),
                // BytePlus's EU address (requests may still be served from Asia-Pacific; Seedream 4.0 is not sold there).
                ["eu-west"] = new Uri("https://ark.eu-west.bytepluses.com/api/v3/"),
            },
        };

        public Uri DefaultBaseUri { get; } = new Uri("https://ark.ap-southeast.bytepluses.com/api/v3/");

        public HttpRequestMessage BuildCreate(Uri baseUri, ValidatedRequest request) =>
            Json.Post(new Uri(baseUri, "images/generations"), json =>
            {
                json.WriteString("model", request.WireModel);
                json.WriteString("prompt", request.Prompt);
                // One image is sent as a string, several as an array, as the documents show.
                if (request.References.Count == 1) json.WriteString("image", request.References[0]);
                else json.WriteStrings("image", request.References);
                json.WriteString("size", request.TierOrPixels);
                // 5.0 Pro makes one image a request and has no group output.
                if (request.Model.ImagesPerRequest > 1) json.WriteString("sequential_image_generation", request.Count > 1 ? "auto" : "disabled");
                if (request.Count > 1)
                {
                    json.WriteStartObject("sequential_image_generation_options");
                    json.WriteNumber("max_images", request.Count);
                    json.WriteEndObject();
                }
                if (request.PromptPriority != null)
                {
                    json.WriteStartObject("optimize_prompt_options");
                    json.WriteString("mode", request.PromptPriority);
                    json.WriteEndObject();
                }
                if (request.OutputFormat != null) json.WriteString("output_format", request.OutputFormat);
                if (request.WebSearch)
                {
                    json.WriteStartArray("tools");
                    json.WriteStartObject();
                    json.WriteString("type", "web_search");
                    json.WriteEndObject();
                    json.WriteEndArray();
                }
                if (request.Background != null) json.WriteString("background", request.Background);
                // Inline: the image bytes come in the answer (no download, no URL that expires).
                json.WriteString("response_format", request.Inline ? "b64_json" : "url");
                json.WriteBoolean("watermark", request.Watermark ?? true);
                // The catalogue says which models stream (not 5.0 Pro); -NoStream asks for one answer.
                json.WriteBoolean("stream", request.Stream);
            });

        public SeedreamTask ParseCreate(string body, ValidatedRequest request)
        {
            using (var doc = Json.TryParse(body))
            {
                JsonElement? root = doc?.RootElement;
                var data = root.Prop("data");
                if (root == null || root.Value.ValueKind != JsonValueKind.Object || data == null || data.Value.ValueKind != JsonValueKind.Array)
                {
                    // The images were made and paid for, but the answer cannot be read.
                    throw new SeedreamApiException(Gateway, "ModelArk sent an answer SeedreamPS cannot read: " + Text.Excerpt(body)) { OutcomeUnknown = true };
                }
                long created = root.Prop("created").Long() ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var task = new SeedreamTask
                {
                    Gateway = Gateway,
                    // ModelArk gives no task id; this one names the result locally (files, journal).
                    Id = "ark-" + created.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 12),
                    // The Seedream version's id, whatever name (an endpoint, a Volcengine id) the request used: limits,
                    // prices and reports go by it.
                    Model = request.Model.Id,
                    CreatedAt = DateTimeOffset.FromUnixTimeSeconds(created),
                    Request = request.Source,
                    Progress = 100,
                    // Searches are billed per request: shown on the task.
                    WebSearches = (int?)root.Prop("usage").Prop("tool_usage").Prop("web_search").Long(),
                };
                var expires = task.CreatedAt.Value + SeedreamTask.ResultLifetime;
                SeedreamTaskError firstError = null;
                int position = 0;
                foreach (var item in data.Value.EnumerateArray())
                {
                    JsonElement? entry = item;
                    string url = entry.Prop("url").Text();
                    if (url != null && Uri.TryCreate(url, UriKind.Absolute, out var uri))
                    {
                        task.Images.Add(new SeedreamImage(task.Id, task.Images.Count, uri, expires));
                    }
                    else if (entry.Prop("b64_json") != null)
                    {
                        // Inline: the client took the bytes out of the answer as it arrived (to a file, not to memory).
                        task.Images.Add(new SeedreamImage(task.Id, task.Images.Count, null, null) { Inline = true });
                    }
                    else if (entry.Prop("error") is JsonElement error)
                    {
                        // One image of a batch failing (the content filter) does not fail the request: the rest are kept.
                        var reason = new SeedreamTaskError(((JsonElement?)error).Prop("code").Text(), ((JsonElement?)error).Prop("message").Text());
                        task.FailedImages.Add(new SeedreamImageFailure(position, reason));
                        firstError = firstError ?? reason;
                    }
                    position++;
                }
                var topError = root.Prop("error");
                if (topError != null && topError.Value.ValueKind == JsonValueKind.Object)
                {
                    firstError = firstError ?? new SeedreamTaskError(topError.Prop("code").Text(), topError.Prop("message").Text());
                }
                task.Status = task.Images.Count > 0 ? SeedreamTaskStatus.Succeeded : SeedreamTaskStatus.Failed;
                if (task.Status == SeedreamTaskStatus.Failed)
                {
                    task.Error = firstError ?? new SeedreamTaskError("no_images", "ModelArk answered without images.");
                    task.FailedImages.Clear();
                }
                return task;
            }
        }

        public SeedreamApiException ParseError(int httpStatus, string body) => ErrorObject.Parse(Gateway, httpStatus, body);

        public SeedreamTask StartStream(ValidatedRequest request)
        {
            var now = DateTimeOffset.UtcNow;
            return new SeedreamTask
            {
                Gateway = Gateway,
                // As for an answer at once: ModelArk gives no task id, so this one names the result locally.
                Id = "ark-" + now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 12),
                Model = request.Model.Id,
                CreatedAt = now,
                Request = request.Source,
                Status = SeedreamTaskStatus.Running,
                Streamed = true,
            };
        }

        public StreamEvent ParseStreamEvent(string eventName, string json)
        {
            using (var doc = Json.TryParse(json))
            {
                JsonElement? root = doc?.RootElement;
                // The event: line equals the JSON's type; either names the event.
                string type = root.Prop("type").Text() ?? eventName;
                var result = new StreamEvent { Index = (int)(root.Prop("image_index").Long() ?? 0) };
                switch (type)
                {
                    case "image_generation.partial_succeeded":
                        result.Kind = StreamEventKind.Image;
                        string url = root.Prop("url").Text();
                        if (url != null && Uri.TryCreate(url, UriKind.Absolute, out var uri)) result.Url = uri;
                        else if (root.Prop("b64_json") == null) throw new SeedreamApiException(Gateway, "ModelArk streamed an image with neither url nor b64_json: " + Text.Excerpt(json));
                        break;
                    case "image_generation.partial_failed":
                        result.Kind = StreamEventKind.ImageFailed;
                        result.Error = new SeedreamTaskError(root.Prop("error").Prop("code").Text(), root.Prop("error").Prop("message").Text());
                        break;
                    case "image_generation.completed":
                        result.Kind = StreamEventKind.Completed;
                        result.GeneratedImages = (int?)root.Prop("usage").Prop("generated_images").Long();
                        result.WebSearches = (int?)root.Prop("usage").Prop("tool_usage").Prop("web_search").Long();
                        break;
                    default:
                        if (root.Prop("error") is JsonElement error && error.ValueKind == JsonValueKind.Object)
                        {
                            result.Kind = StreamEventKind.Error;
                            result.Error = new SeedreamTaskError(((JsonElement?)error).Prop("code").Text(), ((JsonElement?)error).Prop("message").Text());
                        }
                        break;
                }
                return result;
            }
        }

        public bool IsValidTaskId(string taskId) => false;
    }
}
