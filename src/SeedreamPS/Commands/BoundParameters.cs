using System.Management.Automation;

namespace SeedreamPS.Commands
{
    /// <summary>What the command line said, as opposed to a parameter's default.</summary>
    internal static class BoundParameters
    {
        /// <summary><paramref name="value"/> when <paramref name="name"/> was given on the command line, else null.</summary>
        public static T? IfGiven<T>(this PSCmdlet cmdlet, string name, T value) where T : struct =>
            cmdlet.MyInvocation.BoundParameters.ContainsKey(name) ? value : (T?)null;
    }
}
