using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>LinkModel: <c>POST /image-generation</c> and <c>GET /query/image-generation?task_id=</c>, mounted under <c>/linkmodel/api/v1</c>.</summary>
internal static class LinkModelEndpoints
{
    public static void Map(WebApplication app)
    {
        var state = app.Services.GetRequiredService<SimulatorState>();
        app.MapPost("/linkmodel/api/v1/image-generation", (HttpRequest request) => Create(request, state));
        app.MapGet("/linkmodel/api/v1/query/image-generation", (HttpRequest request) => Query(request, state));
    }

    private static async Task<IResult> Create(HttpRequest request, SimulatorState state)
    {
        var options = state.Options;
        if (!Wire.Authorized(request, options)) return Wire.LinkModelError(401, "invalid api key");
        var body = await Wire.ReadObject(request);
        if (body == null) return Wire.LinkModelError(400, "request body must be a JSON object");

        string? modelId = EvoLinkEndpoints.Str(body, "model");
        var model = SimModel.Find("linkmodel", modelId);
        if (model == null) return Wire.LinkModelError(400, "model: Must be one of: " + string.Join(", ", SimModel.All.Where(m => m.Gateway == "linkmodel").Select(m => m.Id)) + ".");

        string? prompt = EvoLinkEndpoints.Str(body, "prompt");
        if (string.IsNullOrEmpty(prompt)) return Wire.LinkModelError(400, "prompt: Length must be at least 1.");
        if (model.MaxPromptChars is int max && prompt.Length > max) return Wire.LinkModelError(400, $"prompt: Length must be at most {max}.");

        var images = new List<string>();
        if (body["images"] is JsonArray array)
        {
            foreach (var item in array)
            {
                string? url = item is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
                if (url == null || !Uri.TryCreate(url, UriKind.Absolute, out _)) return Wire.LinkModelError(400, "images: Items must be URLs.");
                images.Add(url);
            }
        }
        else if (body["images"] != null) return Wire.LinkModelError(400, "images: Must be an array.");
        if (images.Count > model.MaxReferences) return Wire.LinkModelError(400, $"images: Maximum {model.MaxReferences} items.");

        string? size = EvoLinkEndpoints.Str(body, "size");
        if (body["size"] != null && (size == null || !model.Ratios.Contains(size)))
        {
            return Wire.LinkModelError(400, "size: Must be one of: " + string.Join(", ", model.Ratios) + ".");
        }
        string? quality = EvoLinkEndpoints.Str(body, "quality");
        if (body["quality"] != null && (quality == null || !model.Qualities.Contains(quality)))
        {
            return Wire.LinkModelError(400, "quality: Must be one of: " + string.Join(", ", model.Qualities) + ".");
        }
        int maxImages = 1;
        if (body["max_images"] != null && (!EvoLinkEndpoints.TryInt(body["max_images"], out maxImages) || maxImages < 1 || maxImages > 15))
        {
            return Wire.LinkModelError(400, "max_images: Must be one of: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15.");
        }

        decimal price = model.Price * maxImages;
        if (!state.TryCharge(price)) return Wire.LinkModelError(500, "create task failed: billing: code=100601: insufficient balance");

        var fail = state.TakeFault("linkmodel.create", FaultKind.TaskFail);
        var never = state.TakeFault("linkmodel.create", FaultKind.NeverFinish);
        var task = new SimTask
        {
            Id = Guid.NewGuid().ToString(),
            Gateway = "linkmodel",
            Model = model.Id,
            Prompt = prompt,
            Size = size,
            Quality = quality,
            Requested = maxImages,
            ImagesMade = Math.Min(maxImages, 15 - images.Count),
            References = images.ToArray(),
            CreatedAt = DateTimeOffset.UtcNow,
            Latency = options.GenerationLatency,
            FailCode = fail?.ErrorCode,
            FailMessage = fail?.Message,
            NeverFinish = never != null,
            Price = price,
            Origin = Wire.Origin(request),
        };
        state.Tasks[task.Id] = task;
        return Wire.Json(new JsonObject
        {
            ["code"] = 0,
            ["data"] = new JsonObject
            {
                ["task_id"] = task.Id,
                ["order_id"] = Guid.NewGuid().ToString(),
                ["status"] = "processing",
                ["price"] = price,
            },
            ["msg"] = "success",
            ["request_id"] = Guid.NewGuid().ToString(),
        });
    }

    private static IResult Query(HttpRequest request, SimulatorState state)
    {
        if (!Wire.Authorized(request, state.Options)) return Wire.LinkModelError(401, "invalid api key");
        string? id = request.Query["task_id"];
        if (string.IsNullOrEmpty(id)) return Wire.LinkModelError(400, "task_id is required");
        if (!state.Tasks.TryGetValue(id, out var task) || task.Gateway != "linkmodel") return Wire.LinkModelError(400, "task not found");
        return Wire.Json(TaskBody(task, state.Options, DateTimeOffset.UtcNow));
    }

    public static JsonObject TaskBody(SimTask task, SimulatorOptions options, DateTimeOffset now)
    {
        string phase = task.Phase(now);
        string status = phase switch { "pending" => "Pending", "processing" => "Processing", "completed" => "Success", _ => "Failed" };
        var urls = phase == "completed" ? EvoLinkEndpoints.ResultUrls(task, options).ToArray() : Array.Empty<string>();
        JsonArray Strings(IEnumerable<string> values) => new(values.Select(u => (JsonNode)u!).ToArray());
        return new JsonObject
        {
            ["code"] = 0,
            ["data"] = new JsonObject
            {
                ["task_id"] = task.Id,
                ["prompt"] = task.Prompt,
                ["status"] = status,
                // images echoes the request's reference images; the results are in output_images only.
                ["images"] = Strings(task.References ?? System.Array.Empty<string>()),
                ["output_images"] = Strings(urls),
                ["model"] = task.Model,
                // metadata is a string in the query answer.
                ["metadata"] = new JsonObject { ["size"] = task.Size, ["quality"] = task.Quality, ["max_images"] = task.Requested }.ToJsonString(),
                ["msg"] = phase == "failed" ? task.FailMessage ?? EvoLinkEndpoints.FailureMessage(task.FailCode) : "",
            },
            ["message"] = "success",
            // The query answer carries the request id at the top level (docs.linkmodel.ai, query-image-task).
            ["request_id"] = Guid.NewGuid().ToString("N"),
        };
    }
}
