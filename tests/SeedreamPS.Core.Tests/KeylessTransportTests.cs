using System.Net;
using System.Net.Sockets;
using System.Text;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>A URL saved alone belongs to no gateway and carries no key, but takes the session's transport: its proxy,
/// timeout and retries.</summary>
public class KeylessTransportTests
{
    [Fact]
    public async Task A_URL_saved_without_a_task_goes_through_the_session_s_proxy()
    {
        // A stand-in proxy on loopback: it reads the request line it is sent (absolute-form, as to a proxy) and closes.
        var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        var port = ((IPEndPoint)proxy.LocalEndpoint).Port;
        var requestLine = Task.Run(async () =>
        {
            using var client = await proxy.AcceptTcpClientAsync();
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            return await reader.ReadLineAsync();
        });
        var session = new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k"))
        {
            Proxy = new Uri("http://127.0.0.1:" + port),
            Retry = new RetryPolicy { MaxRetries = 0 },
            Timeout = TimeSpan.FromSeconds(5),
        };
        var set = new ClientSet(_ => throw new InvalidOperationException("no gateway is asked"), transport: session);
        using var folder = new TempFolder();
        var image = new SeedreamImage("url", 0, new Uri("http://127.0.0.1:9/result/abc.png"), null);
        await Assert.ThrowsAnyAsync<Exception>(() => set.Keyless.DownloadAsync(image, folder.File("abc.png")));
        Assert.Equal("GET http://127.0.0.1:9/result/abc.png HTTP/1.1", await requestLine.WaitAsync(TimeSpan.FromSeconds(10)));
        proxy.Stop();
        Assert.False(File.Exists(folder.File("abc.png")));
    }
}
