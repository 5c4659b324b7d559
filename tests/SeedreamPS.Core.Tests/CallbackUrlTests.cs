using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The documented callback rules: HTTPS, no internal address in any spelling, at most 2048 characters.</summary>
public class CallbackUrlTests
{
    [Theory]
    [InlineData("https://hooks.example.com/seedream")]
    [InlineData("https://203.0.113.7/cb")]
    [InlineData("https://172.32.0.1/cb")]
    [InlineData("https://[2001:db8::1]/cb")]
    public void Public_https_urls_pass(string url) => Assert.Null(CallbackUrlRule.Check(url));

    [Theory]
    [InlineData("http://hooks.example.com/seedream", "https")]
    [InlineData("ftp://hooks.example.com/seedream", "https")]
    [InlineData("hooks.example.com/seedream", "absolute")]
    [InlineData("https://127.0.0.1/cb", "loopback")]
    [InlineData("https://127.8.9.10/cb", "loopback")]
    [InlineData("https://localhost/cb", "localhost")]
    [InlineData("https://LOCALHOST./cb", "localhost")]
    [InlineData("https://api.localhost/cb", "localhost")]
    [InlineData("https://10.1.2.3/cb", "private")]
    [InlineData("https://172.16.0.1/cb", "private")]
    [InlineData("https://172.31.255.255/cb", "private")]
    [InlineData("https://192.168.1.1/cb", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("https://0.0.0.0/cb", "unspecified")]
    [InlineData("https://2130706433/cb", "loopback")]
    [InlineData("https://0x7f000001/cb", "loopback")]
    [InlineData("https://0177.0.0.1/cb", "loopback")]
    [InlineData("https://0x0a.1.1.1/cb", "private")]
    [InlineData("https://[::1]/cb", "loopback")]
    [InlineData("https://[::]/cb", "unspecified")]
    [InlineData("https://[fc00::1]/cb", "private")]
    [InlineData("https://[fd12:3456::1]/cb", "private")]
    [InlineData("https://[fe80::1]/cb", "link-local")]
    [InlineData("https://[::ffff:127.0.0.1]/cb", "loopback")]
    [InlineData("https://[::ffff:10.0.0.1]/cb", "private")]
    public void Internal_or_insecure_urls_fail(string url, string reason)
    {
        string rule = CallbackUrlRule.Check(url);
        Assert.NotNull(rule);
        Assert.Contains(reason, rule);
    }

    [Fact]
    public void Length_is_at_most_2048()
    {
        string prefix = "https://hooks.example.com/";
        Assert.Null(CallbackUrlRule.Check(prefix + new string('a', ModelCatalog.MaxCallbackUrlLength - prefix.Length)));
        Assert.Contains("2048", CallbackUrlRule.Check(prefix + new string('a', ModelCatalog.MaxCallbackUrlLength - prefix.Length + 1)));
    }

    [Fact]
    public void Validator_names_the_callback_parameter()
    {
        var request = new SeedreamRequest { Prompt = "p", CallbackUrl = "http://example.com/cb" };
        var e = Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(request, SeedreamGateway.EvoLink));
        Assert.Equal("CallbackUri", e.ParamName);
        Assert.StartsWith("CallbackUri 'http://example.com/cb' must use https", e.Message);
    }

    [Fact]
    public void LinkModel_takes_no_callback()
    {
        var request = new SeedreamRequest { Prompt = "p", CallbackUrl = "https://example.com/cb" };
        var e = Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(request, SeedreamGateway.LinkModel));
        Assert.Contains("not supported by LinkModel", e.Message);
    }
}
