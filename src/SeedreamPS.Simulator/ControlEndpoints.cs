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
        // What was charged: the dollars spent and the images billed per gateway (ModelArk bills the images delivered).
        app.MapGet("/_sim/billing", () => Results.Json(new { spentUsd = state.Spent, imagesBilled = state.ImagesBilled }, JsonOptions));
        // ModelArk batches, streamed or not: when each image was made and its event sent, and when the headers left, in
        // ms from the request's arrival (the simulator's own clock, so tests need not time anything).
        app.MapGet("/_sim/batches", () => Results.Json(state.Batches.ToArray(), JsonOptions));
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
            if (body["filesQuota"] is JsonValue quota) o.FilesQuota = quota.GetValue<int>();
            // true: EvoLink's error body as before 2026-03-06 (integer code, param, fallback_suggestion).
            if (body["evoLinkLegacyErrors"] is JsonValue legacy) o.EvoLinkLegacyErrors = legacy.GetValue<bool>();
            // ModelArk: image i of a request is ready at i x this (streamed or not).
            if (body["modelArkImageLatencyMs"] is JsonValue perImage) o.ModelArkImageLatency = TimeSpan.FromMilliseconds(perImage.GetValue<double>());
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
