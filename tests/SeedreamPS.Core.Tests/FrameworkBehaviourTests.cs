using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Platform;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>What .NET Framework (Windows PowerShell 5.1) does differently, made to happen here: handlers and streams that
/// fail and stall as its HttpWebRequest-based stack does, a file another program holds open, assembly-resolve requests
/// from strangers.</summary>
public class FrameworkBehaviourTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public FrameworkBehaviourTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    // ---- TLS ----------------------------------------------------------------------------------------------------------

    [Fact]
    public void On_NET_Framework_TLS_1_2_and_1_3_are_added_to_what_the_user_enabled_and_nothing_is_taken_away()
    {
#pragma warning disable CS0618, SYSLIB0039 // the old protocols are what such machines offer
        var old = SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls;
        var result = TlsPolicy.Required(old, netFramework: true, tls13Available: true);
        Assert.True(result.HasFlag(SecurityProtocolType.Tls12));
        Assert.True(result.HasFlag(TlsPolicy.Tls13));
        Assert.True(result.HasFlag(SecurityProtocolType.Ssl3) && result.HasFlag(SecurityProtocolType.Tls));
        Assert.Equal(old | SecurityProtocolType.Tls12, TlsPolicy.Required(old, netFramework: true, tls13Available: false));
        // The OS's own choice, and .NET (PowerShell 7), are left alone.
        Assert.Equal(SecurityProtocolType.SystemDefault, TlsPolicy.Required(SecurityProtocolType.SystemDefault, netFramework: true, tls13Available: true));
        Assert.Equal(SecurityProtocolType.Tls, TlsPolicy.Required(SecurityProtocolType.Tls, netFramework: false, tls13Available: true));
#pragma warning restore CS0618, SYSLIB0039
        Assert.False(TlsPolicy.IsNetFramework);
    }

    // ---- Not sent ------------------------------------------------------------------------------------------------------

    public static IEnumerable<object[]> NotSent() => new[]
    {
        new object[] { new HttpRequestException("handshake", new AuthenticationException("The remote certificate is invalid")) },
        new object[] { new HttpRequestException("x", new WebException("Could not create SSL/TLS secure channel.", WebExceptionStatus.SecureChannelFailure)) },
        new object[] { new HttpRequestException("x", new WebException("trust", WebExceptionStatus.TrustFailure)) },
        new object[] { new HttpRequestException("x", new WebException("dns", WebExceptionStatus.NameResolutionFailure)) },
        new object[] { new HttpRequestException("x", new WebException("proxy dns", WebExceptionStatus.ProxyNameResolutionFailure)) },
        new object[] { new HttpRequestException("x", new WebException("refused", WebExceptionStatus.ConnectFailure)) },
        new object[] { new HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound)) },
    };

    [Theory]
    [MemberData(nameof(NotSent))]
    public void Handshake_name_and_connect_failures_mean_nothing_reached_the_gateway(Exception failure) =>
        Assert.True(HttpTransport.IsConnectFailure(failure));

    [Fact]
    public void A_connection_lost_after_sending_may_have_reached_it()
    {
        Assert.False(HttpTransport.IsConnectFailure(new HttpRequestException("x", new IOException("reset by peer"))));
        Assert.False(HttpTransport.IsConnectFailure(new HttpRequestException("x", new WebException("receive", WebExceptionStatus.ReceiveFailure))));
    }

    /// <summary>Fails the first <c>failures</c> requests with <c>failure</c>, then passes requests to the simulator.</summary>
    private sealed class FailingHandler : DelegatingHandler
    {
        private readonly Func<Exception> _failure;
        private int _failures;

        public FailingHandler(int failures, Func<Exception> failure) : base(new HttpClientHandler { AllowAutoRedirect = false })
        {
            _failures = failures;
            _failure = failure;
        }

        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            if (Interlocked.Decrement(ref _failures) >= 0) throw _failure();
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task A_create_whose_TLS_handshake_failed_is_not_held_as_unknown_and_is_retried()
    {
        var handler = new FailingHandler(1, () => new HttpRequestException("An error occurred while sending the request.",
            new WebException("The request was aborted: Could not create SSL/TLS secure channel.", WebExceptionStatus.SecureChannelFailure)));
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 2, configure: c => c.Handler = handler);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        Assert.NotNull(task.Id);
        Assert.Equal(2, handler.Calls);
        Assert.Equal(1, _sim.Host.State.TaskCount);

        var always = _sim.Client(SeedreamGateway.EvoLink, retries: 0, configure: c => c.Handler = new FailingHandler(10, () => new HttpRequestException("x", new AuthenticationException("handshake failed"))));
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => always.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.False(e.OutcomeUnknown);
        Assert.StartsWith("Could not connect", e.Message);
    }

    // ---- Stalled and broken bodies ---------------------------------------------------------------------------------------

    /// <summary>A response body as HttpWebRequest gives it: after its first bytes it stops, and a read in progress ignores
    /// its cancellation token; only disposing the stream ends it.</summary>
    private sealed class StallingStream : Stream
    {
        private readonly byte[] _head;
        private readonly TaskCompletionSource<int> _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _sent;

        public StallingStream(byte[] head) => _head = head;

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (!_sent)
            {
                _sent = true;
                int n = Math.Min(count, _head.Length);
                Array.Copy(_head, 0, buffer, offset, n);
                return n;
            }
            await _disposed.Task; // the token is ignored, as .NET Framework's stream does once a read has started
            throw new ObjectDisposedException(nameof(StallingStream));
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult(0);
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Answers every GET with a body from <c>body</c>.</summary>
    private sealed class BodyHandler : HttpMessageHandler
    {
        private readonly Func<int, Stream> _body;
        public int Calls;

        public BodyHandler(Func<int, Stream> body) => _body = body;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int call = Interlocked.Increment(ref Calls);
            var content = new StreamContent(_body(call));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    private static SeedreamPS.Core.Client.SeedreamClient ClientWith(HttpMessageHandler handler, TimeSpan timeout, int retries) =>
        new(new SeedreamConnection(SeedreamGateway.EvoLink, new SeedreamApiKey("k"), new Uri("https://api.example.com/"))
        {
            Handler = handler,
            Timeout = timeout,
            Retry = new RetryPolicy { MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) },
        });

    private static readonly byte[] PngHead = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52 };

    [Fact]
    public async Task A_body_that_stalls_ends_when_the_idle_timeout_fires_even_where_reads_ignore_their_token()
    {
        using var folder = new TempFolder();
        var client = ClientWith(new BodyHandler(_ => new StallingStream(PngHead)), TimeSpan.FromMilliseconds(500), retries: 0);
        var image = new SeedreamImage("t", 0, new Uri("https://cdn.example.com/a.png"), null);
        var download = client.DownloadAsync(image, folder.File("a.png"));
        // A hang would never finish; the bound is generous, the point is that it ends at all.
        Assert.Same(download, await Task.WhenAny(download, Task.Delay(TimeSpan.FromSeconds(30))));
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => download);
        Assert.True(e.IsRetryable);
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task A_WebException_mid_body_is_mapped_and_retried_like_a_reset()
    {
        using var folder = new TempFolder();
        var sim = _sim.Client(SeedreamGateway.EvoLink);
        var task = await sim.WaitAsync(await sim.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1280x720" }), TimeSpan.FromSeconds(10));
        byte[] png;
        using (var http = new HttpClient()) png = await http.GetByteArrayAsync(task.Images[0].Url);
        var handler = new BodyHandler(call => call == 1
            ? new BreakingStream(png, new IOException("Unable to read data from the transport connection.", new WebException("The connection was closed unexpectedly.", WebExceptionStatus.ConnectionClosed)))
            : new MemoryStream(png));
        var client = ClientWith(handler, TimeSpan.FromSeconds(5), retries: 2);
        var result = await client.DownloadAsync(new SeedreamImage("t", 0, new Uri("https://cdn.example.com/a.png"), null), folder.File("a.png"));
        Assert.Equal(png.Length, result.Length);
        Assert.Equal(2, handler.Calls);

        var raw = new BodyHandler(_ => new BreakingStream(png, new WebException("reset", WebExceptionStatus.ReceiveFailure)));
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => ClientWith(raw, TimeSpan.FromSeconds(5), retries: 1)
            .DownloadAsync(new SeedreamImage("t", 0, new Uri("https://cdn.example.com/b.png"), null), folder.File("b.png")));
        Assert.True(e.IsRetryable);
        Assert.Equal(2, raw.Calls);
        Assert.Equal(new[] { "a.png" }, folder.Entries());
    }

    /// <summary>Gives the first half of a body, then throws.</summary>
    private sealed class BreakingStream : MemoryStream
    {
        private readonly Exception _failure;
        private readonly int _half;

        public BreakingStream(byte[] body, Exception failure) : base(body)
        {
            _failure = failure;
            _half = body.Length / 2;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= _half) throw _failure;
            return base.Read(buffer, offset, (int)Math.Min(count, _half - Position));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var array = new byte[buffer.Length];
            int n = Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }
    }

    // ---- Connections per host -------------------------------------------------------------------------------------------

    [Fact]
    public void A_handler_that_cannot_take_the_connection_limit_falls_back_whichever_exception_it_throws()
    {
        Assert.True(HttpClientCache.TrySetMaxConnections(() => { }));
        Assert.False(HttpClientCache.TrySetMaxConnections(() => throw new PlatformNotSupportedException()));
        Assert.False(HttpClientCache.TrySetMaxConnections(() => throw new NotImplementedException()));
        Assert.Throws<InvalidOperationException>(() => HttpClientCache.TrySetMaxConnections(() => throw new InvalidOperationException()));
    }

    // ---- A file another program holds open -----------------------------------------------------------------------------

    [Fact]
    public async Task Replacing_a_file_held_open_is_tried_again_briefly_then_named_in_a_clear_error_with_no_temporary_left()
    {
        var sim = _sim.Client(SeedreamGateway.EvoLink);
        var task = await sim.WaitAsync(await sim.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1280x720" }), TimeSpan.FromSeconds(10));
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a.png"), "the old image, open in a viewer");

        // Held for a moment (as antivirus does): the second try succeeds.
        int tries = 0;
        var briefly = new DownloadOptions
        {
            Overwrite = true,
            ReplaceFile = (temp, target) =>
            {
                if (++tries < 3) throw new IOException("The process cannot access the file because it is being used by another process.");
                File.Replace(temp, target, null);
            },
        };
        await sim.DownloadAsync(task.Images[0], folder.File("a.png"), briefly);
        Assert.Equal(3, tries);
        Assert.Equal((1280, 720), Png.Size(folder.File("a.png")));

        // Held open for good (an image viewer): a clear error that names the file; the file is untouched, no temporary is left.
        File.WriteAllText(folder.File("a.png"), "the old image, open in a viewer");
        var held = new DownloadOptions { Overwrite = true, ReplaceFile = (_, _) => throw new UnauthorizedAccessException("Access to the path is denied.") };
        var e = await Assert.ThrowsAsync<IOException>(() => sim.DownloadAsync(task.Images[0], folder.File("a.png"), held));
        Assert.Contains(folder.File("a.png"), e.Message);
        Assert.Contains("holds it open", e.Message);
        Assert.Equal("the old image, open in a viewer", File.ReadAllText(folder.File("a.png")));
        Assert.Equal(new[] { "a.png" }, folder.Entries());
    }

    // ---- Assembly resolution -------------------------------------------------------------------------------------------

    [Fact]
    public void The_resolver_answers_only_the_module_s_own_assemblies_and_the_dependencies_they_load()
    {
        using var folder = new TempFolder();
        // A dependency the module ships (any assembly will do as the stand-in).
        var shipped = typeof(Xunit.Assert).Assembly;
        string name = shipped.GetName().Name!;
        File.Copy(shipped.Location, folder.File(name + ".dll"));
        var resolver = new DependencyResolver(folder.Path, new[] { "SeedreamPS", "SeedreamPS.Core" });
        var wanted = new System.Reflection.AssemblyName(name) { Version = shipped.GetName().Version };

        // Ours asks: served.
        Assert.NotNull(resolver.Resolve(wanted, typeof(TlsPolicy).Assembly));
        // A stranger (another module bringing its own copy), or nobody in particular: left to them.
        Assert.Null(resolver.Resolve(wanted, typeof(FactAttribute).Assembly));
        Assert.Null(resolver.Resolve(wanted, null));
        // Never an older version than asked for, and nothing we do not ship.
        Assert.Null(resolver.Resolve(new System.Reflection.AssemblyName(name) { Version = new Version(99, 0) }, typeof(TlsPolicy).Assembly));
        Assert.Null(resolver.Resolve(new System.Reflection.AssemblyName("System.Text.Json"), typeof(TlsPolicy).Assembly));
        Assert.True(resolver.IsOurs(typeof(TlsPolicy).Assembly));
        Assert.False(resolver.IsOurs(typeof(FactAttribute).Assembly));
    }
}
