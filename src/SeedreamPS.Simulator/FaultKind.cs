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
