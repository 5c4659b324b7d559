using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>BytePlus ModelArk and Volcengine Ark: <c>POST /api/v3/images/generations</c>, mounted under
/// <c>/modelark</c> (BytePlus ap-southeast), <c>/modelark-eu-west</c> (BytePlus eu-west) and <c>/volcengine</c>
/// (cn-beijing). Synchronous: it generates while the request waits and answers with the images, or streams them as
/// server-sent events with <c>stream: true</c>.</summary>
internal static class ModelArkEndpoints
{
    public static readonly ArkAddress[] Addresses =
    {
        new("modelark.create", "/modelark/api/v3", "ap-southeast-1", false, Array.Empty<string>()),
        // The notes: Seedream 4.0 is not sold in the EU market.
        new("modelark-eu.create", "/modelark-eu-west/api/v3", "eu-west-1", false, new[] { "seedream-4-0-250828" }),
        new("volcengine.create", "/volcengine/api/v3", "cn-beijing", true, Array.Empty<string>()),
    };

    /// <summary>Reference formats ModelArk takes (HEIC and HEIF included) and its per-file limit (30 MB).</summary>
    private static readonly string[] ReferenceFormats = { "jpeg", "jpg", "png", "webp", "bmp", "tiff", "gif", "heic", "heif" };
    private const long MaxReferenceBytes = 30L * 1024 * 1024;

    public static void Map(WebApplication app)
    {
        var state = app.Services.GetRequiredService<SimulatorState>();
        foreach (var address in Addresses)
        {
            app.MapPost(address.Prefix + "/images/generations", (HttpRequest request) => Create(request, state, address));
        }
    }

