using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>LinkModel: <c>POST /image-generation</c> creates, <c>GET /query/image-generation?task_id=</c> reads;
    /// every answer is a <c>{code, data, msg}</c> envelope where only code 0 is success.</summary>
    internal sealed class LinkModelAdapter : IQueryableGatewayAdapter
    {
        // The documents show UUIDs and ids such as aurora_xyz789: any id of letters, digits and _ - . : goes.
        private static readonly Regex SafeId = new Regex(@"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", RegexOptions.CultureInvariant);

        public SeedreamGateway Gateway => SeedreamGateway.LinkModel;

        public GatewayCapabilities Capabilities { get; } = new GatewayCapabilities
        {
            ChargeUnit = ChargeUnit.UsDollars,
            References = ReferenceTransport.UrlsOnly,
            PollSchedule = () => new Client.LinkModelPollSchedule(),
            TaskIdRule = "LinkModel ids are letters, digits, '_', '-', '.' and ':'",
        };

        public Uri DefaultBaseUri { get; } = new Uri("https://api.linkmodel.ai/api/v1/");

        public HttpRequestMessage BuildCreate(Uri baseUri, ValidatedRequest request) =>
            Json.Post(new Uri(baseUri, "image-generation"), json =>
            {
                json.WriteString("model", request.Model.Id);
                json.WriteString("prompt", request.Prompt);
                json.WriteStrings("images", request.References);
                // LinkModel writes ratios with an x: 16x9.
                if (request.Size != null) json.WriteString("size", request.Size.RatioWidth.ToString(CultureInfo.InvariantCulture) + "x" + request.Size.RatioHeight.ToString(CultureInfo.InvariantCulture));
                if (request.Quality != null) json.WriteString("quality", request.Quality);
                json.WriteNumber("max_images", request.Count);
            });

        public SeedreamTask ParseCreate(string body, ValidatedRequest request)
        {
            using (var doc = Json.TryParse(body))
            {
                var data = Envelope(doc, body, create: true);
                string id = data.Prop("task_id").Text();
                var status = StatusWords.Parse(data.Prop("status").Text());
                if (string.IsNullOrEmpty(id) || status == null)
                {
                    var unreadable = Malformed(body);
                    unreadable.OutcomeUnknown = true;
                    throw unreadable;
                }
                return new SeedreamTask
                {
                    Gateway = Gateway,
                    Id = id,
                    Model = request.Model.Id,
                    Status = status.Value,
                    // LinkModel's envelope has no creation time; the moment it answered is the closest we know.
                    CreatedAt = DateTimeOffset.UtcNow,
                    Charge = data.Prop("price").Decimal(),
                    Request = request.Source,
                };
            }
        }

        public HttpRequestMessage BuildQuery(Uri baseUri, string taskId) =>
            new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "query/image-generation?task_id=" + Uri.EscapeDataString(taskId)));

        public SeedreamTask ParseQuery(string body)
        {
            using (var doc = Json.TryParse(body))
            {
                var data = Envelope(doc, body, create: false);
                string id = data.Prop("task_id").Text();
                var status = StatusWords.Parse(data.Prop("status").Text());
                if (string.IsNullOrEmpty(id) || status == null) throw Malformed(body);
                var task = new SeedreamTask
                {
                    Gateway = Gateway,
                    Id = id,
                    Model = data.Prop("model").Text(),
                    Status = status.Value,
                    Progress = status == SeedreamTaskStatus.Succeeded ? 100 : (int)Math.Max(0, Math.Min(100, data.Prop("progress").Long() ?? 0)),
                };
                // "When status is Success, output_images contains the generated image URLs"; images echoes the request's
                // reference images and is never a result.
                var urls = data.Prop("output_images").Strings();
                if (task.Status == SeedreamTaskStatus.Succeeded)
                {
                    var expires = task.UpdatedAt + SeedreamTask.ResultLifetime;
                    for (int i = 0; i < urls.Count; i++)
                    {
                        if (Uri.TryCreate(urls[i], UriKind.Absolute, out var url)) task.Images.Add(new SeedreamImage(id, i, url, expires));
                    }
                }
                task.RequestId = Blank(((JsonElement?)doc.RootElement).Prop("request_id").Text());
                if (task.Status == SeedreamTaskStatus.Failed)
                {
                    // An empty msg is no reason: the failure message then says what else is known.
                    task.Error = new SeedreamTaskError(Blank(data.Prop("error_code").Text()), Blank(data.Prop("msg").Text()));
                }
                return task;
            }
        }

        public SeedreamApiException ParseError(int httpStatus, string body)
        {
            using (var doc = Json.TryParse(body))
            {
                return EnvelopeError(doc, body, httpStatus);
            }
        }

        public bool IsValidTaskId(string taskId) => taskId != null && SafeId.IsMatch(taskId);

        // LinkModel wraps a task in {code, data{task_id, …}}.
        public bool IsTaskBody(JsonElement root) => ((JsonElement?)root).Prop("data").Prop("task_id") != null;

        public ModelChoice ResolveModel(string name, string region) => ModelCatalog.Resolve(Gateway, name);

        private JsonElement? Envelope(JsonDocument doc, string body, bool create)
        {
            if (doc == null || doc.RootElement.ValueKind != JsonValueKind.Object) throw Malformed(body);
            JsonElement? root = doc.RootElement;
            if (root.Prop("code").Long() != 0) throw EnvelopeError(doc, body, 200);
            var data = root.Prop("data");
            if (data == null || data.Value.ValueKind != JsonValueKind.Object) throw Malformed(body);
            return data;
        }

        private SeedreamApiException EnvelopeError(JsonDocument doc, string body, int httpStatus)
        {
            JsonElement? root = doc?.RootElement;
            string code = root.HasValue ? root.Prop("code").Text() : null;
            // The query envelope says "message", the create envelope "msg".
            string message = root.HasValue ? root.Prop("msg").Text() ?? root.Prop("message").Text() : null;
            if (code == null && message == null)
            {
                return new SeedreamApiException(Gateway, string.Format(CultureInfo.InvariantCulture, "LinkModel answered HTTP {0}: {1}", httpStatus, Text.Excerpt(body)));
            }
            bool noBalance = message != null && message.IndexOf("insufficient balance", StringComparison.OrdinalIgnoreCase) >= 0;
            // A 500 in this envelope saying "create task failed: ..." is a documented refusal: no task was made.
            bool refused = noBalance || (message != null && message.StartsWith("create task failed", StringComparison.OrdinalIgnoreCase));
            return new SeedreamApiException(Gateway, string.Format(CultureInfo.InvariantCulture,
                "LinkModel refused the request (code {0}): {1}", code ?? httpStatus.ToString(CultureInfo.InvariantCulture), message ?? "no message"))
            {
                HttpStatus = httpStatus,
                ErrorCode = code,
                ErrorType = noBalance ? "insufficient_balance" : null,
                RequestId = root.HasValue ? root.Prop("request_id").Text() : null,
                Permanent = refused,
            };
        }

        private static string Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

        private SeedreamApiException Malformed(string body) =>
            new SeedreamApiException(Gateway, "LinkModel sent an answer SeedreamPS cannot read: " + Text.Excerpt(body)) { IsRetryable = true };
    }
}
