using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Session;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>A connection's settings are fixed once a client is built from it (issue 21): a client never sees its timeout,
/// retries or address change under it, and every request of a client, keyed or not, goes through one transport.</summary>
public class FrozenSettingsTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public FrozenSettingsTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    [Fact]
    public void Settings_can_change_until_a_client_is_built_and_not_after()
    {
        var connection = new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k"), _sim.Host.EvoLinkUri);
        connection.Timeout = TimeSpan.FromSeconds(7);
        connection.Retry.MaxRetries = 1;
        Assert.False(connection.IsFrozen);

        _ = new SeedreamClient(connection);

        Assert.True(connection.IsFrozen);
        var changes = new Action[]
        {
            () => connection.Timeout = TimeSpan.FromSeconds(1),
            () => connection.BaseUri = new Uri("https://elsewhere.example/"),
            () => connection.FilesBaseUri = new Uri("https://files.example/"),
            () => connection.Region = "eu-west",
            () => connection.Proxy = new Uri("http://127.0.0.1:3128"),
            () => connection.PollInterval = TimeSpan.FromSeconds(1),
            () => connection.Retry = new RetryPolicy(),
            () => connection.Retry.MaxRetries = 9,
            () => connection.Retry.BaseDelay = TimeSpan.Zero,
            () => connection.Trace = _ => { },
        };
        foreach (var change in changes)
        {
            var e = Assert.Throws<InvalidOperationException>(change);
            Assert.Contains("Connect-Seedream", e.Message);
        }
        Assert.Equal(TimeSpan.FromSeconds(7), connection.Timeout);
        Assert.Equal(1, connection.Retry.MaxRetries);
    }

    [Fact]
    public async Task A_client_keeps_the_retries_it_was_built_with()
    {
        // Two 503s: a client built with 2 retries gets through, whatever is tried on its connection afterwards.
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.query", Kind = FaultKind.Status, Status = 503, Times = 2 } });
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 2);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        Assert.Throws<InvalidOperationException>(() => client.Connection.Retry.MaxRetries = 0);
        var read = await client.GetTaskAsync(task.Id);
        Assert.Equal(task.Id, read.Id);
        Assert.Equal(3, _sim.Host.State.Count("evolink.query"));
    }

    [Fact]
    public void The_session_s_connection_is_shared_while_nothing_is_explicit_and_a_new_one_carries_a_change()
    {
        var store = new SessionStore(_ => null);
        var session = store.Create(new ConnectionSettings { Gateway = SeedreamGateway.EvoLink, ApiKey = new SeedreamApiKey("k"), BaseUri = _sim.Host.EvoLinkUri });
        store.Connect(session);
        _ = new SeedreamClient(store.Resolve(null, null));
        Assert.True(session.IsFrozen);

        var changed = store.Resolve(null, new ConnectionSettings { Timeout = TimeSpan.FromSeconds(3) });

        Assert.NotSame(session, changed);
        Assert.False(changed.IsFrozen);
        Assert.Equal(TimeSpan.FromSeconds(3), changed.Timeout);
        Assert.Equal(session.BaseUri, changed.BaseUri);
    }

    [Fact]
    public async Task A_URL_saved_alone_takes_the_session_s_retries_and_no_key()
    {
        var task = await Finished();
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "image", Kind = FaultKind.Status, Status = 503, Times = 2 } });
        var session = new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey(_sim.Host.State.Options.ApiKey), _sim.Host.EvoLinkUri)
        {
            Retry = new RetryPolicy { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(20) },
        };
        var set = new ClientSet(_ => throw new InvalidOperationException("no gateway is asked"), transport: session);
        using var folder = new TempFolder();
        var image = new SeedreamImage("url", 0, task.Images[0].Url, null);

        await set.Keyless.DownloadAsync(image, folder.File("alone.png"));

        Assert.True(File.Exists(folder.File("alone.png")));
        Assert.True(session.IsFrozen);
        Assert.Equal(0, _sim.Host.State.Count("image.authorized"));
    }

    private async Task<SeedreamTask> Finished()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1280x720" });
        await client.WaitAsync(task, TimeSpan.FromSeconds(10));
        return task;
    }
}