    private static IResult Error(int status, string code, string message, string? param = null)
    {
        string type = status switch { 401 => "Unauthorized", 403 => "Forbidden", 404 => "NotFound", 429 => "TooManyRequests", _ => "BadRequest" };
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["type"] = type };
        if (param != null) error["param"] = param;
        return Wire.Json(new JsonObject { ["error"] = error }, status);
    }

    private static IResult NotFound(string modelId) =>
        Error(404, "InvalidEndpointOrModel.NotFound", $"The model or endpoint {modelId} does not exist or you do not have access to it.", "model");

    /// <summary>The model an id names at this address, or null: a Volcengine id on a BytePlus address, a BytePlus id
    /// on Volcengine's (inferred: 404, nothing charged), an unknown endpoint, or a model the region does not sell.</summary>
    private static SimModel? Resolve(string modelId, ArkAddress address, SimulatorOptions options)
    {
        string? id;
        if (modelId.StartsWith("ep-", StringComparison.Ordinal))
        {
            // The account's endpoints; the model behind one may be written in either family.
            id = options.ModelArkEndpoints.GetValueOrDefault(modelId);
            if (id != null && id.StartsWith("doubao-", StringComparison.Ordinal)) id = id["doubao-".Length..];
        }
        else
        {
            bool doubao = modelId.StartsWith("doubao-", StringComparison.Ordinal);
            if (doubao != address.DoubaoIds) return null;
            id = doubao ? modelId["doubao-".Length..] : modelId;
        }
        var model = SimModel.Find("modelark", id);
        return model == null || address.NotSold.Contains(model.Id) ? null : model;
    }

    private static async Task<IResult> Create(HttpRequest request, SimulatorState state, ArkAddress address)
    {
        var arrived = Stopwatch.StartNew();
        var options = state.Options;
        if (!Wire.Authorized(request, options)) return Error(401, "AuthenticationError", "The API key in the request is missing or invalid.");
        var body = await Wire.ReadObject(request);
        if (body == null) return Error(400, "InvalidParameter", "The request body must be a JSON object.");

        string? modelId = EvoLinkEndpoints.Str(body, "model");
        if (modelId == null) return Error(400, "MissingParameter", "The request failed because it is missing the `model` parameter.", "model");
        var model = Resolve(modelId, address, options);
        if (model == null) return NotFound(modelId);
        string? prompt = EvoLinkEndpoints.Str(body, "prompt");
        if (string.IsNullOrWhiteSpace(prompt)) return Error(400, "MissingParameter", "The request failed because it is missing the `prompt` parameter.", "prompt");
        if (model.MaxPromptTokens is int maxTokens && SimModel.Tokens(prompt) > maxTokens)
        {
            return Error(400, "InvalidParameter", $"The parameter `prompt` exceeds {maxTokens} tokens.", "prompt");
        }

        var images = new List<string>();
        var image = body["image"];
        if (image is JsonValue single && single.GetValueKind() == System.Text.Json.JsonValueKind.String) images.Add(single.GetValue<string>());
        else if (image is JsonArray many) images.AddRange(many.Select(i => i is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : ""));
        else if (image != null) return Error(400, "InvalidParameter", "The parameter `image` must be a string or an array of strings.", "image");
        if (images.Count > model.MaxReferences) return Error(400, "InvalidParameter", $"The parameter `image` accepts at most {model.MaxReferences} images for {model.Id}.", "image");
        var inline = new List<byte[]?>();
        foreach (var item in images)
        {
            var (problem, bytes) = ReadReference(item);
            if (problem != null) return Error(400, "InvalidParameter", problem, "image");
            inline.Add(bytes);
        }

        string size = EvoLinkEndpoints.Str(body, "size") ?? model.DefaultQuality;
        if (!model.Qualities.Contains(size) && EvoLinkEndpoints.SizeError(size, model) is string sizeError)
        {
            return Error(400, "InvalidParameter", $"The parameter `size` specified in the request is not valid: {sizeError}; use {string.Join(", ", model.Qualities)} or WIDTHxHEIGHT.", "size");
        }

        string sequential = EvoLinkEndpoints.Str(body, "sequential_image_generation") ?? "disabled";
        if (sequential != "auto" && sequential != "disabled") return Error(400, "InvalidParameter", "The parameter `sequential_image_generation` must be auto or disabled.", "sequential_image_generation");
        if (sequential == "auto" && model.OneImage) return Error(400, "InvalidParameter", $"The parameter `sequential_image_generation` is not supported by {model.Id}: it makes one image per request.", "sequential_image_generation");
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
            if (webSearch && !model.WebSearch) return Error(400, "InvalidParameter", $"The parameter `tools` is not supported by {model.Id}.", "tools");
        }
        // 4.0 and 4.5 answer JPEG; 5.0-lite and 5.0 Pro take output_format png or jpeg (default jpeg).
        string imageFormat = EvoLinkEndpoints.Str(body, "output_format") ?? "jpeg";
        if (imageFormat != "png" && imageFormat != "jpeg") return Error(400, "InvalidParameter", "The parameter `output_format` must be png or jpeg.", "output_format");
        if (imageFormat == "png" && !model.OutputFormats.Contains("png")) return Error(400, "InvalidParameter", $"The parameter `output_format` is not supported by {model.Id}.", "output_format");
        string format = EvoLinkEndpoints.Str(body, "response_format") ?? "url";
        if (format != "url" && format != "b64_json") return Error(400, "InvalidParameter", "The parameter `response_format` must be url or b64_json.", "response_format");
        if (body["watermark"] != null && body["watermark"]!.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            return Error(400, "InvalidParameter", "The parameter `watermark` must be true or false.", "watermark");
        }
        if (BackgroundError(body, model, images, inline) is string backgroundError) return Error(400, "InvalidParameter", backgroundError, "background");
        bool stream = false;
        if (body["stream"] != null)
        {
            var kind = body["stream"]!.GetValueKind();
            if (kind is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)) return Error(400, "InvalidParameter", "The parameter `stream` must be true or false.", "stream");
            stream = kind == System.Text.Json.JsonValueKind.True;
            // The notes: streaming for 4.0, 4.5 and 5.0-lite, not 5.0 Pro. A validation failure is a 400 JSON body
            // even when a stream was asked for.
            if (stream && !model.Streams) return Error(400, "InvalidParameter", $"The parameter `stream` is not supported by {model.Id}.", "stream");
        }

        var fail = state.TakeFault(address.Target, FaultKind.TaskFail);
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
        var partial = made > 1 ? state.TakeFault(address.Target, FaultKind.PartialFail) : null;
        int failedIndex = partial == null ? -1 : Math.Clamp(partial.ImageIndex ?? made - 1, 0, made - 1);
        int succeeded = made - (partial == null ? 0 : 1);
        // Billed on the images delivered: charged now (the balance check), and given back for any a stream never sends.
        if (!state.TryCharge(model.Price * succeeded)) return Error(403, "AccountOverdueError", "The request failed because your account has an overdue balance.");

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
            // The image endpoint serves any index of the batch; only the images that succeeded get a signed URL.
            ImagesMade = made,
            References = images.ToArray(),
            CreatedAt = now,
            Latency = TimeSpan.Zero,
            Price = model.Price * succeeded,
            Origin = Wire.Origin(request),
            Format = imageFormat,
        };
        state.Tasks[task.Id] = task;
        var (w, h) = SimModel.Render(task.Size, task.Quality);
        string failCode = partial == null ? "" : partial.ErrorCode == "service_error" ? "OutputImageSensitiveContentDetected" : partial.ErrorCode;
        var ctx = new Batch(state, task, model.Price, modelId, made, failedIndex, failCode, format == "b64_json", w, h, webSearch);

        if (stream) return await Stream(request, ctx, address, arrived);

        // Synchronous: the answer comes when the last image is made.
        var record = new BatchRecord { Model = modelId, Images = made };
        state.Batches.Enqueue(record);
        var wait = options.ModelArkImageLatency > TimeSpan.Zero ? options.ModelArkImageLatency * made : options.GenerationLatency;
        try
        {
            await Until(arrived, wait, request.HttpContext.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            record.Outcome = "client gone";
            return Results.Empty;
        }
        state.Bill("modelark", succeeded);
        record.Outcome = "answered";
        record.HeadersSentMs = arrived.Elapsed.TotalMilliseconds;

        var data = new JsonArray();
        for (int i = 0; i < made; i++)
        {
            // One image of the batch failed the content filter: the request still succeeds, that entry carries the error.
            data.Add(i == failedIndex ? new JsonObject { ["error"] = ctx.ErrorObject() } : ctx.ImageEntry(i));
        }
        return Wire.Json(new JsonObject
        {
            ["model"] = modelId,
            ["created"] = now.ToUnixTimeSeconds(),
            ["data"] = data,
            ["usage"] = ctx.Usage(succeeded),
        });
    }

    /// <summary>What one request makes, shared by the plain and the streamed answer.</summary>
    private sealed record Batch(SimulatorState State, SimTask Task, decimal Price, string ModelId, int Made, int FailedIndex, string FailCode, bool Inline, int Width, int Height, bool WebSearch)
    {
        public JsonObject ErrorObject() => new() { ["code"] = FailCode, ["message"] = "The output image may contain sensitive information." };

        /// <summary>A data[] entry: url or b64_json, and size (with b64_json also output_format, as newer SDK types show).</summary>
        public JsonObject ImageEntry(int index)
        {
            var entry = new JsonObject();
            if (Inline)
            {
                entry["b64_json"] = Convert.ToBase64String(ImageEndpoints.Bytes(State, Task, index));
                entry["output_format"] = Task.Format;
            }
            else
            {
                entry["url"] = Wire.ImageUrl(Task.Origin, Task.Id, index, Task.CreatedAt + State.Options.ImageLifetime, Task.Format);
            }
            entry["size"] = $"{Width}x{Height}";
            return entry;
        }

        /// <summary>usage.generated_images counts only the images made; output_tokens = sum(w*h)/256.</summary>
        public JsonObject Usage(int generated)
        {
            var usage = new JsonObject { ["generated_images"] = generated, ["output_tokens"] = generated * (Width * Height / 256), ["total_tokens"] = generated * (Width * Height / 256) };
            if (WebSearch) usage["tool_usage"] = new JsonObject { ["web_search"] = 1 };
            return usage;
        }
    }

    /// <summary><c>stream: true</c>: one server-sent event per image as it is made (image i at i times the per-image
    /// latency), the headers with the first one, then <c>image_generation.completed</c> with the usage and
    /// <c>data: [DONE]</c>. Billing counts the images delivered.</summary>
    private static async Task<IResult> Stream(HttpRequest request, Batch batch, ArkAddress address, Stopwatch arrived)
    {
        var state = batch.State;
        var options = state.Options;
        var context = request.HttpContext;
        var aborted = context.RequestAborted;
        var perImage = options.ModelArkImageLatency > TimeSpan.Zero ? options.ModelArkImageLatency : options.GenerationLatency / batch.Made;
        var breakOff = state.TakeFault(address.Target, FaultKind.StreamBreak);
        var record = new BatchRecord { Streamed = true, Model = batch.ModelId, Images = batch.Made };
        state.Batches.Enqueue(record);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        int delivered = 0;
        long created = batch.Task.CreatedAt.ToUnixTimeSeconds();
        try
        {
            for (int i = 0; i < batch.Made; i++)
            {
                if (breakOff != null && i == breakOff.AfterImages)
                {
                    await BreakOff(context, record);
                    return Results.Empty;
                }
                // Image i is ready at (i + 1) x the per-image latency from the request's arrival; never earlier.
                await Until(arrived, perImage * (i + 1), aborted);
                double madeMs = arrived.Elapsed.TotalMilliseconds;
                JsonObject json;
                if (i == batch.FailedIndex)
                {
                    json = new JsonObject { ["type"] = "image_generation.partial_failed", ["model"] = batch.ModelId, ["created"] = created, ["image_index"] = i, ["error"] = batch.ErrorObject() };
                }
                else
                {
                    json = new JsonObject { ["type"] = "image_generation.partial_succeeded", ["model"] = batch.ModelId, ["created"] = created, ["image_index"] = i };
                    var entry = batch.ImageEntry(i);
                    foreach (string key in entry.Select(p => p.Key).ToList())
                    {
                        var value = entry[key];
                        entry.Remove(key);
                        json[key] = value;
                    }
                }
                await WriteEvent(response, json, aborted);
                // The headers leave with the first event, so they arrive only when the first image is done.
                record.HeadersSentMs ??= arrived.Elapsed.TotalMilliseconds;
                if (i != batch.FailedIndex) delivered++;
                record.Events = record.Events.Add(new StreamImage(i, i == batch.FailedIndex ? "failed" : "succeeded", madeMs, arrived.Elapsed.TotalMilliseconds));
            }
            if (breakOff != null && breakOff.AfterImages >= batch.Made)
            {
                // Broken off after the last image but before the completed event.
                await BreakOff(context, record);
                return Results.Empty;
            }
            await WriteEvent(response, new JsonObject { ["type"] = "image_generation.completed", ["model"] = batch.ModelId, ["created"] = created, ["usage"] = batch.Usage(delivered) }, aborted);
            await response.WriteAsync("data: [DONE]\n\n", aborted);
            await response.Body.FlushAsync(aborted);
            record.Outcome = "completed";
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            record.Outcome = "client gone";
        }
        finally
        {
            int undelivered = batch.Made - (batch.FailedIndex < 0 ? 0 : 1) - delivered;
            if (undelivered > 0) state.Refund(undelivered * batch.Price);
            state.Bill("modelark", delivered);
        }
        return Results.Empty;
    }

    private static async Task BreakOff(HttpContext context, BatchRecord record)
    {
        record.Outcome = "broken";
        // Let what was sent reach the client before the connection drops, as on a real network: a reset at once can
        // make the client's socket discard data it has not read yet.
        await Task.Delay(200);
        context.Abort();
    }

    /// <summary>Waits until <paramref name="due"/> after the request arrived, never less (a timer may fire a little early).</summary>
    private static async Task Until(Stopwatch arrived, TimeSpan due, CancellationToken cancel)
    {
        while (arrived.Elapsed < due) await Task.Delay(due - arrived.Elapsed + TimeSpan.FromMilliseconds(1), cancel);
    }

    private static async Task WriteEvent(HttpResponse response, JsonObject json, CancellationToken cancel)
    {
        // The event: line equals the JSON's type.
        string text = $"event: {json["type"]!.GetValue<string>()}\ndata: {json.ToJsonString()}\n\n";
        await response.WriteAsync(text, Encoding.UTF8, cancel);
        await response.Body.FlushAsync(cancel);
    }

    /// <summary>5.0 Pro's background: opaque or transparent. Transparent keeps the alpha channel of exactly one input
    /// image that has one; it does not cut a background out. Inferred: a request that gives it nothing to keep is refused.</summary>
    private static string? BackgroundError(JsonObject body, SimModel model, List<string> images, List<byte[]?> inline)
    {
        if (body["background"] == null) return null;
        if (!model.Background) return $"The parameter `background` is not supported by {model.Id}.";
        string? background = EvoLinkEndpoints.Str(body, "background");
        if (background != "opaque" && background != "transparent") return "The parameter `background` must be opaque or transparent.";
        if (background == "opaque") return null;
        if (images.Count != 1) return "background transparent keeps the alpha channel of exactly one input image; give exactly one.";
        // A PNG given inline can be checked: colour type 4 or 6, or a tRNS chunk.
        if (inline[0] is byte[] png && png.Length > 25 && png[0] == 0x89 && png[1] == 0x50 &&
            png[25] != 4 && png[25] != 6 && png.AsSpan().IndexOf("tRNS"u8) < 0)
        {
            return "background transparent needs an input image with an alpha channel.";
        }
        return null;
    }

    /// <summary>A reference: an http(s) URL, or a data:image/&lt;format&gt;;base64 URL of a listed format (HEIC and HEIF
    /// included) of at most 30 MB. Returns the problem, or the decoded bytes of an inline one.</summary>
    private static (string? Problem, byte[]? Bytes) ReadReference(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http")) return (null, null);
        const string prefix = "data:image/";
        int comma = value.IndexOf(";base64,", StringComparison.Ordinal);
        if (!value.StartsWith(prefix, StringComparison.Ordinal) || comma < 0) return ("The parameter `image` must hold image URLs or data:image/<format>;base64 URLs.", null);
        string format = value[prefix.Length..comma].ToLowerInvariant();
        if (!ReferenceFormats.Contains(format)) return ($"The parameter `image` holds an unsupported format ({format}); use {string.Join(", ", ReferenceFormats)}.", null);
        try
        {
            var bytes = Convert.FromBase64String(value[(comma + 8)..]);
            if (bytes.Length <= 4) return ("The parameter `image` holds an empty image.", null);
            if (bytes.Length > MaxReferenceBytes) return ($"The parameter `image` holds an image over 30 MB ({bytes.Length} bytes).", null);
            return (null, bytes);
        }
        catch (FormatException)
        {
            return ("The parameter `image` holds data that is not base64.", null);
        }
    }
}
