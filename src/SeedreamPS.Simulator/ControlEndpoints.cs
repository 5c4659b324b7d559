using System.Text.Json;
using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>The test harness's side door (<c>/_sim/…</c>): counters, faults, settings. Not part of any gateway.</summary>
internal static class ControlEndpoints
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app)
    {
        var state = app.Services.GetRequiredService<SimulatorState>();
        app.MapGet("/_sim/counters", () => Results.Json(state.Counters, JsonOptions));
        app.MapGet("/_sim/callbacks", () => Results.Json(state.Callbacks.ToArray(), JsonOptions));
        app.MapPost("/_sim/faults", async (HttpRequest request) =>
        {
            var rules = await JsonSerializer.DeserializeAsync<List<FaultRule>>(request.Body, JsonOptions);
            state.AddFaults(rules ?? new List<FaultRule>());
            return Results.NoContent();
        });
        app.MapPost("/_sim/reset", () =>
        {
            state.Reset();
            return Results.NoContent();
        });
        app.MapPost("/_sim/config", async (HttpRequest request) =>
        {
            if (await JsonNode.ParseAsync(request.Body) is not JsonObject body) return Results.BadRequest();
            var o = state.Options;
            if (body["latencyMs"] is JsonValue latency) o.GenerationLatency = TimeSpan.FromMilliseconds(latency.GetValue<double>());
            if (body["imageLifetimeSeconds"] is JsonValue lifetime) o.ImageLifetime = TimeSpan.FromSeconds(lifetime.GetValue<double>());
            if (body["balance"] is JsonValue balance) o.Balance = balance.GetValue<decimal>();
            if (body["allowLoopbackCallbacks"] is JsonValue loopback) o.AllowLoopbackCallbacks = loopback.GetValue<bool>();
            if (body["imagePaddingBytes"] is JsonValue padding) o.ImagePaddingBytes = padding.GetValue<int>();
            // The simulated account's ModelArk inference endpoints (ep-… id to the model behind it), as an account
            // creates them in the console.
            if (body["modelArkEndpoints"] is JsonObject endpoints)
            {
                foreach (var pair in endpoints) o.ModelArkEndpoints[pair.Key] = pair.Value!.GetValue<string>();
            }
            return Results.NoContent();
        });
    }
}
