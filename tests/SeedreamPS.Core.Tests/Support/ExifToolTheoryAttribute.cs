using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>A <see cref="FactAttribute"/> skipped, with the reason, where ExifTool is not installed.</summary>
public sealed class ExifToolTheoryAttribute : TheoryAttribute
{
    public ExifToolTheoryAttribute()
    {
        if (ExifTool.Path == null) Skip = "ExifTool is not installed: apt-get install libimage-exiftool-perl (.ci/run installs it).";
    }
}
