using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace SeedreamPS.HelpGen;

/// <summary>The cmdlets of a module assembly, read as metadata (no PowerShell needed) together with their XML docs.</summary>
public sealed class CmdletMetadata : IDisposable
{
    private readonly MetadataLoadContext _context;
    private readonly Dictionary<string, XElement> _docs;

    private CmdletMetadata(MetadataLoadContext context, Assembly assembly, Dictionary<string, XElement> docs)
    {
        _context = context;
        _docs = docs;
        Assembly = assembly;
        Cmdlets = assembly.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "CmdletAttribute")))
            .Where(x => x.Attribute != null && !x.Type.IsAbstract)
            .Select(x => new CmdletInfo(x.Type, (string)x.Attribute!.ConstructorArguments[0].Value!, (string)x.Attribute.ConstructorArguments[1].Value!, x.Attribute, this))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The cmdlet assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>Every concrete cmdlet.</summary>
    public IReadOnlyList<CmdletInfo> Cmdlets { get; }

    /// <summary>Where this tool's build found System.Management.Automation's reference assembly.</summary>
    public static string DefaultSmaPath =>
        typeof(CmdletMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "SmaReferencePath").Value!;

    /// <summary>Loads <c>SeedreamPS.dll</c> from a built module folder.</summary>
    public static CmdletMetadata Load(string moduleDir, string? smaPath = null)
    {
        var paths = new List<string>(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
        paths.AddRange(Directory.GetFiles(moduleDir, "*.dll"));
        string dependencies = Path.Combine(moduleDir, "dependencies");
        if (Directory.Exists(dependencies)) paths.AddRange(Directory.GetFiles(dependencies, "*.dll"));
        paths.Add(smaPath ?? DefaultSmaPath);
        var context = new MetadataLoadContext(new PathAssemblyResolver(paths.GroupBy(Path.GetFileName).Select(g => g.Last())));
        var assembly = context.LoadFromAssemblyPath(Path.Combine(moduleDir, "SeedreamPS.dll"));
        var docs = new Dictionary<string, XElement>(StringComparer.Ordinal);
        string xml = Path.Combine(moduleDir, "SeedreamPS.xml");
        if (File.Exists(xml))
        {
            foreach (var member in XDocument.Load(xml).Descendants("member")) docs[(string)member.Attribute("name")!] = member;
        }
        return new CmdletMetadata(context, assembly, docs);
    }

    internal XElement? Doc(string id) => _docs.TryGetValue(id, out var e) ? e : null;

    public void Dispose() => _context.Dispose();
}

