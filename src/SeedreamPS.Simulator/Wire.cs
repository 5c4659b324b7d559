using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>The gateways' envelopes and error shapes, as their documents show them.</summary>
internal static class Wire
{
    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static IResult Json(JsonNode node, int status = 200) =>
        Results.Content(node.ToJsonString(), "application/json", Encoding.UTF8, status);

    /// <summary>EvoLink's error body. Today's shape (its docs since 2026-03-06): <c>{"error":{"code","message","type"}}</c>
    /// with string codes per status and endpoint and no param or fallback_suggestion (except param task_id on a bad task
    /// id, as the task page shows). With <see cref="SimulatorOptions.EvoLinkLegacyErrors"/> the older shape: code a number
    /// or the given word, type by status, param and fallback_suggestion where given.</summary>
    public static IResult EvoLinkError(SimulatorOptions options, bool query, int status, string message, string? param = null, string? code = null, string? suggestion = null)
    {
        if (!options.EvoLinkLegacyErrors)
        {
            // Code and type as the generation and task-query pages list them (type of query 402/403/429 and code of
            // query 429 not given there: the generation page's are used).
            var (newCode, newType) = (status, query) switch
            {
                (400, true) => ("invalid_task_id", "invalid_request_error"),
                (400, false) => ("invalid_request", "invalid_request_error"),
                (401, _) => ("unauthorized", "authentication_error"),
                (402, true) => ("quota_exceeded", "insufficient_quota"),
                (402, false) => ("insufficient_quota", "insufficient_quota"),
                (403, true) => ("permission_denied", "invalid_request_error"),
                (403, false) => ("model_access_denied", "invalid_request_error"),
                (404, _) => ("task_not_found", "invalid_request_error"),
                (429, true) => ("rate_limit_exceeded", "evo_api_error"),
                (429, false) => ("rate_limit_exceeded", "rate_limit_error"),
                (>= 500, _) => ("internal_error", "api_error"),
                _ => ("invalid_request", "invalid_request_error"),
            };
            var current = new JsonObject { ["code"] = newCode, ["message"] = message, ["type"] = newType };
            if (newCode == "invalid_task_id") current["param"] = "task_id";
            return Json(new JsonObject { ["error"] = current }, status);
        }
        string type = status switch
        {
            // The types EvoLink's OpenAPI pages listed for each status.
            401 => "authentication_error",
            402 => "insufficient_quota_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large_error",
            429 => "rate_limit_error",
            500 => "internal_server_error",
            502 => "upstream_error",
            503 => "service_unavailable_error",
            >= 500 => "internal_server_error",
            _ => "invalid_request_error",
        };
        var error = new JsonObject
        {
            // The documents showed the code sometimes as a number and sometimes as a word.
            ["code"] = code == null ? JsonValue.Create(status) : JsonValue.Create(code),
            ["message"] = message,
            ["type"] = type,
        };
        if (param != null) error["param"] = param;
        if (suggestion != null) error["fallback_suggestion"] = suggestion;
        return Json(new JsonObject { ["error"] = error }, status);
    }

    /// <summary>LinkModel: <c>{"code","msg","request_id"}</c>, with <c>data: {}</c> on 401 as its document shows.</summary>
    public static IResult LinkModelError(int status, string message, int? code = null)
    {
        var body = new JsonObject { ["code"] = code ?? status, ["msg"] = message, ["request_id"] = Guid.NewGuid().ToString() };
        if (status == 401) body["data"] = new JsonObject();
        return Json(body, status);
    }

    /// <summary>The files API: <c>{"success":false,"code","msg"}</c>.</summary>
    public static IResult FilesError(int status, string message, int? code = null) =>
        Json(new JsonObject { ["success"] = false, ["code"] = code ?? status, ["msg"] = message }, status);

    /// <summary>Whether the request carries <c>Authorization: Bearer</c> with the simulator's key.</summary>
    public static bool Authorized(HttpRequest request, SimulatorOptions options)
    {
        string header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header.Substring(7).Trim()), Encoding.UTF8.GetBytes(options.ApiKey));
    }

    public static async Task<JsonObject?> ReadObject(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A signed result URL valid until <paramref name="expires"/>, like an object store's presigned URL.</summary>
    public static string ImageUrl(string origin, string taskId, int index, DateTimeOffset expires, string format = "png")
    {
        long exp = expires.ToUnixTimeSeconds();
        return $"{origin}/images/{taskId}/{index}.{format}?exp={exp}&sig={Sign(taskId, index, exp)}";
    }

    public static string Sign(string taskId, int index, long exp) =>
        Convert.ToHexString(HMACSHA256.HashData(SigningKey, Encoding.UTF8.GetBytes($"{taskId}|{index}|{exp}"))).ToLowerInvariant();

    public static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
