using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>What tab completion offers, from the catalogue; and that the version words it offers are models.</summary>
public class CompletionTests
{
    [Fact]
    public void Models_come_with_the_version_words_every_gateway_takes()
    {
        var evo = Completion.Models(SeedreamGateway.EvoLink, "").ToList();
        Assert.Contains("doubao-seedream-4.5", evo);
        foreach (var word in new[] { "4", "4.0", "4.5", "5.0" }) Assert.Contains(word, evo);
        Assert.Equal(new[] { "4.0", "4.5" }, Completion.Models(SeedreamGateway.EvoLink, "4."));
        Assert.Equal("doubao-seedream-4.0", ModelCatalog.Find(SeedreamGateway.EvoLink, "4")!.Id);
        Assert.Equal("doubao-seedream-5.0-lite", ModelCatalog.Find(SeedreamGateway.EvoLink, "5")!.Id);
    }

    [Fact]
    public void Quality_and_prompt_priority_follow_the_model_given()
    {
        Assert.Equal(new[] { "2K", "4K" }, Completion.Qualities(SeedreamGateway.EvoLink, "4.5", ""));
        Assert.Equal(ModelCatalog.AllQualities, Completion.Qualities(SeedreamGateway.EvoLink, null, ""));
        Assert.Equal(new[] { "standard", "fast" }, Completion.PromptPriorities(SeedreamGateway.EvoLink, "4.0", ""));
        Assert.Equal(new[] { "standard" }, Completion.PromptPriorities(SeedreamGateway.EvoLink, "4.5", ""));
        Assert.Equal(new[] { "fast" }, Completion.PromptPriorities(SeedreamGateway.EvoLink, null, "f"));
    }

    [Fact]
    public void FileName_offers_quoted_templates_and_the_tokens_inside_one()
    {
        Assert.Contains("'{Id}-{Index}{Ext}'", Completion.FileNameTemplates(""));
        Assert.Equal(new[] { "'{Name}-{Index}'" }, Completion.FileNameTemplates("'{Name}-{In"));
        Assert.Equal(new[] { "'{Name}-{Number}'" }, Completion.FileNameTemplates("{Name}-{Nu"));
        Assert.Contains("'{Campaign}'", Completion.FileNameTemplates("{Ca", new[] { "Campaign" }));
    }

    [Fact]
    public void A_retry_policy_reads_as_its_values()
    {
        Assert.Equal("3 retries, 1 s to 30 s apart", new RetryPolicy().ToString());
    }
}
