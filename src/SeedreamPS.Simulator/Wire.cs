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

    /// <summary>EvoLink: <c>{"error":{"code","message","type","param","fallback_suggestion"}}</c>.</summary>
    public static IResult EvoLinkError(int status, string message, string? param = null, string? code = null, string? suggestion = null)
    {
        string type = status switch
        {
            // The types EvoLink's OpenAPI pages list for each status.
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
            // The documents show the code sometimes as a number and sometimes as a word.
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
