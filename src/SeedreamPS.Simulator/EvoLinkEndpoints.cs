using System.Net;
using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>EvoLink: <c>POST /v1/images/generations</c> and <c>GET /v1/tasks/{id}</c>, mounted under <c>/evolink</c>.</summary>
internal static class EvoLinkEndpoints
{
    public static void Map(WebApplication app)
    {
        var state = app.Services.GetRequiredService<SimulatorState>();
        app.MapPost("/evolink/v1/images/generations", (HttpRequest request) => Create(request, state));
        app.MapGet("/evolink/v1/tasks/{id}", (HttpRequest request, string id) => Query(request, state, id));
    }

    private static async Task<IResult> Create(HttpRequest request, SimulatorState state)
    {
        var options = state.Options;
        // A 400 in the shape chosen (today's or the legacy one), naming the field where the legacy shape did.
        IResult Bad(string message, string field) => Wire.EvoLinkError(options, false, 400, message, field, "invalid_parameters");
        if (!Wire.Authorized(request, options)) return Wire.EvoLinkError(options, false, 401, "Invalid or missing API key", code: "invalid_api_key");
        var body = await Wire.ReadObject(request);
        if (body == null) return Wire.EvoLinkError(options, false, 400, "Request body must be a JSON object");

        string? modelId = body["model"] == null ? "doubao-seedream-4.0" : Str(body, "model");
        var model = SimModel.Find("evolink", modelId);
        if (model == null) return Bad($"Model '{modelId}' is not supported", "model");

        string? prompt = Str(body, "prompt");
        if (string.IsNullOrWhiteSpace(prompt)) return Bad("prompt is required", "prompt");
        if (model.MaxPromptTokens is int maxTokens)
        {
            // 5.0 Pro: up to 4000 tokens, past that 400 and no charge (estimated: no tokenizer here).
            if (SimModel.Tokens(prompt) > maxTokens) return Bad($"prompt exceeds {maxTokens} tokens", "prompt");
        }
        // "Limited to 2000 tokens": the OpenAPI schema says maxLength 2000, and EvoLink's own clients count characters.
        else if (prompt.Length > 2000) return Bad("prompt exceeds 2000 characters", "prompt");

        string? quality = Str(body, "quality");
        if (quality != null && !model.Qualities.Contains(quality))
        {
            return Bad($"quality must be one of {string.Join(", ", model.Qualities)} for {model.Id}", "quality");
        }

        string? size = Str(body, "size");
        if (size != null && SizeError(size, model) is string sizeError) return Bad(sizeError, "size");

        int n = 1;
        if (body["n"] != null && (!TryInt(body["n"], out n) || n < 1 || n > 15)) return Bad("n must be an integer between 1 and 15", "n");
        // 5.0 Pro: "Pro only supports 1": one image per request.
        if (model.OneImage && n != 1) return Bad($"n must be 1 for {model.Id}: it makes one image per request", "n");

        var references = new List<string>();
        if (body["image_urls"] is JsonArray urls)
        {
            foreach (var u in urls)
            {
                string? url = u?.GetValueKind() == System.Text.Json.JsonValueKind.String ? u.GetValue<string>() : null;
                if (url == null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != "https" && parsed.Scheme != "http"))
                {
                    return Bad("image_urls must hold image URLs the server can download", "image_urls");
                }
                references.Add(url);
            }
        }
        else if (body["image_urls"] != null) return Bad("image_urls must be an array", "image_urls");
        if (references.Count > model.MaxReferences) return Bad($"at most {model.MaxReferences} reference images per request for {model.Id}", "image_urls");

        string? priority = Str(body, "prompt_priority");
        if (priority != null && !model.Priorities.Contains(priority))
        {
            return Bad(model.Priorities.Length == 0 ? $"prompt_priority is not supported by {model.Id}" : $"prompt_priority must be one of {string.Join(", ", model.Priorities)}", "prompt_priority");
        }

