using System.Reflection;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;
using SeedreamPS.HelpGen;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The cmdlet assembly, read as metadata: verbs, pipeline binding, attribute bounds from the catalogue, help.</summary>
public sealed class CmdletSurfaceTests : IDisposable
{
    private static readonly string RepoRoot = Repo.Root;
    private readonly CmdletMetadata _metadata = CmdletMetadata.Load(Path.Combine(RepoRoot, "out", "SeedreamPS"));

    public void Dispose() => _metadata.Dispose();

    private CmdletInfo Cmdlet(string name) => Assert.Single(_metadata.Cmdlets, c => c.Name == name);

    private static CmdletParameter Parameter(CmdletInfo cmdlet, string name) => cmdlet.Parameters.First(p => p.Name == name);

    private static object[] Arguments(CmdletParameter p, string attribute) =>
        Assert.Single(p.Attributes(attribute)).ConstructorArguments.Select(a => a.Value).ToArray();

    [Fact]
    public void The_expected_cmdlets_exist_and_the_manifest_exports_exactly_them()
    {
        var names = _metadata.Cmdlets.Select(c => c.Name).ToArray();
        Assert.Equal(new[] { "Connect-Seedream", "ConvertFrom-SeedreamCallback", "Disconnect-Seedream", "Export-SeedreamGallery", "Get-SeedreamImageInfo", "Get-SeedreamModel", "Get-SeedreamTask", "Get-SeedreamUsage", "New-SeedreamImage", "Save-SeedreamImage", "Wait-SeedreamTask" }, names);
        string manifest = File.ReadAllText(Path.Combine(RepoRoot, "SeedreamPS.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(names, exported);
    }

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb()
    {
        // The approved verbs are the constants of System.Management.Automation's Verbs* classes.
        var approved = _metadata.Assembly.GetReferencedAssemblies()
            .Where(a => a.Name == "System.Management.Automation")
            .Select(a => _metadata.Cmdlets[0].Type.Assembly.GetType("SeedreamPS.Commands.SeedreamCmdletBase")!.BaseType!.Assembly)
            .SelectMany(sma => sma.GetTypes().Where(t => t.Name.StartsWith("Verbs", StringComparison.Ordinal)))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!))
            .ToHashSet();
        Assert.Contains("Get", approved);
        Assert.All(_metadata.Cmdlets, c => Assert.Contains(c.Verb, approved));
        Assert.All(_metadata.Cmdlets, c => Assert.StartsWith("Seedream", c.Noun));
    }

    [Fact]
    public void Each_cmdlet_class_is_named_after_its_cmdlet()
    {
        Assert.All(_metadata.Cmdlets, c => Assert.Equal(c.Verb + c.Noun + "Command", c.Type.Name));
    }

    [Fact]
    public void Count_bounds_equal_the_catalogue()
    {
        var count = Parameter(Cmdlet("New-SeedreamImage"), "Count");
        Assert.Equal(new object[] { ModelCatalog.MinImages, ModelCatalog.MaxImages }, Arguments(count, "ValidateRangeAttribute"));
        Assert.Equal(new object[] { 1 }, Arguments(count, "BlankAsDefaultAttribute").Select(a => a is System.Reflection.CustomAttributeTypedArgument t ? t.Value : a).ToArray());
    }

    [Fact]
    public void Reference_count_bound_equals_the_catalogue()
    {
        var refs = Parameter(Cmdlet("New-SeedreamImage"), "ReferenceImage");
        Assert.Equal(new object[] { 0, ModelCatalog.MaxReferencesAnyModel }, Arguments(refs, "ValidateCountAttribute"));
        Assert.Equal(ModelCatalog.MaxReferencesAnyModel, ModelCatalog.Models.Max(m => m.MaxReferences));
    }

