using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace SeedreamPS.HelpGen;

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
