using System.Xml.Linq;

namespace SeedreamPS.HelpGen;

/// <summary>Writes MAML, the XML help format Get-Help reads for binary modules.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CmdletInfo> cmdlets) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev),
                cmdlets.Select(CommandElement)));

    /// <summary>Problems that make help incomplete: a cmdlet without synopsis, description or two examples, a parameter without a description.</summary>
    public static IEnumerable<string> Problems(CmdletInfo cmdlet)
    {
        if (!cmdlet.Paragraphs(cmdlet.Doc, "synopsis").Any()) yield return cmdlet.Name + " has no synopsis";
        if (!cmdlet.Paragraphs(cmdlet.Doc, "description").Any()) yield return cmdlet.Name + " has no description";
        if ((cmdlet.Doc?.Elements("example").Count() ?? 0) < 2) yield return cmdlet.Name + " has fewer than two examples";
        foreach (var p in cmdlet.Parameters.Where(p => !p.DontShow).GroupBy(p => p.Name).Select(g => g.First()))
        {
            if (!cmdlet.Paragraphs(cmdlet.ParameterDoc(p.Property), "description").Any()) yield return cmdlet.Name + " -" + p.Name + " has no description";
            else if (DefaultOf(cmdlet, p) == null) yield return cmdlet.Name + " -" + p.Name + " does not say its default (\"Default: ...\" in its description)";
        }
    }

    private static XElement CommandElement(CmdletInfo cmdlet)
    {
        var visible = cmdlet.Parameters.Where(p => !p.DontShow).ToList();
        var distinct = visible.GroupBy(p => p.Name).Select(g => g.First()).ToList();
        var sets = visible.Select(p => p.SetName).Distinct().Where(s => s != "__AllParameterSets").ToList();
        if (sets.Count == 0) sets.Add("__AllParameterSets");
        bool shouldProcess = cmdlet.Named<bool>("SupportsShouldProcess");

        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Maml + "description", Paras(cmdlet.Paragraphs(cmdlet.Doc, "synopsis"))),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun)),
            new XElement(Maml + "description", Paras(cmdlet.Paragraphs(cmdlet.Doc, "description"))),
            new XElement(Command + "syntax", sets.Select(set =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    visible.Where(p => p.SetName == set || p.SetName == "__AllParameterSets")
                        .OrderBy(p => p.Position < 0 ? int.MaxValue : p.Position)
                        .Select(p => ParameterElement(cmdlet, p, inSyntax: true)),
                    shouldProcess ? new[] { Switch("WhatIf", "Shows what would happen; nothing is sent."), Switch("Confirm", "Asks before each request.") } : null))),
            new XElement(Command + "parameters",
                distinct.Select(p => ParameterElement(cmdlet, p, inSyntax: false)),
                shouldProcess ? new[] { Switch("WhatIf", "Shows what would happen; nothing is sent."), Switch("Confirm", "Asks before each request.") } : null),
            new XElement(Command + "inputTypes", InputTypes(distinct).Select(t =>
                new XElement(Command + "inputType", new XElement(Dev + "type", new XElement(Maml + "name", t))))),
            new XElement(Command + "returnValues", cmdlet.Type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                .SelectMany(a => ((IEnumerable<System.Reflection.CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => ((Type)v.Value!).FullName))
                .Select(t => new XElement(Command + "returnValue", new XElement(Dev + "type", new XElement(Maml + "name", t))))),
            new XElement(Command + "examples", (cmdlet.Doc?.Elements("example") ?? Enumerable.Empty<XElement>()).Select((e, i) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                    new XElement(Dev + "code", e.Element("code")?.Value.Trim()),
                    new XElement(Dev + "remarks", Paras(e.Elements("para").Select(CmdletInfo.Flatten)))))),
            new XElement(Maml + "relatedLinks",
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "about_SeedreamPS"))));
    }

    private static XElement ParameterElement(CmdletInfo cmdlet, CmdletParameter p, bool inSyntax)
    {
        var sources = new List<string>();
        if (p.ByValue) sources.Add("ByValue");
        if (p.ByPropertyName) sources.Add("ByPropertyName");
        string pipeline = sources.Count == 0 ? "False" : "True (" + string.Join(", ", sources) + ")";
        string typeName = p.Property.PropertyType.Name == "SwitchParameter" ? "SwitchParameter" : p.Property.PropertyType.Name;
        var element = new XElement(Command + "parameter",
            new XAttribute("required", p.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.Property.PropertyType.IsArray ? "true" : "false"),
            new XAttribute("globbing", p.Attributes("SupportsWildcardsAttribute").Any() ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", p.Position < 0 ? "named" : p.Position.ToString()),
            new XAttribute("aliases", p.Aliases.Any() ? string.Join(", ", p.Aliases) : "none"),
            new XElement(Maml + "name", p.Name));
        if (!inSyntax) element.Add(new XElement(Maml + "description", Paras(cmdlet.Paragraphs(cmdlet.ParameterDoc(p.Property), "description"))));
        if (typeName != "SwitchParameter") element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), typeName));
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.Property.PropertyType.FullName)));
        if (!inSyntax) element.Add(new XElement(Dev + "defaultValue", DefaultOf(cmdlet, p) ?? "None"));
        return element;
    }

    // What Get-Help shows as the default: the description's "Default: ..." (or "(default ...)") sentence; a switch is
    // off and a required parameter has none. An optional value without one is a help problem.
    internal static string? DefaultOf(CmdletInfo cmdlet, CmdletParameter p)
    {
        string text = string.Join(" ", cmdlet.Paragraphs(cmdlet.ParameterDoc(p.Property), "description"));
        foreach (var pattern in new[] { @"\b[Dd]efault:\s+(?<value>.+?)(?:\.\s|\.$|$)", @"\([Dd]efault (?<value>[^)]+)\)", @"\b[Dd]efault(?: is)?\s+(?<value>[^.;,)]+)" })
        {
            var match = System.Text.RegularExpressions.Regex.Match(text, pattern);
            if (!match.Success) continue;
            string value = match.Groups["value"].Value.Trim();
            // "(default: Seedream review)": the closing parenthesis is the sentence's, not the value's.
            if (value.EndsWith(")") && value.Count(c => c == ')') > value.Count(c => c == '(')) value = value.Substring(0, value.Length - 1);
            return value;
        }
        if (p.Property.PropertyType.Name == "SwitchParameter") return "False (off)";
        if (p.Mandatory) return "None (required)";
        return null;
    }

    private static XElement Switch(string name, string description) =>
        new(Command + "parameter", new XAttribute("required", "false"), new XAttribute("position", "named"), new XAttribute("pipelineInput", "False"),
            new XElement(Maml + "name", name), new XElement(Maml + "description", new XElement(Maml + "para", description)),
            new XElement(Dev + "type", new XElement(Maml + "name", "System.Management.Automation.SwitchParameter")),
            new XElement(Dev + "defaultValue", "False (off)"));

    private static IEnumerable<string> InputTypes(IEnumerable<CmdletParameter> parameters) =>
        parameters.Where(p => p.ByValue || p.ByPropertyName).Select(p => p.Property.PropertyType.FullName!).Distinct();

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));
}