    [Theory]
    [InlineData("Size", "ValidateSeedreamSizeAttribute")]
    [InlineData("Quality", "ValidateQualityAttribute")]
    [InlineData("PromptPriority", "ValidatePromptPriorityAttribute")]
    [InlineData("CallbackUri", "ValidateCallbackUriAttribute")]
    [InlineData("Prompt", "ValidateNotNullOrEmptyAttribute")]
    public void Request_parameters_carry_their_validation_attribute(string parameter, string attribute) =>
        Assert.Single(Parameter(Cmdlet("New-SeedreamImage"), parameter).Attributes(attribute));

    [Theory]
    [InlineData("Model", "ModelCompleter")]
    [InlineData("Size", "SizeCompleter")]
    [InlineData("Quality", "QualityCompleter")]
    public void Model_size_and_quality_complete(string parameter, string completer)
    {
        var attribute = Assert.Single(Parameter(Cmdlet("New-SeedreamImage"), parameter).Attributes("ArgumentCompleterAttribute"));
        Assert.Equal(completer, ((Type)attribute.ConstructorArguments[0].Value!).Name);
    }

    [Fact]
    public void Each_cmdlet_takes_the_pipeline_through_one_parameter_and_nothing_binds_by_property_name()
    {
        // PowerShell binds a piped object's properties to every parameter whose name they carry (a file's Size, a task's
        // Id); so each cmdlet takes the whole object through one parameter and Core decides what of it counts.
        // The one exception is PowerShell's own convention for paths: -LiteralPath takes a piped item's PSPath (its
        // alias), as Get-Item does, and nothing else of the item.
        foreach (var cmdlet in _metadata.Cmdlets.Where(c => c.Parameters.Any(p => p.ByValue)))
        {
            Assert.DoesNotContain(cmdlet.Parameters, p => p.ByPropertyName && !(p.Name == "LiteralPath" && p.Aliases.Contains("PSPath")));
            // A parameter in several sets has an entry per set.
            Assert.True(cmdlet.Parameters.Where(p => p.ByValue).Select(p => p.Name).Distinct().Count() == 1, cmdlet.Name + " takes the pipeline through more than one parameter");
        }
        foreach (var name in new[] { "New-SeedreamImage", "Get-SeedreamTask", "Wait-SeedreamTask", "Save-SeedreamImage" })
        {
            Assert.Equal("PSObject", Parameter(Cmdlet(name), "InputObject").Property.PropertyType.Name);
            Assert.True(Parameter(Cmdlet(name), "InputObject").ByValue);
        }
        Assert.Contains("TaskId", Parameter(Cmdlet("Get-SeedreamTask"), "Id").Aliases);
    }

    [Fact]
    public void Record_columns_are_the_parameter_names_and_aliases_of_New_SeedreamImage()
    {
        var cmdlet = Cmdlet("New-SeedreamImage");
        foreach (var column in RecordReader.Columns)
        {
            var parameter = Parameter(cmdlet, column.Key);
            Assert.Equal(column.Value, new[] { parameter.Name }.Concat(parameter.Aliases));
        }
    }

    [Theory]
    [InlineData("Count", "N,MaxImages")]
    [InlineData("ReferenceImage", "ImageUrls,Images,image_urls")]
    [InlineData("CallbackUri", "CallbackUrl,callback_url")]
    public void Csv_column_aliases_are_declared(string parameter, string aliases) =>
        Assert.Equal(aliases.Split(','), Parameter(Cmdlet("New-SeedreamImage"), parameter).Aliases);

    [Fact]
    public void Save_takes_anything_from_the_pipeline_and_has_its_switches()
    {
        var save = Cmdlet("Save-SeedreamImage");
        Assert.True(Parameter(save, "InputObject").ByValue);
        foreach (var name in new[] { "Path", "FileName", "Force", "NoClobber", "TimeoutSec", "Id" }) Assert.Contains(save.Parameters, p => p.Name == name);
    }

