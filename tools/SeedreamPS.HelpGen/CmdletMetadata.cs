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

/// <summary>One cmdlet: its name, parameters and documentation.</summary>
public sealed class CmdletInfo
{
    private readonly CmdletMetadata _owner;

    internal CmdletInfo(Type type, string verb, string noun, CustomAttributeData attribute, CmdletMetadata owner)
    {
        Type = type;
        Verb = verb;
        Noun = noun;
        Attribute = attribute;
        _owner = owner;
        Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => p.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute").Select(a => new CmdletParameter(p, a)))
            .ToList();
    }

    public Type Type { get; }
    public string Verb { get; }
    public string Noun { get; }
    public string Name => Verb + "-" + Noun;
    public CustomAttributeData Attribute { get; }

    /// <summary>One entry per [Parameter] attribute (a parameter in two sets appears twice).</summary>
    public IReadOnlyList<CmdletParameter> Parameters { get; }

    public T? Named<T>(string name) => Attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    public XElement? Doc => _owner.Doc("T:" + Type.FullName);

    public XElement? ParameterDoc(PropertyInfo property) => _owner.Doc("P:" + property.DeclaringType!.FullName + "." + property.Name);

    public IEnumerable<string> Paragraphs(XElement? doc, string kind) =>
        doc?.Element("summary")?.Elements("para").Where(p => (string?)p.Attribute("type") == kind).Select(p => Flatten(p)) ?? Enumerable.Empty<string>();

    internal static string Flatten(XElement element) =>
        string.Join(" ", element.Value.Split(new[] { ' ', '\n', '\r', '\t' }, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>One [Parameter] attribute on a property.</summary>
public sealed class CmdletParameter
{
    internal CmdletParameter(PropertyInfo property, CustomAttributeData attribute)
    {
        Property = property;
        ParameterAttribute = attribute;
    }

    public PropertyInfo Property { get; }
    public CustomAttributeData ParameterAttribute { get; }
    public string Name => Property.Name;

    public T? Named<T>(string name) => ParameterAttribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    public bool Mandatory => Named<bool>("Mandatory");
    public int Position => ParameterAttribute.NamedArguments.Any(a => a.MemberName == "Position") ? Named<int>("Position") : int.MinValue;
    public string SetName => Named<string>("ParameterSetName") ?? "__AllParameterSets";
    public bool ByValue => Named<bool>("ValueFromPipeline");
    public bool ByPropertyName => Named<bool>("ValueFromPipelineByPropertyName");
    public bool DontShow => Named<bool>("DontShow");

    public IEnumerable<CustomAttributeData> Attributes(string typeName) =>
        Property.GetCustomAttributesData().Where(a => a.AttributeType.Name == typeName);

    public IEnumerable<string> Aliases =>
        Attributes("AliasAttribute").SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!));
}
