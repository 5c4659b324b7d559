using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;

namespace SeedreamPS.Core.Http
{
    /// <summary>What a request does, which decides whether it is safe to send twice.</summary>
    internal enum RequestKind
    {
        /// <summary>Creates a task: costs money, so it is retried only where the gateway cannot have seen it.</summary>
        Create,

        /// <summary>Reads state: always safe to repeat.</summary>
        Query,

        /// <summary>Fetches a result file: safe to repeat, and never carries the API key.</summary>
        Download,
    }

    /// <summary>Sends requests for one connection: bearer auth, timeouts, redirects checked hop by hop,
    /// error mapping, and retries with backoff that never risk paying twice. Without a connection it can only download
    /// (result URLs need no key), and its errors name the image host, not a gateway.</summary>
    internal sealed class HttpPipeline
    {
        private const int MaxRedirects = 5;
        private readonly SeedreamConnection _connection;
        private readonly IGatewayAdapter _adapter;
        private readonly HttpClient _http;
        // A download-only pipeline's own settings; a connection's are read live, since a connection may be changed.
        private readonly TimeSpan _timeout;
        private readonly RetryPolicy _retry;

        private readonly Action<string> _trace;

        public HttpPipeline(SeedreamConnection connection, IGatewayAdapter adapter, Action<string> trace = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _adapter = adapter ?? throw new ArgumentNullException(nameof(adapter));
            _trace = trace ?? connection.Trace;
            _http = connection.Handler != null ? new HttpClient(connection.Handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan } : HttpClientCache.For(connection.Proxy);
        }

        private HttpPipeline(TimeSpan timeout, RetryPolicy retry, Uri proxy, Action<string> trace)
        {
            _timeout = timeout;
            _retry = retry;
            _trace = trace;
            _http = HttpClientCache.For(proxy);
        }

        /// <summary>A pipeline that belongs to no gateway and holds no key: it only downloads.</summary>
        public static HttpPipeline ForDownloads(TimeSpan timeout, RetryPolicy retry, Uri proxy = null, Action<string> trace = null) =>
            new HttpPipeline(timeout, retry, proxy, trace);

        /// <summary>The gateway this pipeline talks to; null for a download-only pipeline.</summary>
        public SeedreamGateway? Gateway => _connection?.Gateway;

        /// <summary>How long one request (a download: one silence between chunks) may take.</summary>
        public TimeSpan Timeout => _connection?.Timeout ?? _timeout;

        private RetryPolicy Retry => _connection != null ? _connection.Retry : _retry;