        // Where each model's page puts its fields: 5.0-lite under model_params (output_format, tools), 5.0 Pro at the
        // top level (output_format, watermark, background). A field where a model's page does not put it is ignored, as
        // the service ignores unknown fields, so a client that misplaces output_format gets the default format back.
        string format = model.OutputFormats.Length == 0 ? "png" : "jpeg";
        bool webSearch = false;
        if (model.WebSearch && body["model_params"] is JsonNode paramsNode)
        {
            if (paramsNode is not JsonObject modelParams) return Bad("model_params must be an object", "model_params");
            if (modelParams["output_format"] != null)
            {
                format = Str(modelParams, "output_format") ?? "";
                if (!model.OutputFormats.Contains(format)) return Bad("model_params.output_format must be png or jpeg", "model_params.output_format");
            }
            if (modelParams["tools"] is JsonNode toolsNode)
            {
                if (toolsNode is not JsonArray tools) return Bad("model_params.tools must be an array", "model_params.tools");
                foreach (var tool in tools)
                {
                    if (tool is JsonObject t && Str(t, "type") == "web_search") webSearch = true;
                    else return Bad("model_params.tools supports only {\"type\": \"web_search\"}", "model_params.tools");
                }
            }
        }
        if (model.OneImage)
        {
            if (body["output_format"] != null)
            {
                format = Str(body, "output_format") ?? "";
                if (!model.OutputFormats.Contains(format)) return Bad("output_format must be png or jpeg", "output_format");
            }
            if (body["watermark"] != null && body["watermark"]!.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                return Bad("watermark must be true or false", "watermark");
            }
            if (body["background"] != null)
            {
                string? background = Str(body, "background");
                if (background != "opaque" && background != "transparent") return Bad("background must be opaque or transparent", "background");
                // Transparent keeps the alpha channel of exactly one input image that has one (inferred: refused without one).
                if (background == "transparent" && references.Count != 1) return Bad("background transparent keeps the alpha channel of exactly one input image; give exactly one", "background");
            }
        }

        string? callback = Str(body, "callback_url");
        if (callback != null && CallbackError(callback, options) is string callbackError) return Bad(callbackError, "callback_url");

        // Pre-charged for n, as the documents say; a web search is billed per request (EvoLink's pages say $0.0006 or
        // $0.0069: the smaller is used).
        decimal price = model.Price * n + (webSearch ? 0.0006m : 0m);
        if (!state.TryCharge(price))
        {
            return Wire.EvoLinkError(options, false, 402, "Insufficient credits to run this task", code: "insufficient_quota", suggestion: "Top up your EvoLink balance and try again.");
        }
        state.Bill("evolink", n);

