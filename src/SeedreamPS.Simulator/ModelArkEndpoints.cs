using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>BytePlus ModelArk: <c>POST /api/v3/images/generations</c>, mounted under <c>/modelark</c>. Synchronous:
/// it generates while the request waits and answers with the images.</summary>
internal static class ModelArkEndpoints
{
    public static void Map(WebApplication app)
    {
        var state = app.Services.GetRequiredService<SimulatorState>();
        app.MapPost("/modelark/api/v3/images/generations", (HttpRequest request) => Create(request, state));
    }

    private static IResult Error(int status, string code, string message, string? param = null)
    {
        string type = status switch { 401 => "Unauthorized", 403 => "Forbidden", 404 => "NotFound", 429 => "TooManyRequests", _ => "BadRequest" };
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["type"] = type };
        if (param != null) error["param"] = param;
        return Wire.Json(new JsonObject { ["error"] = error }, status);
    }

    private static async Task<IResult> Create(HttpRequest request, SimulatorState state)
    {
        var options = state.Options;
        if (!Wire.Authorized(request, options)) return Error(401, "AuthenticationError", "The API key in the request is missing or invalid.");
        var body = await Wire.ReadObject(request);
        if (body == null) return Error(400, "InvalidParameter", "The request body must be a JSON object.");

        string? modelId = EvoLinkEndpoints.Str(body, "model");
        if (modelId == null) return Error(400, "MissingParameter", "The request failed because it is missing the `model` parameter.", "model");
        // An inference endpoint of the account, or a Volcengine id (doubao-…) for the same models, as the reference says.
        string? behind = modelId.StartsWith("ep-", StringComparison.Ordinal) ? options.ModelArkEndpoints.GetValueOrDefault(modelId)
            : modelId.StartsWith("doubao-", StringComparison.Ordinal) ? modelId["doubao-".Length..] : modelId;
        var model = SimModel.Find("modelark", behind);
        if (model == null) return Error(404, "InvalidEndpointOrModel.NotFound", $"The model {modelId} does not exist or you do not have access to it.", "model");
        string? prompt = EvoLinkEndpoints.Str(body, "prompt");
        if (string.IsNullOrWhiteSpace(prompt)) return Error(400, "MissingParameter", "The request failed because it is missing the `prompt` parameter.", "prompt");

        var images = new List<string>();
        var image = body["image"];
        if (image is JsonValue single && single.GetValueKind() == System.Text.Json.JsonValueKind.String) images.Add(single.GetValue<string>());
        else if (image is JsonArray many) images.AddRange(many.Select(i => i?.GetValue<string>() ?? ""));
        else if (image != null) return Error(400, "InvalidParameter", "The parameter `image` must be a string or an array of strings.", "image");
        if (images.Count > model.MaxReferences) return Error(400, "InvalidParameter", $"The parameter `image` accepts at most {model.MaxReferences} images.", "image");
        foreach (var item in images)
        {
            if (!ValidImageReference(item)) return Error(400, "InvalidParameter", "The parameter `image` must hold image URLs or data:image/<format>;base64 URLs.", "image");
        }

        string size = EvoLinkEndpoints.Str(body, "size") ?? "2K";
        if (!model.Qualities.Contains(size) && EvoLinkEndpoints.SizeError(size, model) is string sizeError)
        {
            return Error(400, "InvalidParameter", $"The parameter `size` specified in the request is not valid: {sizeError}; use {string.Join(", ", model.Qualities)} or WIDTHxHEIGHT.", "size");
        }

        string sequential = EvoLinkEndpoints.Str(body, "sequential_image_generation") ?? "disabled";
        if (sequential != "auto" && sequential != "disabled") return Error(400, "InvalidParameter", "The parameter `sequential_image_generation` must be auto or disabled.", "sequential_image_generation");
        int maxImages = 1;
        if (sequential == "auto")
        {
            maxImages = 15;
            if (body["sequential_image_generation_options"] is JsonObject seqOptions && seqOptions["max_images"] != null &&
                (!EvoLinkEndpoints.TryInt(seqOptions["max_images"], out maxImages) || maxImages < 1 || maxImages > 15))
            {
                return Error(400, "InvalidParameter", "The parameter `max_images` must be between 1 and 15.", "sequential_image_generation_options.max_images");
            }
        }
        if (body["optimize_prompt_options"] is JsonObject optimize)
        {
            string? mode = EvoLinkEndpoints.Str(optimize, "mode");
            if (mode == null || !model.Priorities.Contains(mode))
            {
                return Error(400, "InvalidParameter", $"The parameter `optimize_prompt_options.mode` specified in the request is not valid: use {string.Join(" or ", model.Priorities)} for {model.Id}.", "optimize_prompt_options.mode");
            }
        }
        bool webSearch = false;
        if (body["tools"] is JsonArray tools)
        {
            foreach (var tool in tools)
            {
                if (tool is JsonObject t && EvoLinkEndpoints.Str(t, "type") == "web_search") webSearch = true;
                else return Error(400, "InvalidParameter", "The parameter `tools` specified in the request is not valid: only {\"type\": \"web_search\"} is supported.", "tools");
            }
            if (webSearch && model.Id != "seedream-5-0-260128") return Error(400, "InvalidParameter", $"The parameter `tools` is not supported by {model.Id}.", "tools");
        }
        // 4.0 and 4.5 answer JPEG; 5.0-lite takes output_format png or jpeg (default jpeg).
        string imageFormat = EvoLinkEndpoints.Str(body, "output_format") ?? "jpeg";
        if (imageFormat != "png" && imageFormat != "jpeg") return Error(400, "InvalidParameter", "The parameter `output_format` must be png or jpeg.", "output_format");
        if (imageFormat == "png" && model.Id != "seedream-5-0-260128") return Error(400, "InvalidParameter", $"The parameter `output_format` is not supported by {model.Id}.", "output_format");
        string format = EvoLinkEndpoints.Str(body, "response_format") ?? "url";
        if (format != "url" && format != "b64_json") return Error(400, "InvalidParameter", "The parameter `response_format` must be url or b64_json.", "response_format");

        var fail = state.TakeFault("modelark.create", FaultKind.TaskFail);
        if (fail != null)
        {
            return Error(400, fail.ErrorCode ?? "OutputImageSensitiveContentDetected", "The request failed because the output image may contain sensitive information.");
        }
        int made = Math.Min(maxImages, 15 - images.Count);
        // 500 images per minute per model per account: counted as the tasks made in the last minute.
        var minuteAgo = DateTimeOffset.UtcNow.AddMinutes(-1);
        int lastMinute = state.Tasks.Values.Where(t => t.Gateway == "modelark" && t.Model == model.Id && t.CreatedAt > minuteAgo).Sum(t => t.Requested);
        if (lastMinute + maxImages > options.ModelArkImagesPerMinute)
        {
            return Error(429, "RateLimitExceeded.EndpointIPMExceeded", $"The request failed because you have exceeded the images-per-minute limit ({options.ModelArkImagesPerMinute}) of {model.Id}. Please try again later.");
        }
        var partial = made > 1 ? state.TakeFault("modelark.create", FaultKind.PartialFail) : null;
        int failedImages = partial == null ? 0 : 1;
        if (!state.TryCharge(model.Price * made)) return Error(403, "AccountOverdueError", "The request failed because your account has an overdue balance.");

        // Synchronous: the answer comes when the images are made.
        if (options.GenerationLatency > TimeSpan.Zero) await Task.Delay(options.GenerationLatency, request.HttpContext.RequestAborted).ContinueWith(_ => { });
        if (request.HttpContext.RequestAborted.IsCancellationRequested) return Results.Empty;

        var now = DateTimeOffset.UtcNow;
        var task = new SimTask
        {
            Id = "ark-" + Guid.NewGuid().ToString("N"),
            Gateway = "modelark",
            Model = model.Id,
            Prompt = prompt,
            Size = size.Contains('x') ? size : "1:1",
            Quality = size.Contains('x') ? null : size,
            Requested = maxImages,
            ImagesMade = made - failedImages,
            References = images.ToArray(),
            CreatedAt = now,
            Latency = TimeSpan.Zero,
            Price = model.Price * made,
            Origin = Wire.Origin(request),
            Format = imageFormat,
        };
        state.Tasks[task.Id] = task;
        var (w, h) = SimModel.Render(task.Size, task.Quality);
        var data = new JsonArray(EvoLinkEndpoints.ResultUrls(task, options).Select(url => (JsonNode)new JsonObject { ["url"] = url, ["size"] = $"{w}x{h}" }).ToArray());
        if (partial != null)
        {
            // One image of the batch failed the content filter: the request still succeeds, that entry carries the error.
            data.Add(new JsonObject { ["error"] = new JsonObject { ["code"] = partial.ErrorCode == "service_error" ? "OutputImageSensitiveContentDetected" : partial.ErrorCode, ["message"] = "The output image may contain sensitive information." } });
        }
        int generated = made - failedImages;
        return Wire.Json(new JsonObject
        {
            ["model"] = modelId,
            ["created"] = now.ToUnixTimeSeconds(),
            ["data"] = data,
            // usage.generated_images counts only the images made; output_tokens = sum(w*h)/256.
            ["usage"] = webSearch
                ? new JsonObject { ["generated_images"] = generated, ["output_tokens"] = generated * (w * h / 256), ["total_tokens"] = generated * (w * h / 256), ["tool_usage"] = new JsonObject { ["web_search"] = 1 } }
                : new JsonObject { ["generated_images"] = generated, ["output_tokens"] = generated * (w * h / 256), ["total_tokens"] = generated * (w * h / 256) },
        });
    }

    private static bool ValidImageReference(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http")) return true;
        const string prefix = "data:image/";
        int comma = value.IndexOf(";base64,", StringComparison.Ordinal);
        if (!value.StartsWith(prefix, StringComparison.Ordinal) || comma < 0) return false;
        try
        {
            var bytes = Convert.FromBase64String(value[(comma + 8)..]);
            return bytes.Length > 4;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
