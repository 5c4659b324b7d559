using System.Text;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Each gateway's error shapes, as the simulator sends them, mapped to <see cref="SeedreamApiException"/>.</summary>
public class ErrorMappingTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public ErrorMappingTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
    }

    [Theory]
    [InlineData(false, "unauthorized")]
    [InlineData(true, "invalid_api_key")]
    public async Task EvoLink_wrong_key_is_an_authentication_error_without_the_key(bool legacy, string code)
    {
        _sim.Host.State.Options.EvoLinkLegacyErrors = legacy;
        var trace = new List<string>();
        const string wrongKey = "wrong-key-0123456789abcdef";
        var client = _sim.Client(SeedreamGateway.EvoLink, key: wrongKey, trace: trace);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(401, e.HttpStatus);
        Assert.Equal("authentication_error", e.ErrorType);
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal("Api.authentication_error", e.ErrorId);
        Assert.False(e.IsRetryable);
        Assert.False(e.OutcomeUnknown);
        Assert.DoesNotContain(wrongKey, e.ToString());
        Assert.DoesNotContain(trace, line => line.Contains(wrongKey));
        Assert.Equal("***", client.Connection.ApiKey.ToString());
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task LinkModel_wrong_key_maps_code_and_message()
    {
        var client = _sim.Client(SeedreamGateway.LinkModel, key: "nope-nope-nope");
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(401, e.HttpStatus);
        Assert.Equal("401", e.ErrorCode);
        Assert.Contains("invalid api key", e.Message);
        Assert.NotNull(e.RequestId);
    }

    [Theory]
    [InlineData(false, "insufficient_quota")]
    [InlineData(true, "insufficient_quota_error")]
    public async Task EvoLink_insufficient_credits_is_402_and_not_retried(bool legacy, string type)
    {
        _sim.Host.State.Options.EvoLinkLegacyErrors = legacy;
        _sim.Host.State.Options.Balance = 0.01m;
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(402, e.HttpStatus);
        Assert.Equal(type, e.ErrorType);
        // The id a script matches is the same under both bodies.
        Assert.Equal("Api.insufficient_quota_error", e.ErrorId);
        Assert.False(e.IsRetryable);
        // Today's body has no fallback_suggestion.
        Assert.Equal(legacy, e.Suggestion != null);
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task LinkModel_insufficient_balance_is_a_500_that_no_retry_can_help()
    {
        _sim.Host.State.Options.Balance = 0.01m;
        var client = _sim.Client(SeedreamGateway.LinkModel);
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }));
        Assert.Equal(500, e.HttpStatus);
        Assert.Equal("insufficient_balance", e.ErrorType);
        Assert.False(e.IsRetryable);
        Assert.Contains("insufficient balance", e.Message);
        Assert.Equal(1, _sim.Host.State.Count("linkmodel.create"));
    }

    [Fact]
    public async Task EvoLink_400_body_maps_param_type_and_code()
    {
        _sim.Host.State.Options.EvoLinkLegacyErrors = true;
        string body = await RawCreate("evolink/v1/images/generations", "{\"model\":\"doubao-seedream-4.5\",\"prompt\":\"p\",\"quality\":\"1K\"}", 400);
        var e = GatewayAdapters.For(SeedreamGateway.EvoLink).ParseError(400, body);
        Assert.Equal("quality", e.Param);
        Assert.Equal("invalid_request_error", e.ErrorType);
        Assert.Equal("invalid_parameters", e.ErrorCode);
        Assert.Contains("2K, 4K", e.Message);
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":402,\"message\":\"Insufficient credits\",\"type\":\"insufficient_quota_error\",\"fallback_suggestion\":\"https://evolink.ai/dashboard\"}}")]
    [InlineData("{\"error\":{\"code\":\"insufficient_quota\",\"message\":\"Insufficient credits\",\"type\":\"insufficient_quota_error\"}}")]
    public void EvoLink_error_ids_are_the_same_whether_the_code_is_a_number_or_a_word(string body)
    {
        var e = GatewayAdapters.For(SeedreamGateway.EvoLink).ParseError(402, body);
        Assert.Equal("Api.insufficient_quota_error", e.ErrorId);
    }

    [Fact]
    public async Task EvoLink_today_400_body_maps_type_and_code_without_param()
    {
        string body = await RawCreate("evolink/v1/images/generations", "{\"model\":\"doubao-seedream-4.5\",\"prompt\":\"p\",\"quality\":\"1K\"}", 400);
        var e = GatewayAdapters.For(SeedreamGateway.EvoLink).ParseError(400, body);
        Assert.Null(e.Param);
        Assert.Equal(("invalid_request_error", "invalid_request", "Api.invalid_request_error"), (e.ErrorType, e.ErrorCode, e.ErrorId));
        Assert.Contains("2K, 4K", e.Message);
    }

    [Theory]
    [InlineData(false, "invalid_request_error", "task_not_found")]
    [InlineData(true, "not_found_error", "invalid_task_id")]
    public async Task EvoLink_an_unknown_task_is_a_404_with_the_same_error_id_in_both_bodies(bool legacy, string type, string code)
    {
        _sim.Host.State.Options.EvoLinkLegacyErrors = legacy;
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.EvoLink).GetTaskAsync("task-unified-1-nothere"));
        Assert.Equal((404, type, code, "Api.not_found_error"), (e.HttpStatus, e.ErrorType, e.ErrorCode, e.ErrorId));
    }

    /// <summary>Today's body (EvoLink's docs since 2026-03-06) and the older one give a script the same error id for the
    /// same failure, although today's types no longer name it alone (404 and 403 share invalid_request_error with 400).</summary>
    [Theory]
    [InlineData(400, "{\"error\":{\"code\":\"invalid_request\",\"message\":\"m\",\"type\":\"invalid_request_error\"}}", "{\"error\":{\"code\":\"invalid_parameters\",\"message\":\"m\",\"type\":\"invalid_request_error\",\"param\":\"size\"}}", "Api.invalid_request_error")]
    [InlineData(401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"m\",\"type\":\"authentication_error\"}}", "{\"error\":{\"code\":401,\"message\":\"m\",\"type\":\"authentication_error\"}}", "Api.authentication_error")]
    [InlineData(402, "{\"error\":{\"code\":\"insufficient_quota\",\"message\":\"m\",\"type\":\"insufficient_quota\"}}", "{\"error\":{\"code\":402,\"message\":\"m\",\"type\":\"insufficient_quota_error\",\"fallback_suggestion\":\"https://evolink.ai\"}}", "Api.insufficient_quota_error")]
    [InlineData(403, "{\"error\":{\"code\":\"model_access_denied\",\"message\":\"m\",\"type\":\"invalid_request_error\"}}", "{\"error\":{\"code\":403,\"message\":\"m\",\"type\":\"permission_error\"}}", "Api.permission_error")]
    [InlineData(404, "{\"error\":{\"code\":\"task_not_found\",\"message\":\"m\",\"type\":\"invalid_request_error\"}}", "{\"error\":{\"code\":404,\"message\":\"m\",\"type\":\"not_found_error\"}}", "Api.not_found_error")]
    [InlineData(429, "{\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"m\",\"type\":\"evo_api_error\"}}", "{\"error\":{\"code\":429,\"message\":\"m\",\"type\":\"rate_limit_error\",\"fallback_suggestion\":\"retry after 60 seconds\"}}", "Api.rate_limit_error")]
    [InlineData(500, "{\"error\":{\"code\":\"internal_error\",\"message\":\"m\",\"type\":\"api_error\"}}", "{\"error\":{\"code\":500,\"message\":\"m\",\"type\":\"internal_server_error\"}}", "Api.internal_server_error")]
    public void EvoLink_error_ids_are_the_same_under_both_bodies(int status, string today, string older, string id)
    {
        var adapter = GatewayAdapters.For(SeedreamGateway.EvoLink);
        Assert.Equal((id, id), (adapter.ParseError(status, today).ErrorId, adapter.ParseError(status, older).ErrorId));
    }

    [Fact]
    public async Task LinkModel_400_body_maps_code_and_msg()
    {
        string body = await RawCreate("linkmodel/api/v1/image-generation", "{\"model\":\"seedream-4.0\",\"prompt\":\"p\",\"size\":\"4x5\"}", 400);
        var e = GatewayAdapters.For(SeedreamGateway.LinkModel).ParseError(400, body);
        Assert.Equal("400", e.ErrorCode);
        Assert.Contains("size: Must be one of", e.Message);
    }

    [Fact]
    public async Task Unknown_task_ids_are_gateway_errors()
    {
        var evo = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.EvoLink).GetTaskAsync("task-unified-1-nothere"));
        Assert.Equal(404, evo.HttpStatus);
        Assert.Equal("task_not_found", evo.ErrorCode);
        var link = await Assert.ThrowsAsync<SeedreamApiException>(() => _sim.Client(SeedreamGateway.LinkModel).GetTaskAsync(Guid.NewGuid().ToString()));
        Assert.Equal(400, link.HttpStatus);
        Assert.Contains("task not found", link.Message);
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink, "../../admin")]
    [InlineData(SeedreamGateway.EvoLink, "")]
    [InlineData(SeedreamGateway.LinkModel, "../query?task_id=x")]
    public async Task Malformed_task_ids_are_refused_before_sending(SeedreamGateway gateway, string id)
    {
        var e = await Assert.ThrowsAsync<SeedreamValidationException>(() => _sim.Client(gateway).GetTaskAsync(id));
        Assert.Equal("Id", e.ParamName);
        Assert.Equal(0, _sim.Host.State.Count(gateway == SeedreamGateway.EvoLink ? "evolink.query" : "linkmodel.query"));
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":429,\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"fallback_suggestion\":\"retry after 60 seconds\"}}", "429", 60)]
    [InlineData("{\"error\":{\"code\":\"invalid_task_id\",\"message\":\"no\",\"type\":\"invalid_request_error\"}}", "invalid_task_id", null)]
    public void EvoLink_error_code_is_read_as_number_or_word(string body, string code, int? retryAfter)
    {
        var e = GatewayAdapters.For(SeedreamGateway.EvoLink).ParseError(429, body);
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(retryAfter, (int?)e.RetryAfter?.TotalSeconds);
    }

    [Theory]
    [InlineData("<html>Bad Gateway</html>")]
    [InlineData("")]
    public void Non_json_error_bodies_still_map(string body)
    {
        var e = GatewayAdapters.For(SeedreamGateway.EvoLink).ParseError(502, body);
        Assert.Contains("HTTP 502", e.Message);
        var l = GatewayAdapters.For(SeedreamGateway.LinkModel).ParseError(502, body);
        Assert.Contains("HTTP 502", l.Message);
    }

    [Theory]
    [InlineData("{\"code\":0,\"data\":{\"task_id\":\"cb6111cf-e89f-4978-b8e3-aa59c21cceff\",\"status\":\"Success\",\"output_images\":[\"https://cdn.example.com/a.png\"]},\"message\":\"success\"}", 1)]
    [InlineData("{\"code\":0,\"data\":{\"task_id\":\"cb6111cf-e89f-4978-b8e3-aa59c21cceff\",\"status\":\"SUCCEEDED\",\"output_images\":[\"https://cdn.example.com/a.png\",\"https://cdn.example.com/b.png\"]},\"msg\":\"ok\"}", 2)]
    // images echoes the request's references: never results.
    [InlineData("{\"code\":0,\"data\":{\"task_id\":\"aurora_xyz789\",\"status\":\"Success\",\"images\":[\"https://example.com/ref.png\"],\"output_images\":[]},\"request_id\":\"r\",\"message\":\"success\"}", 0)]
    [InlineData("{\"code\":\"0\",\"data\":{\"task_id\":\"cb6111cf-e89f-4978-b8e3-aa59c21cceff\",\"status\":\"success\",\"output_images\":[{\"url\":\"https://cdn.example.com/a.png\"}]}}", 1)]
    public void LinkModel_query_is_read_tolerantly(string body, int images)
    {
        var task = Queries(SeedreamGateway.LinkModel).ParseQuery(body);
        Assert.Equal(Tasks.SeedreamTaskStatus.Succeeded, task.Status);
        Assert.Equal(images, task.Images.Count);
    }

    private static IQueryableGatewayAdapter Queries(SeedreamGateway gateway) => (IQueryableGatewayAdapter)GatewayAdapters.For(gateway);

    [Fact]
    public void EvoLink_results_are_also_read_from_result_data()
    {
        var task = Queries(SeedreamGateway.EvoLink).ParseQuery("{\"id\":\"task-unified-1-a\",\"status\":\"completed\",\"created\":1757165031,\"result_data\":[{\"image_url\":\"https://cdn.example.com/a.png\"},{\"image_url\":\"https://cdn.example.com/b.png\"}]}");
        Assert.Equal(new[] { "https://cdn.example.com/a.png", "https://cdn.example.com/b.png" }, task.Images.Select(i => i.Url.AbsoluteUri));
    }

    [Fact]
    public void LinkModel_envelope_error_in_a_200_is_an_error()
    {
        var e = Assert.Throws<SeedreamApiException>(() => Queries(SeedreamGateway.LinkModel).ParseQuery("{\"code\":400,\"message\":\"task_id is required\"}"));
        Assert.Equal("400", e.ErrorCode);
        Assert.Contains("task_id is required", e.Message);
    }

    private async Task<string> RawCreate(string path, string json, int expectedStatus)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sim.Host.State.Options.ApiKey);
        var response = await http.PostAsync(new Uri(_sim.Host.BaseUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
