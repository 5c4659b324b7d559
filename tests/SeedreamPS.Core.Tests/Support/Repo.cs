namespace SeedreamPS.Core.Tests;

/// <summary>The repository the tests run in.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SeedreamPS.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }
}
