namespace SeedreamPS.Simulator;

/// <summary>A task the simulator holds. Its status is a function of time, so no timer has to advance it.</summary>
internal sealed class SimTask
{
    public required string Id { get; init; }
    public required string Gateway { get; init; }
    public required string Model { get; init; }
    public required string Prompt { get; init; }
    public string? Size { get; init; }
    public string? Quality { get; init; }
    public int Requested { get; init; }
    public int ImagesMade { get; init; }
    public string[] References { get; init; } = Array.Empty<string>();
    public string? CallbackUrl { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public TimeSpan Latency { get; init; }
    public string? FailCode { get; init; }

    /// <summary>The failure message a TaskFail fault asked for (null: the usual one for the code; "" an empty one).</summary>
    public string? FailMessage { get; init; }
    public bool NeverFinish { get; init; }
    public decimal Price { get; init; }
    public string Origin { get; init; } = "";

    /// <summary>The result images' format: png, or jpeg (ModelArk 4.0 and 4.5 always; 5.0-lite by output_format).</summary>
    public string Format { get; init; } = "png";
    public int CallbackState; // 0 = not sent, 1 = sending or sent

    public string Phase(DateTimeOffset now)
    {
        var elapsed = now - CreatedAt;
        if (elapsed < Latency / 10) return "pending";
        if (NeverFinish || elapsed < Latency) return "processing";
        return FailCode == null ? "completed" : "failed";
    }

    public int Progress(DateTimeOffset now)
    {
        string phase = Phase(now);
        if (phase == "completed") return 100;
        if (phase == "pending" || Latency <= TimeSpan.Zero) return 0;
        if (NeverFinish) return 99;
        return (int)Math.Clamp((now - CreatedAt) / Latency * 100, 1, 99);
    }
}
