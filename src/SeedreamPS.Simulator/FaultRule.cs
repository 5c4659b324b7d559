namespace SeedreamPS.Simulator;

/// <summary>One injected fault. <see cref="Target"/> names an endpoint: evolink.create, evolink.query, linkmodel.create,
/// linkmodel.query, modelark.create, modelark-eu.create, volcengine.create, files.upload, files.quota, image, or * for all.</summary>
public sealed class FaultRule
{
    public string Target { get; set; } = "*";
    public FaultKind Kind { get; set; }
    public int Status { get; set; } = 500;
    public int? RetryAfterSeconds { get; set; }
    public int DelayMs { get; set; }
    public bool AfterHandling { get; set; }
    public string ErrorCode { get; set; } = "service_error";

    /// <summary>For <see cref="FaultKind.Status"/>: the error message instead of the default one.</summary>
    public string? Message { get; set; }

    /// <summary>For <see cref="FaultKind.Redirect"/>: where to send the client.</summary>
    public string? Location { get; set; }

    /// <summary>For <see cref="FaultKind.PartialFail"/>: which image fails (from 0); null for the last.</summary>
    public int? ImageIndex { get; set; }

    /// <summary>For <see cref="FaultKind.StreamBreak"/>: how many image events are sent before the stream breaks off.</summary>
    public int AfterImages { get; set; }

    /// <summary>How many requests the rule hits before it is used up; 0 or less means every request.</summary>
    public int Times { get; set; } = 1;

    internal bool Matches(string target) => Target == "*" || string.Equals(Target, target, StringComparison.OrdinalIgnoreCase);
}
