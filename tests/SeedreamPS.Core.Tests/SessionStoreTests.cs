using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Session;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Where a call's connection comes from: parameters, then Connect-Seedream, then environment variables.</summary>
public class SessionStoreTests
{
    private static SessionStore Store(params (string Name, string Value)[] environment)
    {
        var values = environment.ToDictionary(e => e.Name, e => e.Value);
        return new SessionStore(name => values.TryGetValue(name, out var v) ? v : null);
    }

    [Fact]
    public void Environment_key_is_enough_for_EvoLink()
    {
        var connection = Store(("SEEDREAM_API_KEY", "env-key-123")).Resolve(null, null);
        Assert.Equal(SeedreamGateway.EvoLink, connection.Gateway);
        Assert.Equal(new Uri("https://api.evolink.ai/"), connection.BaseUri);
        Assert.Equal("***", connection.ApiKey.ToString());
    }

    [Fact]
    public void Environment_gateway_and_base_uri_apply()
    {
        var connection = Store(("SEEDREAM_API_KEY", "k"), ("SEEDREAM_GATEWAY", "linkmodel"), ("SEEDREAM_BASE_URI", "http://127.0.0.1:5000/linkmodel/api/v1")).Resolve(null, null);
        Assert.Equal(SeedreamGateway.LinkModel, connection.Gateway);
        Assert.Equal("http://127.0.0.1:5000/linkmodel/api/v1/", connection.BaseUri.AbsoluteUri);
    }

    [Fact]
    public void A_missing_key_names_all_three_ways_to_give_one()
    {
        var e = Assert.Throws<SeedreamException>(() => Store().Resolve(null, null));
        Assert.Equal(ErrorIds.NotConnected, e.ErrorId);
        Assert.Equal("No API key for EvoLink. Give one with -ApiKey, run Connect-Seedream -Gateway EvoLink -ApiKey (Read-Host -AsSecureString), or set the SEEDREAM_API_KEY environment variable.", e.Message);
        var link = Assert.Throws<SeedreamException>(() => Store().Resolve(SeedreamGateway.LinkModel, null));
        Assert.Contains("SEEDREAM_GATEWAY=LinkModel", link.Message);
    }

    [Fact]
    public void The_environment_key_belongs_to_the_environment_gateway_only()
    {
        var store = Store(("SEEDREAM_API_KEY", "k"), ("SEEDREAM_GATEWAY", "EvoLink"));
        Assert.Throws<SeedreamException>(() => store.Resolve(SeedreamGateway.LinkModel, null));
    }

    [Fact]
    public void An_unknown_environment_gateway_is_an_error()
    {
        var e = Assert.Throws<SeedreamException>(() => Store(("SEEDREAM_API_KEY", "k"), ("SEEDREAM_GATEWAY", "Midjourney")).Resolve(null, null));
        Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
        Assert.Contains("'Midjourney', which is not a gateway; use EvoLink, LinkModel or ModelArk", e.Message);
    }

    [Fact]
    public void Session_connection_wins_over_environment_and_parameters_win_over_both()
    {
        var store = Store(("SEEDREAM_API_KEY", "env"));
        var session = new SeedreamConnection(SeedreamGateway.LinkModel, new SeedreamApiKey("session"), new Uri("http://127.0.0.1:1/lm/")) { Timeout = TimeSpan.FromSeconds(7) };
        store.Connect(session);
        Assert.Same(session, store.Resolve(null, null));
        Assert.Equal(SeedreamGateway.LinkModel, store.DefaultGateway);

        var overridden = store.Resolve(null, new ConnectionSettings { BaseUri = new Uri("http://127.0.0.1:2/other/") });
        Assert.Equal("http://127.0.0.1:2/other/", overridden.BaseUri.AbsoluteUri);
        Assert.Equal(TimeSpan.FromSeconds(7), overridden.Timeout);
        Assert.Same(session.ApiKey, overridden.ApiKey);

        // EvoLink is not connected, so its key still comes from the environment.
        Assert.Equal(SeedreamGateway.EvoLink, store.Resolve(SeedreamGateway.EvoLink, null).Gateway);
        store.Disconnect(SeedreamGateway.LinkModel);
        Assert.Null(store.DefaultGateway);
    }

    [Fact]
    public void A_task_on_one_gateway_with_another_named_is_an_error()
    {
        var e = Assert.Throws<SeedreamException>(() => Store(("SEEDREAM_API_KEY", "k")).Resolve(SeedreamGateway.EvoLink, new ConnectionSettings { Gateway = SeedreamGateway.LinkModel }));
        Assert.Contains("The task is on EvoLink, but -Gateway says LinkModel", e.Message);
    }

    [Theory]
    [InlineData("http://api.example.com/")]
    [InlineData("http://10.0.0.5/")]
    [InlineData("ftp://127.0.0.1/")]
    public void Plain_http_base_uris_are_refused_unless_loopback(string uri)
    {
        var e = Assert.Throws<SeedreamPS.Core.Requests.SeedreamValidationException>(() => Store().Create(new ConnectionSettings { ApiKey = new SeedreamApiKey("k"), BaseUri = new Uri(uri) }));
        Assert.Contains("must use https://", e.Message);
        Assert.Equal("InvalidParameter.BaseUri", e.ErrorId);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/evolink")]
    [InlineData("http://localhost:5000/evolink")]
    [InlineData("http://[::1]:5000/evolink")]
    [InlineData("https://api.evolink.ai")]
    public void Https_and_loopback_http_base_uris_are_accepted(string uri) =>
        Assert.NotNull(Store().Create(new ConnectionSettings { ApiKey = new SeedreamApiKey("k"), BaseUri = new Uri(uri) }));

    [Fact]
    public void Connect_settings_carry_timeout_retries_and_poll_interval()
    {
        var connection = Store().Create(new ConnectionSettings
        {
            Gateway = SeedreamGateway.LinkModel, ApiKey = new SeedreamApiKey("k"), Timeout = TimeSpan.FromSeconds(30), MaxRetryCount = 5, PollInterval = TimeSpan.FromSeconds(2),
        });
        Assert.Equal(TimeSpan.FromSeconds(30), connection.Timeout);
        Assert.Equal(5, connection.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), new Client.SeedreamClient(connection).PollSchedule.NextDelay(TimeSpan.Zero, null));
    }

    [Fact]
    public void The_key_never_shows()
    {
        var key = new SeedreamApiKey("super-secret-value-123");
        Assert.Equal("***", key.ToString());
        Assert.Equal("(22 characters)", key.Hint);
        Assert.Equal("token *** rejected", key.Redact("token super-secret-value-123 rejected"));
        var connection = new SeedreamConnection(SeedreamGateway.EvoLink, key);
        Assert.DoesNotContain("super-secret", connection.ToString());
        Assert.DoesNotContain("super-secret", System.Text.Json.JsonSerializer.Serialize(connection.ApiKey));
    }
}