        var fail = state.TakeFault("evolink.create", FaultKind.TaskFail);
        var never = state.TakeFault("evolink.create", FaultKind.NeverFinish);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var task = new SimTask
        {
            Id = $"task-unified-{now}-{Guid.NewGuid().ToString("N")[..8]}",
            Gateway = "evolink",
            Model = model.Id,
            Prompt = prompt,
            Size = size,
            // 5.0 Pro's quality defaults to 1K; the others render 2K when none is given.
            Quality = quality ?? (model.DefaultQuality == "2K" ? null : model.DefaultQuality),
            Requested = n,
            // References plus images are capped at 15: the count made is 15 - references.
            ImagesMade = Math.Min(n, 15 - references.Count),
            References = references.ToArray(),
            CallbackUrl = callback,
            CreatedAt = DateTimeOffset.UtcNow,
            Latency = options.GenerationLatency,
            FailCode = fail?.ErrorCode,
            NeverFinish = never != null,
            Price = price,
            Origin = Wire.Origin(request),
            // 4.x results stay PNG here (nothing documents their format); 5.0-lite and 5.0 Pro follow output_format,
            // default jpeg.
            Format = format,
        };
        state.Tasks[task.Id] = task;
        return Wire.Json(TaskBody(task, options, DateTimeOffset.UtcNow));
    }

    private static IResult Query(HttpRequest request, SimulatorState state, string id)
    {
        var options = state.Options;
        if (!Wire.Authorized(request, options)) return Wire.EvoLinkError(options, true, 401, "Invalid or missing API key", code: "invalid_api_key");
        // The task page: 400 invalid_task_id, "must start with 'task-unified-'".
        if (!id.StartsWith("task-unified-", StringComparison.Ordinal))
        {
            return Wire.EvoLinkError(options, true, 400, "Invalid task ID format: must start with 'task-unified-'", "task_id", "invalid_task_id");
        }
        if (!state.Tasks.TryGetValue(id, out var task) || task.Gateway != "evolink")
        {
            return Wire.EvoLinkError(options, true, 404, $"Task '{id}' was not found", "task_id", "invalid_task_id");
        }
        return Wire.Json(TaskBody(task, options, DateTimeOffset.UtcNow));
    }

    /// <summary>The task object: the answer to create and query, and the body of callbacks.</summary>
    public static JsonObject TaskBody(SimTask task, SimulatorOptions options, DateTimeOffset now)
    {
        string phase = task.Phase(now);
        var body = new JsonObject
        {
            ["created"] = task.CreatedAt.ToUnixTimeSeconds(),
            ["id"] = task.Id,
            ["model"] = task.Model,
            ["object"] = "image.generation.task",
            ["progress"] = task.Progress(now),
            ["status"] = phase,
            ["task_info"] = new JsonObject
            {
                ["can_cancel"] = phase == "pending",
                ["estimated_time"] = (int)Math.Ceiling(task.Latency.TotalSeconds),
            },
            ["type"] = "image",
            ["usage"] = new JsonObject
            {
                ["billing_rule"] = "per_call",
                ["credits_reserved"] = task.Price,
                ["user_group"] = "default",
            },
        };
        if (phase == "completed") body["results"] = new JsonArray(ResultUrls(task, options).Select(u => (JsonNode)u).ToArray());
        if (phase == "failed") body["error"] = new JsonObject { ["code"] = task.FailCode, ["message"] = FailureMessage(task.FailCode) };
        return body;
    }

    public static IEnumerable<string> ResultUrls(SimTask task, SimulatorOptions options)
    {
        var expires = task.CreatedAt + task.Latency + options.ImageLifetime;
        return Enumerable.Range(0, task.ImagesMade).Select(i => Wire.ImageUrl(task.Origin, task.Id, i, expires, task.Format));
    }

    public static string FailureMessage(string? code) => code switch
    {
        "content_policy_violation" => "The prompt or an image was rejected by the content policy.",
        "invalid_parameters" => "The request parameters are invalid for this model.",
        "image_processing_error" => "A reference image could not be processed.",
        "image_dimension_mismatch" => "A reference image has unsupported dimensions.",
        "request_cancelled" => "The request was cancelled.",
        "generation_timeout" => "Generation timed out.",
        "quota_exceeded" => "The upstream quota was exceeded.",
        _ => "Image generation failed on the server.",
    };

    /// <summary>Checks a size against the documents: auto, a listed ratio, or WxH within the model's pixel and aspect range.</summary>
    public static string? SizeError(string size, SimModel model)
    {
        if (size == "auto" && model.Auto) return null;
        if (model.Ratios.Contains(size)) return null;
        var parts = size.Split('x', 'X');
        if (model.Pixels && parts.Length == 2 && int.TryParse(parts[0], out int w) && int.TryParse(parts[1], out int h) && w > 0 && h > 0)
        {
            long pixels = (long)w * h;
            double aspect = (double)w / h;
            if (pixels < model.MinPixels || pixels > model.MaxPixels) return $"size {size} is outside the total pixel range [{model.MinPixels}, {model.MaxPixels}] for {model.Id}";
            if (aspect < 1.0 / 16 || aspect > 16) return $"size {size} has an aspect ratio outside [1/16, 16]";
            return null;
        }
        return $"size must be one of {string.Join(", ", model.Auto ? model.Ratios.Prepend("auto") : model.Ratios)}" + (model.Pixels ? " or WIDTHxHEIGHT" : "");
    }

    /// <summary>The documented callback rules: HTTPS only, no internal IPs, at most 2048 characters.</summary>
    public static string? CallbackError(string url, SimulatorOptions options)
    {
        if (url.Length > 2048) return "callback_url must not exceed 2048 characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "callback_url must be an absolute URL";
        bool loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var lip) && IPAddress.IsLoopback(lip));
        if (options.AllowLoopbackCallbacks && loopback) return null;
        if (uri.Scheme != "https") return "callback_url must use HTTPS";
        string host = uri.Host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (host == "localhost" || host.EndsWith(".localhost")) return "callback_url must not point at an internal address";
        if (IPAddress.TryParse(host, out var ip))
        {
            if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
            byte[] b = ip.GetAddressBytes();
            bool internalV4 = b.Length == 4 && (b[0] == 127 || b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254));
            bool internalV6 = b.Length == 16 && (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.IPv6Any) || (b[0] & 0xFE) == 0xFC || ip.IsIPv6LinkLocal);
            if (internalV4 || internalV6) return "callback_url must not point at an internal address";
        }
        return null;
    }

    internal static string? Str(JsonObject body, string name) =>
        body[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;

    internal static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue(out value);
    }
}
