using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The layout a reader can rely on (issue 21): one top-level type per file, named after it (a part of a partial
/// type as Type.Part.cs), in every project, so a type is found by its name.</summary>
public class LayoutTests
{
    private static readonly Regex Declaration = new(@"\b(?:class|record|struct|enum|interface|delegate\s+[\w<>\[\],\s]+?)\s+([A-Z]\w*)");

    [Fact]
    public void Every_file_holds_one_top_level_type_named_after_it()
    {
        var offenders = new List<string>();
        foreach (var folder in new[] { "src", "tools", "tests", "bench" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(Repo.Root, file).Replace('\\', '/');
                if (relative.Contains("/obj/") || relative.Contains("/bin/")) continue;
                var types = TopLevelTypes(File.ReadAllText(file));
                // A part of a partial type is named Type.Part.cs.
                string name = Path.GetFileName(file).Split('.')[0];
                if (types.Count > 1 || (types.Count == 1 && types[0] != name)) offenders.Add(relative + ": " + string.Join(", ", types));
            }
        }
        Assert.True(offenders.Count == 0, "Files that hold several types, or a type of another name:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_scan_sees_nested_types_as_nested_and_ignores_comments_and_strings()
    {
        const string code = "namespace N\n{\n    /// <summary>a class Fake in a comment</summary>\n    public sealed class Outer\n    {\n" +
                            "        private const string S = \"class InString { }\";\n        private sealed class Inner { }\n    }\n\n    internal enum Second { A }\n}\n";
        Assert.Equal(new[] { "Outer", "Second" }, TopLevelTypes(code));
        Assert.Equal(new[] { "Only" }, TopLevelTypes("namespace N;\n\ninternal sealed record Only(string A);\n"));
    }

    // The names of the types declared at namespace level: braces are counted outside comments, strings and characters.
    private static List<string> TopLevelTypes(string code)
    {
        string text = Strip(code);
        bool fileScoped = Regex.IsMatch(text, @"^\s*namespace\s+[\w.]+\s*;", RegexOptions.Multiline);
        int topDepth = fileScoped || !Regex.IsMatch(text, @"^\s*namespace\s", RegexOptions.Multiline) ? 0 : 1;
        var found = new List<string>();
        var pending = new StringBuilder();
        int depth = 0;
        foreach (char c in text)
        {
            if (c == '{' || c == '}' || c == ';')
            {
                if (depth == topDepth)
                {
                    var m = Declaration.Match(pending.ToString());
                    if (m.Success) found.Add(m.Groups[1].Value);
                }
                pending.Clear();
                if (c == '{') depth++;
                else if (c == '}') depth--;
                continue;
            }
            pending.Append(c);
        }
        return found;
    }

    private static string Strip(string code)
    {
        // Comments, verbatim and regular strings, and characters become spaces; what is left is code.
        return Regex.Replace(code, @"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|\$?""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\])'", " ", RegexOptions.Singleline);
    }
}
