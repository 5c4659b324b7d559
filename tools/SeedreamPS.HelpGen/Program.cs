using SeedreamPS.HelpGen;

// Usage: SeedreamPS.HelpGen MODULE_DIR — writes MODULE_DIR/en-US/SeedreamPS.dll-Help.xml, and fails the build
// when a cmdlet lacks a synopsis, a description, two examples or a parameter description.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: SeedreamPS.HelpGen MODULE_DIR");
    return 2;
}
string moduleDir = Path.GetFullPath(args[0]);
using var metadata = CmdletMetadata.Load(moduleDir);
var problems = metadata.Cmdlets.SelectMany(MamlWriter.Problems).ToList();
foreach (var problem in problems) Console.Error.WriteLine("help: " + problem);
if (problems.Count > 0) return 1;

string folder = Path.Combine(moduleDir, "en-US");
Directory.CreateDirectory(folder);
string target = Path.Combine(folder, "SeedreamPS.dll-Help.xml");
MamlWriter.Write(metadata.Cmdlets).Save(target);
Console.WriteLine($"SeedreamPS help -> {target} ({metadata.Cmdlets.Count} cmdlets)");
return 0;
