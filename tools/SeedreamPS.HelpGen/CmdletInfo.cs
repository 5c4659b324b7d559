using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace SeedreamPS.HelpGen;

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
