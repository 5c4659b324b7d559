using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using SeedreamPS.Core.Platform;

namespace SeedreamPS
{
    /// <summary>Runs when the module is imported: resolves the module's own dependencies (System.Text.Json and
    /// its friends) from the <c>dependencies</c> folder. Windows PowerShell 5.1 has no binding redirects and does
    /// not probe module folders, so without this it could not load them; PowerShell 7 ships them in-box, resolves
    /// them itself, and never asks.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly DependencyResolver Resolver = new DependencyResolver(
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies"),
            new[] { typeof(ModuleInitializer).Assembly.GetName().Name, typeof(DependencyResolver).Assembly.GetName().Name });

        /// <summary>Registers the resolver.</summary>
        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        /// <summary>Remove-Module: forgets the session's connections and journal choice (the assembly stays loaded, so a
        /// later Import-Module would otherwise find them), and unregisters the resolver, so nothing of the module answers
        /// for others afterwards.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            ModuleSession.Store.Disconnect();
            ModuleSession.Store.JournalPath = null;
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
        }

        // Answers only the module's own assemblies and the dependencies they load (as PSResourceGet's ModuleInitAndCleanup does).
        internal static Assembly ResolveDependency(object sender, ResolveEventArgs args) =>
            Resolver.Resolve(new AssemblyName(args.Name), args.RequestingAssembly);
    }
}
