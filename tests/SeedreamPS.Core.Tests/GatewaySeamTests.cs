using System.Text.Json;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Session;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>What a gateway is lives in its adapter, the adapter registry and the catalogue, so a new gateway, model or
/// region is an edit there and nowhere else.</summary>
public class GatewaySeamTests
{
    // Files that may name a gateway: its adapter (its file, and the parts of a partial adapter, Adapter.Part.cs), the registry, the catalogue table.
    private static readonly Regex Allowed = new(@"^src/SeedreamPS\.Core/(Gateways/(EvoLink|LinkModel|ModelArk)[A-Za-z]*(\.[A-Za-z]+)?\.cs|Gateways/GatewayAdapters\.cs|Catalog/ModelCatalog\.cs)$");

    [Fact]
    public void No_file_outside_the_adapters_registry_and_catalogue_names_a_gateway()
    {
        var names = string.Join("|", Enum.GetNames(typeof(SeedreamGateway)));
        var use = new Regex(@"SeedreamGateway\.(" + names + @")\b");
        var offenders = new List<string>();
        foreach (var project in new[] { "src/SeedreamPS.Core", "src/SeedreamPS" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, project), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(Repo.Root, file).Replace('\\', '/');
                if (relative.Contains("/obj/") || relative.Contains("/bin/") || Allowed.IsMatch(relative)) continue;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    if (use.IsMatch(lines[i])) offenders.Add(relative + ":" + (i + 1) + ": " + lines[i].Trim());
                }
            }
        }
        Assert.True(offenders.Count == 0, "Gateway knowledge outside the seam:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Capabilities_follow_from_what_each_adapter_implements()
    {
        foreach (var adapter in GatewayAdapters.All)
        {
            Assert.Equal(adapter is IQueryableGatewayAdapter, adapter.Capabilities.Queryable);
            Assert.Equal(adapter is IUploadingGatewayAdapter, adapter.Capabilities.References == ReferenceTransport.Upload);
            Assert.Same(adapter, GatewayAdapters.For(adapter.Gateway));
        }
        Assert.Equal(Enum.GetValues(typeof(SeedreamGateway)).Length, GatewayAdapters.All.Count);
    }

    [Fact]
    public void Each_queryable_adapter_recognises_its_own_task_body_and_no_other()
    {
        var bodies = new Dictionary<SeedreamGateway, string>
        {
            [SeedreamGateway.EvoLink] = "{\"id\":\"task-unified-1-a\",\"object\":\"image.generation.task\",\"status\":\"completed\",\"results\":[\"https://x/a.png\"]}",
            [SeedreamGateway.LinkModel] = "{\"code\":200,\"data\":{\"task_id\":\"cb6111cf-e89f-4978-b8e3-aa59c21cceff\",\"status\":\"succeeded\"}}",
        };
        foreach (var adapter in GatewayAdapters.All.OfType<IQueryableGatewayAdapter>())
        {
            foreach (var (gateway, body) in bodies)
            {
                using var doc = JsonDocument.Parse(body);
                Assert.Equal(gateway == adapter.Gateway, adapter.IsTaskBody(doc.RootElement));
            }
            Assert.Equal(adapter.Gateway, CallbackBody.Detect(bodies[adapter.Gateway]));
        }
        Assert.Null(CallbackBody.Detect("{\"hello\":1}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("4.5")]
    [InlineData("doubao-seedream-4.5")]
    [InlineData("seedream-4-5-251128")]
    [InlineData("doubao-seedream-4-5-251128")]
    public void On_Volcengine_every_way_of_naming_a_model_goes_out_as_Volcengine_s_id(string name)
    {
        var request = new SeedreamRequest { Prompt = "p", Model = name };
        var volcengine = RequestValidator.Validate(request, SeedreamGateway.ModelArk, "cn-beijing");
        var byteplus = RequestValidator.Validate(request, SeedreamGateway.ModelArk, "ap-southeast");
        string version = name == null ? "4-0-250828" : "4-5-251128";
        Assert.Equal("doubao-seedream-" + version, volcengine.WireModel);
        Assert.Equal("seedream-" + version, byteplus.WireModel);
        Assert.Equal(byteplus.Model, volcengine.Model);
    }

    [Fact]
    public void An_endpoint_id_goes_out_as_given_in_any_region()
    {
        var request = new SeedreamRequest { Prompt = "p", Model = "ep-20251201123456-abcde@4.5" };
        Assert.Equal("ep-20251201123456-abcde", RequestValidator.Validate(request, SeedreamGateway.ModelArk, "cn-beijing").WireModel);
        Assert.Equal("ep-20251201123456-abcde", RequestValidator.Validate(request, SeedreamGateway.ModelArk, null).WireModel);
    }

    [Fact]
    public void A_region_names_the_address_and_the_ids_and_BaseUri_may_stand_in_front_of_it()
    {
        var store = new SessionStore(_ => null);
        var key = new SeedreamApiKey("k");
        var plain = store.Create(new ConnectionSettings { Gateway = SeedreamGateway.ModelArk, ApiKey = key, Region = "CN-Beijing" });
        Assert.Equal("cn-beijing", plain.Region);
        Assert.Equal("https://ark.cn-beijing.volces.com/api/v3/", plain.BaseUri.AbsoluteUri);

        var proxied = store.Create(new ConnectionSettings { Gateway = SeedreamGateway.ModelArk, ApiKey = key, Region = "cn-beijing", BaseUri = new Uri("https://ark-proxy.example.com/api/v3") });
        Assert.Equal("cn-beijing", proxied.Region);
        Assert.Equal("https://ark-proxy.example.com/api/v3/", proxied.BaseUri.AbsoluteUri);

        // An address that is a region's own says which region it is.
        var byAddress = store.Create(new ConnectionSettings { Gateway = SeedreamGateway.ModelArk, ApiKey = key, BaseUri = new Uri("https://ark.cn-beijing.volces.com/api/v3") });
        Assert.Equal("cn-beijing", byAddress.Region);

        var none = Assert.Throws<SeedreamValidationException>(() => store.Create(new ConnectionSettings { Gateway = SeedreamGateway.EvoLink, ApiKey = key, Region = "cn-beijing" }));
        Assert.Contains("EvoLink, which has one address", none.Message);
        var unknown = Assert.Throws<SeedreamValidationException>(() => store.Create(new ConnectionSettings { Gateway = SeedreamGateway.ModelArk, ApiKey = key, Region = "mars" }));
        Assert.Contains("ap-southeast", unknown.Message);
    }

    [Fact]
    public void Model_facts_are_catalogue_data()
    {
        var ark5 = ModelCatalog.Find(SeedreamGateway.ModelArk, "5.0");
        Assert.Equal(new[] { "png", "jpeg" }, ark5.OutputFormats);
        Assert.True(ark5.SupportsWebSearch);
        Assert.Equal("jpeg", ark5.DefaultOutputFormat);
        Assert.Equal("png", ModelCatalog.Find(SeedreamGateway.EvoLink, "4.0").DefaultOutputFormat);
        Assert.Equal(ChargeUnit.Credits, GatewayAdapters.For(SeedreamGateway.EvoLink).Capabilities.ChargeUnit);
        Assert.Equal(ChargeUnit.UsDollars, GatewayAdapters.For(SeedreamGateway.LinkModel).Capabilities.ChargeUnit);
        Assert.Equal(ChargeUnit.None, GatewayAdapters.For(SeedreamGateway.ModelArk).Capabilities.ChargeUnit);
        // Size completion offers what the gateway's models take: LinkModel takes no auto and no pixel sizes.
        Assert.DoesNotContain("auto", Completion.Sizes(SeedreamGateway.LinkModel, ""));
        Assert.DoesNotContain("2048x2048", Completion.Sizes(SeedreamGateway.LinkModel, ""));
        Assert.Contains("2048x2048", Completion.Sizes(SeedreamGateway.EvoLink, ""));
    }
}
