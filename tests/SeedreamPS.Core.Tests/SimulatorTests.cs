using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The simulator itself: its command line, its documented validation, callbacks, files API and control door.</summary>
public class SimulatorTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;
    private readonly HttpClient _http = new();

    public SimulatorTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sim.Host.State.Options.ApiKey);
    }

    private async Task<(int Status, JsonElement Body)> Post(string path, string json)
    {
        var response = await _http.PostAsync(new Uri(_sim.Host.BaseUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Command_line_prints_the_bound_url_first()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "SeedreamPS.Simulator.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:0 --latency-ms 0")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            var firstLine = process.StandardOutput.ReadLineAsync();
            Assert.True(await Task.WhenAny(firstLine, Task.Delay(TimeSpan.FromSeconds(60))) == firstLine, "no URL printed");
            var url = new Uri(await firstLine);
            Assert.Equal("127.0.0.1", url.Host);
            Assert.NotEqual(0, url.Port);
            var response = await _http.PostAsync(new Uri(url, "evolink/v1/images/generations"), new StringContent("{\"prompt\":\"p\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Command_line_refuses_a_non_loopback_address()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "SeedreamPS.Simulator.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://0.0.0.0:0") { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("loopback only", error);
    }

    [Theory]
    [InlineData("{\"model\":\"doubao-seedream-9\",\"prompt\":\"p\"}", "model")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"\"}", "prompt")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"n\":16}", "n")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"n\":0}", "n")]
    [InlineData("{\"model\":\"doubao-seedream-4.5\",\"prompt\":\"p\",\"quality\":\"1K\"}", "quality")]
    [InlineData("{\"model\":\"doubao-seedream-5.0-lite\",\"prompt\":\"p\",\"quality\":\"1K\"}", "quality")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"size\":\"1:20\"}", "size")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"size\":\"100x100\"}", "size")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"size\":\"5000x5000\"}", "size")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"size\":\"4113x257\"}", "size")]
    [InlineData("{\"model\":\"doubao-seedream-4.5\",\"prompt\":\"p\",\"prompt_priority\":\"fast\"}", "prompt_priority")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"callback_url\":\"http://example.com/cb\"}", "callback_url")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"callback_url\":\"https://10.0.0.1/cb\"}", "callback_url")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"callback_url\":\"https://127.0.0.1/cb\"}", "callback_url")]
    [InlineData("{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"image_urls\":[\"a\",\"b\"]}", "image_urls")]
    public async Task EvoLink_documented_rules_are_400s_in_its_shape(string json, string param)
    {
        // Today's body: a string code, no param.
        var (status, body) = await Post("evolink/v1/images/generations", json);
        Assert.Equal(400, status);
        Assert.Equal(("invalid_request", "invalid_request_error"), (body.GetProperty("error").GetProperty("code").GetString(), body.GetProperty("error").GetProperty("type").GetString()));
        Assert.False(body.GetProperty("error").TryGetProperty("param", out _));
        // The older body named the field.
        _sim.Host.State.Options.EvoLinkLegacyErrors = true;
        (status, body) = await Post("evolink/v1/images/generations", json);
        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(param, body.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, _sim.Host.State.TaskCount);
    }

    [Theory]
    [InlineData("{\"model\":\"seedream-5.0\",\"prompt\":\"p\"}", "model")]
    [InlineData("{\"model\":\"seedream-4.0\",\"prompt\":\"\"}", "prompt")]
    [InlineData("{\"model\":\"seedream-4.0\",\"prompt\":\"p\",\"size\":\"16:9\"}", "size")]
    [InlineData("{\"model\":\"seedream-4.0\",\"prompt\":\"p\",\"quality\":\"3K\"}", "quality")]
    [InlineData("{\"model\":\"seedream-4.0\",\"prompt\":\"p\",\"max_images\":16}", "max_images")]
    [InlineData("{\"model\":\"seedream-4.0\",\"prompt\":\"p\",\"images\":[\"https://e.com/1\",\"https://e.com/2\",\"https://e.com/3\",\"https://e.com/4\",\"https://e.com/5\",\"https://e.com/6\",\"https://e.com/7\",\"https://e.com/8\",\"https://e.com/9\",\"https://e.com/10\",\"https://e.com/11\"]}", "images")]
    public async Task LinkModel_documented_rules_are_400s_in_its_shape(string json, string field)
    {
        var (status, body) = await Post("linkmodel/api/v1/image-generation", json);
        Assert.Equal(400, status);
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.StartsWith(field + ":", body.GetProperty("msg").GetString());
        Assert.True(body.TryGetProperty("request_id", out _));
    }

    [Fact]
    public async Task LinkModel_query_without_task_id_is_the_documented_400()
    {
        var response = await _http.GetAsync(new Uri(_sim.Host.LinkModelUri, "query/image-generation"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("task_id is required", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Callbacks_are_posted_with_the_documented_retries()
    {
        _sim.Host.State.Options.AllowLoopbackCallbacks = true;
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromMilliseconds(100);
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var received = new List<(DateTime At, string Body)>();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/cb/");
        receiver.Start();
        var serving = Task.Run(async () =>
        {
            for (int i = 0; i < 3; i++)
            {
                var context = await receiver.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream);
                received.Add((DateTime.UtcNow, await reader.ReadToEndAsync()));
                context.Response.StatusCode = i < 2 ? 500 : 204; // fail twice, then accept
                context.Response.Close();
            }
        });

        var (status, created) = await Post("evolink/v1/images/generations", $"{{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"callback_url\":\"http://127.0.0.1:{port}/cb/done\"}}");
        Assert.Equal(200, status);
        Assert.True(await Task.WhenAny(serving, Task.Delay(TimeSpan.FromSeconds(30))) == serving, "callbacks did not arrive");
        Assert.Equal(3, received.Count);
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromMilliseconds(900), "first retry came before 1 s");
        Assert.True(received[2].At - received[1].At >= TimeSpan.FromMilliseconds(1900), "second retry came before 2 s");
        var task = Gateways.CallbackBody.Parse(received[2].Body);
        Assert.Equal(created.GetProperty("id").GetString(), task.Id);
        Assert.Equal(SeedreamTaskStatus.Succeeded, task.Status);
        Assert.Single(task.Images);
        // The simulator records an attempt once it has read the answer, a moment after the receiver sent it.
        for (int i = 0; i < 100 && _sim.Host.State.CallbackAttempts.Count < 3; i++) await Task.Delay(50);
        Assert.Equal(new int?[] { 500, 500, 204 }, _sim.Host.State.CallbackAttempts.Select(a => a.Status));
    }

    [Fact]
    public async Task Loopback_callbacks_are_refused_outside_test_mode()
    {
        var (status, body) = await Post("evolink/v1/images/generations", "{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"callback_url\":\"http://127.0.0.1:9/cb\"}");
        Assert.Equal(400, status);
        Assert.Contains("callback_url", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Files_api_accepts_an_image_and_serves_it_back()
    {
        byte[] png = await _http.GetByteArrayAsync(await FinishedImageUrl());
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(png), "file", "logo.png");
        form.Add(new StringContent("brand"), "upload_path");
        var response = await _http.PostAsync(new Uri(_sim.Host.FilesUri, "api/v1/files/upload/stream"), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal("image/png", data.GetProperty("mime_type").GetString());
        Assert.Equal(png.Length, data.GetProperty("file_size").GetInt32());
        Assert.Equal(png, await _http.GetByteArrayAsync(data.GetProperty("file_url").GetString()));
    }

    [Fact]
    public async Task Files_api_refuses_what_is_not_an_image()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("hello")), "file", "notes.txt");
        var response = await _http.PostAsync(new Uri(_sim.Host.FilesUri, "api/v1/files/upload/stream"), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_tampered_image_url_is_refused()
    {
        string url = await FinishedImageUrl();
        var response = await _http.GetAsync(url.Replace("sig=", "sig=0"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Control_endpoints_inject_faults_and_count_requests()
    {
        using var control = new HttpClient();
        var faults = "[{\"target\":\"evolink.create\",\"kind\":\"Status\",\"status\":503,\"times\":1}]";
        Assert.Equal(HttpStatusCode.NoContent, (await control.PostAsync(new Uri(_sim.Host.BaseUri, "_sim/faults"), new StringContent(faults, Encoding.UTF8, "application/json"))).StatusCode);
        var (first, _) = await Post("evolink/v1/images/generations", "{\"prompt\":\"p\"}");
        var (second, _) = await Post("evolink/v1/images/generations", "{\"prompt\":\"p\"}");
        Assert.Equal((503, 200), (first, second));
        var counters = JsonDocument.Parse(await control.GetStringAsync(new Uri(_sim.Host.BaseUri, "_sim/counters"))).RootElement;
        Assert.Equal(2, counters.GetProperty("evolink.create").GetInt32());
    }

    private async Task<string> FinishedImageUrl()
    {
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
        var (_, created) = await Post("evolink/v1/images/generations", "{\"model\":\"doubao-seedream-4.0\",\"prompt\":\"p\",\"size\":\"1280x720\"}");
        var body = JsonDocument.Parse(await _http.GetStringAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/" + created.GetProperty("id").GetString()))).RootElement;
        return body.GetProperty("results")[0].GetString();
    }
}
