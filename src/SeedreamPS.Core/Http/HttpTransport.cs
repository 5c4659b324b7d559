using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Http
{
    /// <summary>Sends requests: timeouts, redirects checked hop by hop, transport failures mapped to
    /// <see cref="SeedreamApiException"/>, and retries with backoff that never risk paying twice. It holds no key and adds
    /// no header: a download goes through it as it is, and an API request through <see cref="ApiPipeline"/>, which adds
    /// authentication and reads the gateway's errors. Its settings are read once, from a connection that is then frozen.</summary>
    internal sealed class HttpTransport
    {
        private const int MaxRedirects = 5;
        private readonly HttpClient _http;
        private readonly HostNames _hosts;
        private readonly Func<string, string> _redact;
        private readonly Action<string> _trace;

        private HttpTransport(HttpClient http, TimeSpan timeout, RetryPolicy retry, HostNames hosts, Func<string, string> redact, Action<string> trace)
        {
            _http = http;
            Timeout = timeout;
            Retry = retry ?? new RetryPolicy { MaxRetries = 0 };
            Retry.Freeze();
            _hosts = hosts;
            _redact = redact;
            _trace = trace;
        }

        /// <summary>The transport of <paramref name="connection"/>'s gateway: its timeout, retries, proxy, and errors that
        /// name its hosts. Freezes the connection, so what this transport read stays what the connection says.</summary>
        public static HttpTransport For(SeedreamConnection connection, Action<string> trace = null) =>
            FromConnection(connection, new HostNames(connection), trace);

        /// <summary>A transport of no gateway (result URLs need no key) with <paramref name="settings"/>' timeout, retries
        /// and proxy: a URL saved alone behaves as the session's connection says. Freezes the connection.</summary>
        public static HttpTransport ForDownloadsLike(SeedreamConnection settings, Action<string> trace = null) =>
            FromConnection(settings, HostNames.ImageHostsOnly, trace);

        private static HttpTransport FromConnection(SeedreamConnection connection, HostNames hosts, Action<string> trace)
        {
            connection.Freeze();
            var http = connection.Handler != null
                ? new HttpClient(connection.Handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan }
                : HttpClientCache.For(connection.Proxy);
            return new HttpTransport(http, connection.Timeout, connection.Retry, hosts, connection.ApiKey.Redact, trace ?? connection.Trace);
        }

        /// <summary>A transport of no gateway with settings of its own.</summary>
        public static HttpTransport ForDownloads(TimeSpan timeout, RetryPolicy retry, Uri proxy = null, Action<string> trace = null) =>
            new HttpTransport(HttpClientCache.For(proxy), timeout, retry, HostNames.ImageHostsOnly, text => text, trace);

        /// <summary>The gateway whose hosts this transport talks to; null for one of no gateway.</summary>
        public SeedreamGateway? Gateway => _hosts.Gateway;

        /// <summary>How long one request (a download: one silence between chunks) may take.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The retries every request through this transport gets (frozen).</summary>
        public RetryPolicy Retry { get; }

        /// <summary>Runs <paramref name="once"/> until it succeeds, fails for good, or the retries run out.</summary>
        public async Task<T> ExecuteWithRetryAsync<T>(Func<CancellationToken, Task<T>> once, RequestKind kind, CancellationToken cancellation)
        {
            var policy = Retry;
            // A create is not sent (nor sent again) once the command that wanted it has stopped.
            var stopped = kind == RequestKind.Create ? SendGate.Current : CancellationToken.None;
            for (int attempt = 1; ; attempt++)
            {
                if (stopped.IsCancellationRequested) throw NotSentAfterStop();
                try
                {
                    return await once(cancellation).ConfigureAwait(false);
                }
                catch (SeedreamApiException error) when (ShouldRetry(error, kind, attempt, policy))
                {
                    var delay = policy.DelayFor(attempt, error.RetryAfter);
                    // -Verbose says how long and why: the server's Retry-After, or the backoff.
                    string why = error.RetryAfter.HasValue && error.RetryAfter.Value >= delay - TimeSpan.FromMilliseconds(1)
                        ? "as its Retry-After asks (" + error.RetryAfter.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s)"
                        : "backing off";
                    Log("waiting " + delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s, " + why + ", before retry " + attempt + " of " + policy.MaxRetries + " of " + Describe(kind) + ": " + error.Message);
                    using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation, stopped))
                    {
                        try
                        {
                            await Task.Delay(delay, wait.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                        {
                            throw NotSentAfterStop();
                        }
                    }
                }
            }
        }

        private SeedreamApiException NotSentAfterStop() =>
            new SeedreamApiException(Gateway, "The command stopped before this request was sent; nothing was sent or paid for.")
            {
                ErrorCode = SendGate.NotSentCode,
                NotSent = true,
            };

        /// <summary>Sends one request, following redirects for GETs after checking each hop.
        /// <paramref name="timeoutToken"/> includes the per-request timeout; <paramref name="userToken"/> is the caller's alone,
        /// which tells a timeout from a Ctrl+C.</summary>
        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, RequestKind kind, HttpCompletionOption completion,
            CancellationToken timeoutToken, CancellationToken userToken)
        {
            var started = Stopwatch.StartNew();
            for (int hop = 0; ; hop++)
            {
                TransportRules.Demand(request.RequestUri, kind == RequestKind.Download ? "Image URL" : "Request URL");
                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, completion, timeoutToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!userToken.IsCancellationRequested)
                {
                    Log(request.Method + " " + request.RequestUri + " timed out after " + Seconds(started.Elapsed));
                    throw new SeedreamApiException(Gateway,
                        string.Format(CultureInfo.InvariantCulture, "{0} did not answer {1} {2} within {3}.", _hosts.Describe(request.RequestUri, kind), request.Method, request.RequestUri.AbsolutePath, Seconds(Timeout)))
                    {
                        IsRetryable = true,
                        OutcomeUnknown = kind == RequestKind.Create,
                    };
                }
                catch (HttpRequestException failure)
                {
                    bool notSent = IsConnectFailure(failure);
                    Log(request.Method + " " + request.RequestUri + " failed: " + Redact(Innermost(failure).Message));
                    throw new SeedreamApiException(Gateway,
                        (notSent ? "Could not connect to " : "The connection to ") + _hosts.Describe(request.RequestUri, kind) + (notSent ? ": " : " was lost: ") + Redact(Innermost(failure).Message),
                        failure)
                    {
                        IsRetryable = true,
                        NotSent = notSent,
                        OutcomeUnknown = kind == RequestKind.Create && !notSent,
                        FromApiHost = _hosts.IsApiHost(request.RequestUri, kind),
                    };
                }
                Log(request.Method + " " + request.RequestUri + " -> " + (int)response.StatusCode + " in " + Seconds(started.Elapsed));
                int status = (int)response.StatusCode;
                bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
                // Only a GET is followed (as a GET): a create, an upload or a delete redirected elsewhere is an answer to
                // report, never a request to send on without its method and body.
                if (!redirect || request.Method != HttpMethod.Get) return response;

                var location = response.Headers.Location;
                response.Dispose();
                if (location == null || hop >= MaxRedirects)
                {
                    throw new SeedreamApiException(Gateway, "Too many or empty redirects from " + request.RequestUri.GetLeftPart(UriPartial.Path)) { HttpStatus = status };
                }
                var next = location.IsAbsoluteUri ? location : new Uri(request.RequestUri, location);
                if (!TransportRules.IsAllowed(next))
                {
                    throw new SeedreamApiException(Gateway,
                        "Refused a redirect from " + request.RequestUri.GetLeftPart(UriPartial.Path) + " to " + next.GetLeftPart(UriPartial.Path) + ": only https:// (or http:// to loopback) is followed.")
                    { HttpStatus = status };
                }
                var follow = new HttpRequestMessage(HttpMethod.Get, next);
                // Credentials stay with the host they were meant for.
                if (request.Headers.Authorization != null && string.Equals(next.Authority, request.RequestUri.Authority, StringComparison.OrdinalIgnoreCase))
                {
                    follow.Headers.Authorization = request.Headers.Authorization;
                }
                request = follow;
            }
        }

        /// <summary>The text with the key of the connection this transport was made from replaced by ***.</summary>
        public string Redact(string text) => _redact(text);

        /// <summary>Writes one trace line, redacted.</summary>
        public void Log(string line) => _trace?.Invoke(Redact(line));

        internal static bool IsTransientStatus(int status) => status == 408 || status == 429 || status == 502 || status == 503 || status == 504;

        private static bool ShouldRetry(SeedreamApiException error, RequestKind kind, int attempt, RetryPolicy policy)
        {
            if (attempt > policy.MaxRetries || !error.IsRetryable) return false;
            if (error.RetryAfter.HasValue && error.RetryAfter.Value > policy.MaxRetryAfter) return false;
            if (error.HttpStatus.HasValue && !IsTransientStatus(error.HttpStatus.Value)) return false;
            // A create is paid for: send it again only where the gateway cannot have made a task.
            if (kind == RequestKind.Create) return error.NotSent || error.HttpStatus == 429;
            return true;
        }

        private static string Describe(RequestKind kind) => kind == RequestKind.Create ? "a create" : kind == RequestKind.Download ? "a download" : "a request";

        /// <summary>What a <c>Retry-After</c> header asks for: seconds, or an HTTP date (the wait until then).</summary>
        internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta.Value;
            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        /// <summary>Whether nothing can have reached the gateway: no connection was made (refused, unreachable, a name
        /// that did not resolve, the proxy's name), or the TLS handshake failed (the request is sent only after it), on
        /// .NET and on .NET Framework's HttpWebRequest-based handler alike.</summary>
        internal static bool IsConnectFailure(Exception failure)
        {
            for (var e = failure; e != null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.AddressNotAvailable:
                            return true;
                    }
                }
                if (e is System.Security.Authentication.AuthenticationException) return true;
                if (e is WebException web)
                {
                    switch (web.Status)
                    {
                        case WebExceptionStatus.ConnectFailure:
                        case WebExceptionStatus.NameResolutionFailure:
                        case WebExceptionStatus.ProxyNameResolutionFailure:
                        case WebExceptionStatus.SecureChannelFailure:
                        case WebExceptionStatus.TrustFailure:
                            return true;
                    }
                }
            }
            return false;
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }
}
