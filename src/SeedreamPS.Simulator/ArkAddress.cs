using System.Text;
using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>One address of the ModelArk contract: BytePlus's (ids without doubao-), its EU one, and Volcengine's
/// (doubao- ids only). The two families are not interchangeable (API notes of 2026-11-30).</summary>
internal sealed record ArkAddress(string Target, string Prefix, string Region, bool DoubaoIds, string[] NotSold);
