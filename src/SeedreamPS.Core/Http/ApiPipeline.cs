using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Gateways;

namespace SeedreamPS.Core.Http
{
    /// <summary>A gateway's API requests (create, query, upload, delete): the transport's path and retries, with
    /// authentication added as a step by the one who holds the key, the bodies traced for -Debug, and a refusal read into
    /// the gateway's own error fields.</summary>
    internal sealed class ApiPipeline
    {
        private const string DebugPrefix = SeedreamConnection.DebugTracePrefix;
        private readonly HttpTransport _transport;
        private readonly IGatewayAdapter _adapter;
        private readonly SeedreamApiKey _key;

        public ApiPipeline(HttpTransport transport, IGatewayAdapter adapter, SeedreamApiKey key)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
            _adapter = adapter ?? throw new ArgumentNullException(nameof(adapter));
            _key = key ?? throw new ArgumentNullException(nameof(key));
        }

        /// <summary>The transport under this pipeline, which the gateway's downloads use without the key.</summary>
        public HttpTransport Transport => _transport;

        /// <summary>Sends a JSON request built by <paramref name="build"/> (called once per try) and reads a 2xx answer
        /// with <paramref name="parse"/>.</summary>
        public Task<T> SendJsonAsync<T>(Func<HttpRequestMessage> build, Func<string, T> parse, RequestKind kind, CancellationToken cancellation) =>
            ExchangeAsync(build, kind, HttpCompletionOption.ResponseContentRead, null, async (request, response) =>
            {
                string body = await ReadBodyAsync(response).ConfigureAwait(false);
                _transport.Log(DebugPrefix + "response " + (int)response.StatusCode + " to " + request.Method + " " + request.RequestUri + Environment.NewLine + Excerpt(body));
                return parse(_transport.Redact(body));
            }, keepResponse: false, cancellation);

        /// <summary>Sends a request as <see cref="SendJsonAsync{T}"/> does, but returns a 2xx answer as soon as its headers
        /// arrive, for the caller to read its body as it comes (a stream of images). The per-request timeout covers the
        /// headers only; the caller owns the response.</summary>
        public Task<HttpResponseMessage> OpenAsync(Func<HttpRequestMessage> build, RequestKind kind, CancellationToken cancellation) =>
            ExchangeAsync(build, kind, HttpCompletionOption.ResponseHeadersRead, null, (request, response) =>
            {
                _transport.Log(DebugPrefix + "response " + (int)response.StatusCode + " to " + request.Method + " " + request.RequestUri + " (" + response.Content?.Headers.ContentType?.MediaType + ", read as it arrives)");
                return Task.FromResult(response);
            }, keepResponse: true, cancellation);

        /// <summary>Sends a request whose answer has no body worth reading (a delete); a status <paramref name="accept"/>
        /// takes is an answer like a 2xx, any other an error.</summary>
        public Task<int> SendAsync(Func<HttpRequestMessage> build, Func<int, bool> accept, CancellationToken cancellation) =>
            ExchangeAsync(build, RequestKind.Query, HttpCompletionOption.ResponseContentRead, accept,
                (request, response) => Task.FromResult((int)response.StatusCode), keepResponse: false, cancellation);

        // One request under the transport's retries: built afresh each try, authenticated, traced, sent, and either read
        // or turned into the gateway's error.
        private Task<T> ExchangeAsync<T>(Func<HttpRequestMessage> build, RequestKind kind, HttpCompletionOption completion, Func<int, bool> accept,
            Func<HttpRequestMessage, HttpResponseMessage, Task<T>> read, bool keepResponse, CancellationToken cancellation) =>
            _transport.ExecuteWithRetryAsync(async token =>
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    var request = build();
                    bool handedOver = false;
                    try
                    {
                        timeout.CancelAfter(_transport.Timeout);
                        Authenticate(request);
                        await TraceRequestAsync(request).ConfigureAwait(false);
                        var response = await _transport.SendAsync(request, kind, completion, timeout.Token, token).ConfigureAwait(false);
                        try
                        {
                            int status = (int)response.StatusCode;
                            if (!response.IsSuccessStatusCode && !(accept?.Invoke(status) ?? false))
                            {
                                // A refusal is a JSON body even when a stream was asked for.
                                string body = await ReadBodyAsync(response).ConfigureAwait(false);
                                _transport.Log(DebugPrefix + "response " + status + " to " + request.Method + " " + request.RequestUri + Environment.NewLine + Excerpt(body));
                                var error = GatewayError(response, body, kind);
                                throw RedirectedAway(request, response) is Uri elsewhere && (status == 401 || status == 403)
                                    ? error.WithMore("The request was redirected to " + elsewhere.GetLeftPart(UriPartial.Authority) + ", another host, which is never sent the key; " +
                                        "check the gateway address (-BaseUri).")
                                    : error;
                            }
                            var result = await read(request, response).ConfigureAwait(false);
                            handedOver = keepResponse;
                            return result;
                        }
                        finally
                        {
                            if (!handedOver) response.Dispose();
                        }
                    }
                    finally
                    {
                        // A response handed over still reads through its request's connection.
                        if (!handedOver) request.Dispose();
                    }
                }
            }, kind, cancellation);

        // Where a request ended up after redirects, if on another host than it was sent to (which then had no key).
        private static Uri RedirectedAway(HttpRequestMessage sent, HttpResponseMessage response)
        {
            var final = response.RequestMessage?.RequestUri;
            return final != null && !string.Equals(final.Authority, sent.RequestUri.Authority, StringComparison.OrdinalIgnoreCase) ? final : null;
        }

        // The step only a holder of the key adds. A redirect keeps it only to the same host (HttpTransport.SendAsync).
        private void Authenticate(HttpRequestMessage request) =>
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key.Reveal());

        // -Debug: the request body (JSON only; an upload's stream would be consumed), never a header.
        private async Task TraceRequestAsync(HttpRequestMessage request)
        {
            string line = DebugPrefix + "request " + request.Method + " " + request.RequestUri;
            if (request.Content is ByteArrayContent json) line += Environment.NewLine + Excerpt(await json.ReadAsStringAsync().ConfigureAwait(false));
            else if (request.Content != null) line += " (" + request.Content.GetType().Name.Replace("Content", string.Empty).ToLowerInvariant() + " body)";
            _transport.Log(line);
        }

        private static async Task<string> ReadBodyAsync(HttpResponseMessage response) =>
            response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);

        /// <summary>Turns a non-2xx answer into the typed exception, with the gateway's own fields.</summary>
        private SeedreamApiException GatewayError(HttpResponseMessage response, string body, RequestKind kind)
        {
            int status = (int)response.StatusCode;
            var error = _adapter.ParseError(status, _transport.Redact(body));
            error.HttpStatus = status;
            error.RequestId = error.RequestId ?? HeaderValue(response, "X-Request-Id");
            error.RetryAfter = HttpTransport.RetryAfterOf(response) ?? error.RetryAfter;
            error.IsRetryable = (HttpTransport.IsTransientStatus(status) || status == 500) && !error.Permanent;
            // A documented refusal (the adapter read it from the body) made nothing; any other 5xx may have.
            error.OutcomeUnknown = kind == RequestKind.Create && status >= 500 && !error.Permanent;
            return error;
        }

        private static string HeaderValue(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

        // Bodies can carry inlined images (data: URLs); the debug stream shows their start.
        private static string Excerpt(string body) => body == null ? string.Empty : body.Length <= 4000 ? body : body.Substring(0, 4000) + "… (" + body.Length + " characters)";
    }
}
