using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace SeedreamPS
{
    /// <summary>Runs when the module is imported: resolves the module's own dependencies (System.Text.Json and
    /// its friends) from the <c>dependencies</c> folder. Windows PowerShell 5.1 has no binding redirects and does
    /// not probe module folders, so without this it could not load them; PowerShell 7 ships them in-box, resolves
    /// them itself, and never asks.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        /// <summary>Registers the resolver.</summary>
        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        /// <summary>Unregisters the resolver.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

        internal static Assembly ResolveDependency(object sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            string candidate = Path.Combine(DependencyFolder, wanted.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            // Only serve what we ship, and only a version at least as new as the one asked for.
            var shipped = AssemblyName.GetAssemblyName(candidate);
            if (wanted.Version != null && shipped.Version < wanted.Version) return null;
            return Assembly.LoadFrom(candidate);
        }
    }
}
