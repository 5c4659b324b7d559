namespace SeedreamPS.Simulator;

/// <summary>One callback delivery attempt, for tests to inspect.</summary>
public sealed record CallbackRecord(string TaskId, string Url, int Attempt, int? Status, string? Error);
