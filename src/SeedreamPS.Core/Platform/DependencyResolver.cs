using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace SeedreamPS.Core.Platform
{
    /// <summary>The module's answer to assembly-resolve requests on Windows PowerShell 5.1 (no binding redirects, no
    /// probing of module folders). It answers only requests that come from the module's own assemblies or from the
    /// dependencies it ships, and only with a version at least as new as the one asked for, so another module in the
    /// same session that brings its own (older or newer) System.Text.Json or System.Memory resolves its copy as it would
    /// without us, and we never hand ours to a stranger. PowerShell 7 resolves these in-box and never asks.</summary>
    public sealed class DependencyResolver
    {
        private readonly string _folder;
        private readonly HashSet<string> _own;

        /// <summary>Creates a resolver serving <paramref name="folder"/> to the assemblies named <paramref name="ownAssemblies"/>.</summary>
        public DependencyResolver(string folder, IEnumerable<string> ownAssemblies)
        {
            _folder = Path.GetFullPath(folder ?? throw new ArgumentNullException(nameof(folder)));
            _own = new HashSet<string>(ownAssemblies ?? Enumerable.Empty<string>(), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The shipped dependency for <paramref name="wanted"/> when <paramref name="requesting"/> is ours; else null,
        /// leaving the request to whoever else can answer it.</summary>
        public Assembly Resolve(AssemblyName wanted, Assembly requesting)
        {
            if (wanted == null || !IsOurs(requesting)) return null;
            string candidate = Path.Combine(_folder, wanted.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            var shipped = AssemblyName.GetAssemblyName(candidate);
            if (wanted.Version != null && shipped.Version < wanted.Version) return null;
            return Assembly.LoadFrom(candidate);
        }

        /// <summary>Whether <paramref name="requesting"/> is one of the module's assemblies or a dependency loaded from its folder.</summary>
        public bool IsOurs(Assembly requesting)
        {
            if (requesting == null) return false;
            if (_own.Contains(requesting.GetName().Name)) return true;
            string location;
            try
            {
                location = requesting.IsDynamic ? null : requesting.Location;
            }
            catch (NotSupportedException)
            {
                location = null;
            }
            return !string.IsNullOrEmpty(location) &&
                string.Equals(Path.GetDirectoryName(Path.GetFullPath(location)), _folder, StringComparison.OrdinalIgnoreCase);
        }
    }
}