    [Fact]
    public void Save_refuses_Force_with_NoClobber_by_its_parameter_sets()
    {
        // Each switch only in sets of its own, where it is mandatory: PowerShell refuses the two together while binding.
        var save = Cmdlet("Save-SeedreamImage");
        var force = save.Parameters.Where(p => p.Name == "Force").ToList();
        var noClobber = save.Parameters.Where(p => p.Name == "NoClobber").ToList();
        Assert.All(force.Concat(noClobber), p => Assert.True(p.Mandatory && p.SetName != "__AllParameterSets", p.Name + " in " + p.SetName));
        Assert.Empty(force.Select(p => p.SetName).Intersect(noClobber.Select(p => p.SetName)));
        Assert.Equal(2, force.Count);
        Assert.Equal(2, noClobber.Count);
    }

    [Fact]
    public void New_supports_WhatIf_and_every_api_cmdlet_takes_key_gateway_and_base_uri()
    {
        Assert.True(Cmdlet("New-SeedreamImage").Named<bool>("SupportsShouldProcess"));
        foreach (var name in new[] { "New-SeedreamImage", "Get-SeedreamTask", "Wait-SeedreamTask", "Save-SeedreamImage" })
        {
            var cmdlet = Cmdlet(name);
            Assert.Equal("SecureString", Parameter(cmdlet, "ApiKey").Property.PropertyType.Name);
            Assert.Single(Parameter(cmdlet, "ApiKey").Attributes("ApiKeyTransformationAttribute"));
            Assert.Contains(cmdlet.Parameters, p => p.Name == "Gateway");
            Assert.Contains(cmdlet.Parameters, p => p.Name == "BaseUri");
        }
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        Assert.All(_metadata.Cmdlets.Where(c => c.Name != "Disconnect-Seedream"), c =>
            Assert.Contains(c.Type.GetCustomAttributesData(), a => a.AttributeType.Name == "OutputTypeAttribute"));
    }

    [Fact]
    public void Help_is_complete_for_every_cmdlet_and_written_to_the_module()
    {
        Assert.Empty(_metadata.Cmdlets.SelectMany(MamlWriter.Problems));
        string help = File.ReadAllText(Path.Combine(RepoRoot, "out", "SeedreamPS", "en-US", "SeedreamPS.dll-Help.xml"));
        foreach (var cmdlet in _metadata.Cmdlets) Assert.Contains("<command:name>" + cmdlet.Name + "</command:name>", help);
        Assert.True(File.Exists(Path.Combine(RepoRoot, "out", "SeedreamPS", "en-US", "about_SeedreamPS.help.txt")));
    }

    [Fact]
    public void Every_error_id_a_script_can_match_is_listed_in_about_SeedreamPS()
    {
        string about = File.ReadAllText(Path.Combine(RepoRoot, "out", "SeedreamPS", "en-US", "about_SeedreamPS.help.txt"));
        var ids = typeof(SeedreamPS.Core.Errors.ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.True(ids.Count >= 15);
        Assert.All(ids, id => Assert.Contains("SeedreamPS." + id, about));
    }

    [Fact]
    public void The_format_file_has_a_view_for_each_output_type_and_fits_120_columns()
    {
        var xml = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot, "out", "SeedreamPS", "SeedreamPS.format.ps1xml"));
        var views = xml.Descendants("View").ToList();
        foreach (var type in new[] { "SeedreamPS.Core.Tasks.SeedreamTask", "SeedreamPS.Core.Tasks.SeedreamImage", "SeedreamPS.Core.Catalog.ModelInfo", "SeedreamPS.Core.Http.SeedreamConnection" })
        {
            var view = Assert.Single(views, v => v.Descendants("TypeName").Any(t => t.Value == type));
            var widths = view.Descendants("Width").Select(w => int.Parse(w.Value)).ToList();
            // Each column is followed by one space.
            Assert.True(widths.Sum() + widths.Count <= 120, type + " is wider than 120 columns");
        }
    }
}
