namespace SeedreamPS.Simulator;

/// <summary>One ModelArk batch: whether it was streamed; per streamed image, when it was made and when its event was
/// sent; when the headers left (ms from the request's arrival); and how it ended (completed, answered, broken, client gone).</summary>
public sealed class BatchRecord
{
    public bool Streamed { get; init; }
    public string Model { get; init; } = "";
    public int Images { get; init; }
    /// <summary>Replaced, never changed in place, so the control door can read it while the stream goes on.</summary>
    public System.Collections.Immutable.ImmutableList<StreamImage> Events { get; set; } = System.Collections.Immutable.ImmutableList<StreamImage>.Empty;
    public double? HeadersSentMs { get; set; }
    public string Outcome { get; set; } = "making";
}
