using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>A <see cref="FactAttribute"/> skipped, with the reason, where no headless browser is installed; under CI
/// (CI=true, as CI services and .ci/run set it) it runs anyway and fails, so a CI run cannot skip the render silently.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Missing = "No headless browser to render the gallery: install Debian's chromium package (apt-get install chromium).";

    public BrowserFactAttribute()
    {
        if (HeadlessBrowser.Path == null && !HeadlessBrowser.UnderCi) Skip = Missing;
    }
}