        /// <summary>Sends a JSON request built by <paramref name="build"/> (called once per try) and reads a 2xx answer
        /// with <paramref name="parse"/>; an unreadable answer to a query is retried like any transient failure.</summary>
        public Task<T> SendJsonAsync<T>(Func<HttpRequestMessage> build, Func<string, T> parse, RequestKind kind, CancellationToken cancellation)
        {
            if (_connection == null) throw new InvalidOperationException("A download-only pipeline sends no API requests.");
            return ExecuteWithRetryAsync(async token =>
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(token))
                using (var request = build())
                {
                    timeout.CancelAfter(Timeout);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _connection.ApiKey.Reveal());
                    // -Debug: the request body (JSON only; an upload's stream would be consumed) and the answer, never a header.
                    if (request.Content is ByteArrayContent json)
                    {
                        Log(DebugPrefix + "request " + request.Method + " " + request.RequestUri + Environment.NewLine + Excerpt(await json.ReadAsStringAsync().ConfigureAwait(false)));
                    }
                    else Log(DebugPrefix + "request " + request.Method + " " + request.RequestUri + (request.Content == null ? string.Empty : " (" + request.Content.GetType().Name.Replace("Content", string.Empty).ToLowerInvariant() + " body)"));
                    using (var response = await SendAsync(request, kind, HttpCompletionOption.ResponseContentRead, timeout.Token, token).ConfigureAwait(false))
                    {
                        string body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        Log(DebugPrefix + "response " + (int)response.StatusCode + " to " + request.Method + " " + request.RequestUri + Environment.NewLine + Excerpt(body));
                        if (!response.IsSuccessStatusCode) throw GatewayError(response, body, kind);
                        return parse(Redact(body));
                    }
                }
            }, kind, cancellation);
        }

        /// <summary>Sends a JSON request as <see cref="SendJsonAsync{T}"/> does, but returns a 2xx answer as soon as its headers
        /// arrive, for the caller to read its body as it comes (a stream of images). The per-request timeout covers the
        /// headers only; the caller owns the response.</summary>
        public Task<HttpResponseMessage> OpenAsync(Func<HttpRequestMessage> build, RequestKind kind, CancellationToken cancellation)
        {
            if (_connection == null) throw new InvalidOperationException("A download-only pipeline sends no API requests.");
            return ExecuteWithRetryAsync(async token =>
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    var request = build();
                    timeout.CancelAfter(Timeout);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _connection.ApiKey.Reveal());
                    if (request.Content is ByteArrayContent json)
                    {
                        Log(DebugPrefix + "request " + request.Method + " " + request.RequestUri + Environment.NewLine + Excerpt(await json.ReadAsStringAsync().ConfigureAwait(false)));
                    }
                    var response = await SendAsync(request, kind, HttpCompletionOption.ResponseHeadersRead, timeout.Token, token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        Log(DebugPrefix + "response " + (int)response.StatusCode + " to " + request.Method + " " + request.RequestUri + " (" + response.Content?.Headers.ContentType?.MediaType + ", read as it arrives)");
                        return response;
                    }
                    using (response)
                    {
                        // A refusal (a 400 for a bad parameter) is a JSON body even when a stream was asked for.
                        string body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        Log(DebugPrefix + "response " + (int)response.StatusCode + " to " + request.Method + " " + request.RequestUri + Environment.NewLine + Excerpt(body));
                        throw GatewayError(response, body, kind);
                    }
                }
            }, kind, cancellation);
        }

        /// <summary>Runs <paramref name="once"/> until it succeeds, fails for good, or the retries run out.</summary>
        public async Task<T> ExecuteWithRetryAsync<T>(Func<CancellationToken, Task<T>> once, RequestKind kind, CancellationToken cancellation)
        {
            var policy = Retry ?? new RetryPolicy { MaxRetries = 0 };
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
                        string.Format(CultureInfo.InvariantCulture, "{0} did not answer {1} {2} within {3}.", Describe(request.RequestUri, kind), request.Method, request.RequestUri.AbsolutePath, Seconds(Timeout)))
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
                        (notSent ? "Could not connect to " : "The connection to ") + Describe(request.RequestUri, kind) + (notSent ? ": " : " was lost: ") + Redact(Innermost(failure).Message),
                        failure)
                    {
                        IsRetryable = true,
                        NotSent = notSent,
                        OutcomeUnknown = kind == RequestKind.Create && !notSent,
                        FromApiHost = IsApiHost(request.RequestUri, kind),
                    };
                }
                Log(request.Method + " " + request.RequestUri + " -> " + (int)response.StatusCode + " in " + Seconds(started.Elapsed));
                int status = (int)response.StatusCode;
                bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
                if (!redirect || kind == RequestKind.Create) return response;

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

        /// <summary>Turns a non-2xx answer into the typed exception, with the gateway's own fields.</summary>
        public SeedreamApiException GatewayError(HttpResponseMessage response, string body, RequestKind kind)
        {
            int status = (int)response.StatusCode;
            if (_adapter == null) throw new InvalidOperationException("A download-only pipeline reads no gateway errors.");
            var error = _adapter.ParseError(status, Redact(body));
            error.HttpStatus = status;
            error.RequestId = error.RequestId ?? HeaderValue(response, "X-Request-Id");
            error.RetryAfter = RetryAfterOf(response) ?? error.RetryAfter;
            error.IsRetryable = (IsTransientStatus(status) || status == 500) && !error.Permanent;
            // A documented refusal (the adapter read it from the body) made nothing; any other 5xx may have.
            error.OutcomeUnknown = kind == RequestKind.Create && status >= 500 && !error.Permanent;
            return error;
        }

        private const string DebugPrefix = SeedreamConnection.DebugTracePrefix;

        // Bodies can carry inlined images (data: URLs); the debug stream shows their start.
        private static string Excerpt(string body) => body == null ? string.Empty : body.Length <= 4000 ? body : body.Substring(0, 4000) + "… (" + body.Length + " characters)";

        /// <summary>The text with the connection's key replaced by ***.</summary>
        public string Redact(string text) => _connection == null ? text : _connection.ApiKey.Redact(text);

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

        /// <summary>Sends a request that carries the API key (the files API's uploads and deletes) through the same retries
        /// as every other request; a status <paramref name="accept"/> takes is an answer, any other an error.</summary>
        public Task<int> SendAuthorizedAsync(Func<HttpRequestMessage> build, Func<int, bool> accept, CancellationToken cancellation)
        {
            if (_connection == null) throw new InvalidOperationException("A download-only pipeline sends no API requests.");
            return ExecuteWithRetryAsync(async token =>
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(token))
                using (var request = build())
                {
                    timeout.CancelAfter(Timeout);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _connection.ApiKey.Reveal());
                    using (var response = await SendAsync(request, RequestKind.Query, HttpCompletionOption.ResponseContentRead, timeout.Token, token).ConfigureAwait(false))
                    {
                        int status = (int)response.StatusCode;
                        if (response.IsSuccessStatusCode || accept(status)) return status;
                        string body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        throw GatewayError(response, body, RequestKind.Query);
                    }
                }
            }, RequestKind.Query, cancellation);
        }

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

        private static string HeaderValue(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

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

        // Who failed, by the address: the image host, the files API (its own host, not the gateway's), or the gateway.
        private string Describe(Uri uri, RequestKind kind)
        {
            if (kind == RequestKind.Download || _connection == null) return "the image host " + uri.Host;
            if (IsFilesApi(uri)) return _connection.Gateway + "'s files API at " + uri.Authority;
            return _connection.Gateway.ToString();
        }

        private bool IsFilesApi(Uri uri) =>
            _connection?.FilesBaseUri != null &&
            uri.AbsoluteUri.StartsWith(_connection.FilesBaseUri.AbsoluteUri, StringComparison.OrdinalIgnoreCase) &&
            !uri.AbsoluteUri.StartsWith(_connection.BaseUri.AbsoluteUri, StringComparison.OrdinalIgnoreCase);

        // The gateway's own API host: a failure to reach it fails every record, where the files API or an image host
        // fails only what needs them.
        private bool IsApiHost(Uri uri, RequestKind kind) => _connection != null && kind != RequestKind.Download && !IsFilesApi(uri);

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }
}
