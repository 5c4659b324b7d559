using System.Net;
using System.Text;
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
        if (!Wire.Authorized(request, options)) return Wire.EvoLinkError(401, "Invalid or missing API key", code: "invalid_api_key");
        var body = await Wire.ReadObject(request);
        if (body == null) return Wire.EvoLinkError(400, "Request body must be a JSON object");

        string? modelId = body["model"] == null ? "doubao-seedream-4.0" : Str(body, "model");
        var model = SimModel.Find("evolink", modelId);
        if (model == null) return Wire.EvoLinkError(400, $"Model '{modelId}' is not supported", "model", "invalid_parameters");

        string? prompt = Str(body, "prompt");
        if (string.IsNullOrWhiteSpace(prompt)) return Wire.EvoLinkError(400, "prompt is required", "prompt", "invalid_parameters");
        // "Limited to 2000 tokens": without the real tokenizer, count one token per four UTF-8 bytes.
        // The OpenAPI schema says maxLength 2000, and EvoLink's own clients count characters.
        if (prompt.Length > 2000) return Wire.EvoLinkError(400, "prompt exceeds 2000 characters", "prompt", "invalid_parameters");

        string? quality = Str(body, "quality");
        if (quality != null && !model.Qualities.Contains(quality))
        {
            return Wire.EvoLinkError(400, $"quality must be one of {string.Join(", ", model.Qualities)} for {model.Id}", "quality", "invalid_parameters");
        }

        string? size = Str(body, "size");
        if (size != null && SizeError(size, model) is string sizeError) return Wire.EvoLinkError(400, sizeError, "size", "invalid_parameters");

        int n = 1;
        if (body["n"] != null && (!TryInt(body["n"], out n) || n < 1 || n > 15)) return Wire.EvoLinkError(400, "n must be an integer between 1 and 15", "n", "invalid_parameters");

        var references = new List<string>();
        if (body["image_urls"] is JsonArray urls)
        {
            foreach (var u in urls)
            {
                string? url = u?.GetValueKind() == System.Text.Json.JsonValueKind.String ? u.GetValue<string>() : null;
                if (url == null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != "https" && parsed.Scheme != "http"))
                {
                    return Wire.EvoLinkError(400, "image_urls must hold image URLs the server can download", "image_urls", "invalid_parameters");
                }
                references.Add(url);
            }
        }
        else if (body["image_urls"] != null) return Wire.EvoLinkError(400, "image_urls must be an array", "image_urls", "invalid_parameters");
        if (references.Count > model.MaxReferences) return Wire.EvoLinkError(400, $"at most {model.MaxReferences} reference images per request", "image_urls", "invalid_parameters");

        string? priority = Str(body, "prompt_priority");
        if (priority != null && !model.Priorities.Contains(priority))
        {
            return Wire.EvoLinkError(400, model.Priorities.Length == 0 ? $"prompt_priority is not supported by {model.Id}" : $"prompt_priority must be one of {string.Join(", ", model.Priorities)}", "prompt_priority", "invalid_parameters");
        }

        string? callback = Str(body, "callback_url");
        if (callback != null && CallbackError(callback, options) is string callbackError) return Wire.EvoLinkError(400, callbackError, "callback_url", "invalid_parameters");

        // Pre-charged for n, as the documents say.
        if (!state.TryCharge(model.Price * n))
        {
            return Wire.EvoLinkError(402, "Insufficient credits to run this task", code: "insufficient_quota", suggestion: "Top up your EvoLink balance and try again.");
        }

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
            Quality = quality,
            Requested = n,
            // References plus images are capped at 15: the count made is 15 - references.
            ImagesMade = Math.Min(n, 15 - references.Count),
            References = references.ToArray(),
            CallbackUrl = callback,
            CreatedAt = DateTimeOffset.UtcNow,
            Latency = options.GenerationLatency,
            FailCode = fail?.ErrorCode,
            NeverFinish = never != null,
            Price = model.Price * n,
            Origin = Wire.Origin(request),
        };
        state.Tasks[task.Id] = task;
        return Wire.Json(TaskBody(task, options, DateTimeOffset.UtcNow));
    }

    private static IResult Query(HttpRequest request, SimulatorState state, string id)
    {
        if (!Wire.Authorized(request, state.Options)) return Wire.EvoLinkError(401, "Invalid or missing API key", code: "invalid_api_key");
        if (!state.Tasks.TryGetValue(id, out var task) || task.Gateway != "evolink")
        {
            return Wire.EvoLinkError(404, $"Task '{id}' was not found", "task_id", "invalid_task_id");
        }
        return Wire.Json(TaskBody(task, state.Options, DateTimeOffset.UtcNow));
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
