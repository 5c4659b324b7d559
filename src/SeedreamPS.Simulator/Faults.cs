using System.Text.Json.Serialization;

namespace SeedreamPS.Simulator;

/// <summary>What a fault does to the request it hits.</summary>
[JsonConverter(typeof(JsonStringEnumConverter))]
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.Status"/> in the gateway's error shape (and <c>Retry-After</c> if set).</summary>
    Status,

    /// <summary>Drop the connection before answering; with <see cref="FaultRule.AfterHandling"/> the request is processed first
    /// (a create then makes a task the client never hears of).</summary>
    Reset,

    /// <summary>Wait <see cref="FaultRule.DelayMs"/> before answering normally.</summary>
    Slow,

    /// <summary>Images: send half the body under a full Content-Length, then drop the connection.</summary>
    Truncate,

    /// <summary>Answer 200 with a body that is not valid JSON.</summary>
    Malformed,

    /// <summary>Creates: the task fails with <see cref="FaultRule.ErrorCode"/> when it would have finished.</summary>
    TaskFail,

    /// <summary>ModelArk batch: one image (the last, or <see cref="FaultRule.ImageIndex"/>) fails the content filter; the
    /// answer is HTTP 200 with that data[] entry carrying error{code,message} (streamed: a partial_failed event), and
    /// usage.generated_images counts only the others.</summary>
    PartialFail,

    /// <summary>ModelArk stream: the connection drops after <see cref="FaultRule.AfterImages"/> image events, with no
    /// completed event; only the images delivered are billed.</summary>
    StreamBreak,

    /// <summary>Creates: the task stays processing for ever.</summary>
    NeverFinish,

    /// <summary>Answer 302 to <see cref="FaultRule.Location"/>.</summary>
    Redirect,
}

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
