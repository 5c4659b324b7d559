namespace SeedreamPS.Simulator;

/// <summary>One image of a stream: its index, outcome (succeeded, failed) and times.</summary>
public sealed record StreamImage(int Index, string Outcome, double MadeMs, double SentMs);
