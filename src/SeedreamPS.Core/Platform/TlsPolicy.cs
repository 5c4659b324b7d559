using System;
using System.Net;
using System.Runtime.InteropServices;

namespace SeedreamPS.Core.Platform
{
    /// <summary>The TLS versions .NET Framework must offer for the gateways. Windows PowerShell 5.1 runs on .NET Framework,
    /// which on some Windows Server images still offers only TLS 1.0 (the process-wide
    /// <see cref="ServicePointManager.SecurityProtocol"/>), so every call to a TLS 1.2 gateway would fail there. .NET (Core),
    /// where PowerShell 7 runs, leaves the choice to the OS, which is right: nothing is changed there.</summary>
    public static class TlsPolicy
    {
        /// <summary>TLS 1.3 (its value; .NET Standard 2.0 does not name it).</summary>
        public const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

        /// <summary>Whether this process runs on .NET Framework.</summary>
        public static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>What <paramref name="current"/> becomes: on .NET Framework, TLS 1.2 (and 1.3 where the OS has it) added
        /// to what the user enabled, never taken away; elsewhere, or where the OS already chooses, unchanged.</summary>
        public static SecurityProtocolType Required(SecurityProtocolType current, bool netFramework, bool tls13Available)
        {
            // SystemDefault (0) lets the OS choose, which offers TLS 1.2 wherever it exists.
            if (!netFramework || current == 0) return current;
            var wanted = current | SecurityProtocolType.Tls12;
            if (tls13Available) wanted |= Tls13;
            return wanted;
        }

        /// <summary>Applies <see cref="Required"/> to the process on .NET Framework.</summary>
        public static void Apply()
        {
            if (!IsNetFramework) return;
            var current = ServicePointManager.SecurityProtocol;
            try
            {
                ServicePointManager.SecurityProtocol = Required(current, true, tls13Available: true);
            }
            catch (NotSupportedException)
            {
                // The OS has no TLS 1.3: 1.2 alone.
                ServicePointManager.SecurityProtocol = Required(current, true, tls13Available: false);
            }
        }
    }
}
