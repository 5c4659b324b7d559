using SeedreamPS.Core.Session;

namespace SeedreamPS
{
    /// <summary>The connections of this PowerShell process, as <c>Connect-Seedream</c> left them.</summary>
    internal static class ModuleSession
    {
        public static readonly SessionStore Store = new SessionStore();
    }
}
