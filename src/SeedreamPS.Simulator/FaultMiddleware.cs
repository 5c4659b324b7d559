using System.Globalization;

namespace SeedreamPS.Simulator;

/// <summary>Counts every gateway request by endpoint and applies the injected faults that act before or around the handler.</summary>
internal sealed class FaultMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SimulatorState _state;

    public FaultMiddleware(RequestDelegate next, SimulatorState state)
    {
        _next = next;
        _state = state;
    }

    /// <summary>The endpoint name faults and counters use, or null for the control endpoints.</summary>
    public static string? TargetOf(HttpRequest request)
    {
        string path = request.Path.Value ?? "";
        bool post = HttpMethods.IsPost(request.Method);
        if (path.StartsWith("/evolink/v1/images/generations", StringComparison.Ordinal)) return "evolink.create";
        if (path.StartsWith("/evolink/v1/tasks/", StringComparison.Ordinal)) return "evolink.query";
        if (path.StartsWith("/linkmodel/api/v1/image-generation", StringComparison.Ordinal)) return "linkmodel.create";
        if (path.StartsWith("/linkmodel/api/v1/query/image-generation", StringComparison.Ordinal)) return "linkmodel.query";
        foreach (var address in ModelArkEndpoints.Addresses)
        {
            if (path.StartsWith(address.Prefix + "/images/generations", StringComparison.Ordinal)) return address.Target;
        }
        if (path.StartsWith("/evolink-files/api/v1/files/quota", StringComparison.Ordinal)) return "files.quota";
        if (path.StartsWith("/evolink-files/api/v1/files/upload", StringComparison.Ordinal) && post) return "files.upload";
        if (path.StartsWith("/evolink-files/api/v1/files/", StringComparison.Ordinal) && HttpMethods.IsDelete(request.Method)) return "files.delete";
        if (path.StartsWith("/evolink-files/files/", StringComparison.Ordinal)) return "files.download";
        if (path.StartsWith("/images/", StringComparison.Ordinal)) return "image";
        return null;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        string? target = TargetOf(context.Request);
        if (target == null)
        {
            await _next(context);
            return;
        }
        _state.CountRequest(target);
        // Result URLs need no credentials; a client that sends them anyway would leak them to a CDN.
        if (target == "image" && context.Request.Headers.ContainsKey("Authorization")) _state.CountRequest("image.authorized");
        var fault = _state.TakeFault(target, FaultKind.Status, FaultKind.Reset, FaultKind.Slow, FaultKind.Malformed, FaultKind.Redirect);
        switch (fault?.Kind)
        {
            case FaultKind.Slow:
                await Task.Delay(fault.DelayMs, context.RequestAborted).ContinueWith(_ => { });
                // A client that gave up is gone: handling its request now would act on faults meant for later ones.
                if (context.RequestAborted.IsCancellationRequested) return;
                await _next(context);
                return;
            case FaultKind.Status:
                if (fault.RetryAfterSeconds is int wait) context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                await ErrorFor(_state.Options, target, fault.Status, fault.RetryAfterSeconds, fault.Message).ExecuteAsync(context);
                return;
            case FaultKind.Redirect:
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = fault.Location;
                return;
            case FaultKind.Malformed:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"task-unified-17571650");
                return;
            case FaultKind.Reset when fault.AfterHandling:
                // The handler runs (a create makes a paid task), but the answer never reaches the client.
                var original = context.Response.Body;
                context.Response.Body = Stream.Null;
                await _next(context);
                context.Response.Body = original;
                context.Abort();
                return;
            case FaultKind.Reset:
                context.Abort();
                return;
            default:
                await _next(context);
                return;
        }
    }

    private static IResult ErrorFor(SimulatorOptions options, string target, int status, int? retryAfter, string? custom)
    {
        string message = custom ?? status switch
        {
            429 => "Rate limit exceeded",
            500 => "Internal server error",
            502 => "Bad gateway: upstream provider error",
            503 => "Service temporarily unavailable",
            504 => "Gateway timeout",
            _ => "Error",
        };
        if (target.StartsWith("evolink.", StringComparison.Ordinal))
        {
            string? suggestion = status == 429 ? $"retry after {retryAfter ?? 60} seconds" : null;
            return Wire.EvoLinkError(options, target == "evolink.query", status, message, suggestion: suggestion);
        }
        if (target.StartsWith("linkmodel.", StringComparison.Ordinal)) return Wire.LinkModelError(status, message);
        if (target.StartsWith("modelark", StringComparison.Ordinal) || target.StartsWith("volcengine.", StringComparison.Ordinal))
        {
            string code = status == 429 ? "RateLimitExceeded.EndpointRPMExceeded" : status >= 500 ? "InternalServiceError" : "InvalidParameter";
            return Wire.Json(new System.Text.Json.Nodes.JsonObject { ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = code, ["message"] = message, ["type"] = status == 429 ? "TooManyRequests" : "ServerError" } }, status);
        }
        if (target.StartsWith("files.", StringComparison.Ordinal)) return Wire.FilesError(status, message);
        return Results.Text(message, "text/plain", statusCode: status);
    }
}
