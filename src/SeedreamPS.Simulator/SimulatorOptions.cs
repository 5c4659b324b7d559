namespace SeedreamPS.Simulator;

/// <summary>Settings of one simulator run; most can also be changed at run time through <c>POST /_sim/config</c>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The one API key every gateway accepts. Deliberately not shaped like a real key.</summary>
    public string ApiKey { get; set; } = "seedream-simulator-key";

    /// <summary>How long a task takes from creation to completion.</summary>
    public TimeSpan GenerationLatency { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long result URLs stay valid (the gateways document 24 hours).</summary>
    public TimeSpan ImageLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Balance in US dollars; a create that would exceed it is refused as the gateway refuses it.</summary>
    public decimal Balance { get; set; } = 1_000_000m;

    /// <summary>Test mode: allow http:// callbacks to loopback addresses, which the real gateways refuse.</summary>
    public bool AllowLoopbackCallbacks { get; set; }

    /// <summary>Delays before the callback retries; the documents say 1 s, 2 s, 4 s.</summary>
    public TimeSpan[] CallbackRetryDelays { get; set; } = { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) };

    /// <summary>Random bytes added to every PNG (in a private chunk) so benchmarks can ask for a realistic file size.</summary>
    public int ImagePaddingBytes { get; set; }

    /// <summary>How many uploaded files the files API keeps per account (2000 for the default user group since
    /// 2026-05, as GET /api/v1/files/quota reports); past it uploads fail with code 40003.</summary>
    public int FilesQuota { get; set; } = 2000;

    /// <summary>EvoLink answers errors in the shape it used before 2026-03-06 (integer codes, param,
    /// fallback_suggestion) instead of today's (string codes, neither field), so a client's reading of both can be tested.</summary>
    public bool EvoLinkLegacyErrors { get; set; }

    /// <summary>ModelArk: how long each image of a request takes (image i is ready at i times this); zero leaves the
    /// whole request to <see cref="GenerationLatency"/>.</summary>
    public TimeSpan ModelArkImageLatency { get; set; }

    /// <summary>ModelArk's images a minute per model and account (500 in the documents); past it a create gets 429
    /// RateLimitExceeded.EndpointIPMExceeded.</summary>
    public int ModelArkImagesPerMinute { get; set; } = 500;

    /// <summary>ModelArk inference endpoints of the simulated account (ep-… id to the model behind it).</summary>
    public Dictionary<string, string> ModelArkEndpoints { get; set; } = new();
}
