using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SeedreamPS.Simulator;

/// <summary>Serves result images at signed URLs that expire, like the gateways' object-store links.</summary>
internal static class ImageEndpoints
{
    private static readonly ConcurrentDictionary<(int, int, int, int, string), byte[]> Rendered = new();

    public static void Map(WebApplication app)
    {
        var state = app.Services.GetRequiredService<SimulatorState>();
        app.MapGet("/images/{taskId}/{index:int}.png", (HttpContext context, string taskId, int index) => Serve(context, state, taskId, index, "png"));
        app.MapGet("/images/{taskId}/{index:int}.jpeg", (HttpContext context, string taskId, int index) => Serve(context, state, taskId, index, "jpeg"));
    }

    private static async Task Serve(HttpContext context, SimulatorState state, string taskId, int index, string format)
    {
        var response = context.Response;
        long.TryParse(context.Request.Query["exp"], out long exp);
        string sig = context.Request.Query["sig"].ToString();
        bool signed = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sig), Encoding.ASCII.GetBytes(Wire.Sign(taskId, index, exp)));
        if (!signed || !state.Tasks.TryGetValue(taskId, out var task) || index < 0 || index >= task.ImagesMade || task.Format != format)
        {
            await Denied(response, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
            return;
        }
        if (DateTimeOffset.UtcNow.ToUnixTimeSeconds() > exp)
        {
            await Denied(response, "AccessDenied", "Request has expired");
            return;
        }

        byte[] png = Bytes(state, task, index);

        response.ContentType = format == "jpeg" ? "image/jpeg" : "image/png";
        response.ContentLength = png.Length;
        if (state.TakeFault("image", FaultKind.Truncate) != null)
        {
            await response.Body.WriteAsync(png.AsMemory(0, png.Length / 2));
            await response.Body.FlushAsync();
            // Let the headers and the first half reach the client before the connection drops, as on a real network.
            await Task.Delay(100);
            context.Abort();
            return;
        }
        await response.Body.WriteAsync(png);
    }

    /// <summary>The bytes of one image of a task: what its URL serves, and what b64_json carries.</summary>
    internal static byte[] Bytes(SimulatorState state, SimTask task, int index)
    {
        var (width, height) = SimModel.Render(task.Size, task.Quality);
        // The images of one task always differ from each other (tests upload them as distinct references).
        int seed = ((HashCode.Combine(task.Id) & 0x7FFFFFFF) % 16 + index) % 16;
        int padding = state.Options.ImagePaddingBytes;
        // Sixteen looks per size, rendered once: rendering a 4K PNG per request would make the simulator, not the client,
        // what a benchmark on this same machine measures.
        if (Rendered.Count > 64) Rendered.Clear();
        return Rendered.GetOrAdd((width, height, seed, padding, task.Format), key =>
            key.Item5 == "jpeg" ? JpegWriter.Render(key.Item1, key.Item2, key.Item3, key.Item4) : PngWriter.Render(key.Item1, key.Item2, key.Item3, key.Item4));
    }

    private static Task Denied(HttpResponse response, string code, string message)
    {
        response.StatusCode = 403;
        response.ContentType = "application/xml";
        return response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }
}
