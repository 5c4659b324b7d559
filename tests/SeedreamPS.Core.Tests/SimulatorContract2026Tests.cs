using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The simulator against the API notes' "Corrections and additions (2026-11-30)": Volcengine and the EU address,
/// Seedream 5.0 Pro, 5.0-lite at 4K, EvoLink's model_params, 9:21, ModelArk references, the files quota, EvoLink's task
/// ids and error body, and ModelArk streaming and inline images. Raw HTTP and JSON, not through the client.</summary>
public class SimulatorContract2026Tests : IClassFixture<Contract2026Fixture>, IDisposable
{
    private readonly Contract2026Fixture _sim;
    private readonly HttpClient _http = new();

    public SimulatorContract2026Tests(Contract2026Fixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sim.Host.State.Options.ApiKey);
    }

    public void Dispose() => _http.Dispose();

    private const string Evo = "evolink/v1/images/generations";
    private const string Ark = "modelark/api/v3/images/generations";
    private const string ArkEu = "modelark-eu-west/api/v3/images/generations";
    private const string Volc = "volcengine/api/v3/images/generations";

    private async Task<(int Status, JsonElement Body)> Post(string path, string json)
    {
        var response = await _http.PostAsync(new Uri(_sim.Host.BaseUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<(int Status, JsonElement Body)> Post(string path, JsonObject json) => Post(path, json.ToJsonString());

    private async Task<JsonElement> Get(string path) =>
        JsonDocument.Parse(await _http.GetStringAsync(new Uri(_sim.Host.BaseUri, path))).RootElement.Clone();

    private async Task Control(string path, string json)
    {
        var response = await _http.PostAsync(new Uri(_sim.Host.BaseUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<decimal> Spent() => (await Get("_sim/billing")).GetProperty("spentUsd").GetDecimal();

    private async Task<int> Billed(string gateway) =>
        (await Get("_sim/billing")).GetProperty("imagesBilled").TryGetProperty(gateway, out var n) ? n.GetInt32() : 0;

    private static JsonElement Error(JsonElement body) => body.GetProperty("error");

    /// <summary>A refusal that made nothing and charged nothing.</summary>
    private async Task AssertNothingMade()
    {
        Assert.Equal(0, _sim.Host.State.TaskCount);
        Assert.Equal(0m, await Spent());
    }

    /// <summary>Creates an EvoLink task (the simulator's latency is zero) and returns its first result's bytes.</summary>
    private async Task<byte[]> EvoLinkImage(JsonObject request)
    {
        var (status, created) = await Post(Evo, request);
        Assert.True(status == 200, created.ToString());
        var task = await Get("evolink/v1/tasks/" + created.GetProperty("id").GetString());
        Assert.Equal("completed", task.GetProperty("status").GetString());
        return await _http.GetByteArrayAsync(task.GetProperty("results")[0].GetString());
    }

    private static string Format(byte[] bytes) =>
        bytes.Length > 3 && bytes[0] == 0x89 && bytes[1] == 0x50 ? "png" : bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 ? "jpeg" : "other";

    /// <summary>Width and height from a JPEG's SOF0 or a PNG's IHDR, read from bytes.</summary>
    private static (int, int) Dimensions(byte[] b)
    {
        if (Format(b) == "png") return ((b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19], (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23]);
        for (int i = 2; i + 9 < b.Length;)
        {
            int length = (b[i + 2] << 8) | b[i + 3];
            if (b[i + 1] == 0xC0) return ((b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]);
            i += 2 + length;
        }
        throw new Xunit.Sdk.XunitException("no SOF0 segment");
    }

    private static JsonObject Body(params (string Key, JsonNode Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (key, value) in fields) o[key] = value;
        return o;
    }

    private static JsonArray Urls(int count) => new(Enumerable.Range(1, count).Select(i => (JsonNode)$"https://example.com/ref{i}.png").ToArray());

    private static string DataUrl(string format, byte[] bytes) => $"data:image/{format};base64,{Convert.ToBase64String(bytes)}";

    // ---- Volcengine, BytePlus and the EU address ----

    [Theory]
    [InlineData("doubao-seedream-4-0-250828")]
    [InlineData("doubao-seedream-4-5-251128")]
    [InlineData("doubao-seedream-5-0-260128")]
    [InlineData("doubao-seedream-5-0-lite-260128")]
    [InlineData("doubao-seedream-5-0-pro-260628")]
    public async Task Volcengine_address_takes_doubao_ids_and_echoes_them(string id)
    {
        var (status, body) = await Post(Volc, Body(("model", id), ("prompt", "a lighthouse")));
        Assert.True(status == 200, body.ToString());
        Assert.Equal(id, body.GetProperty("model").GetString());
        Assert.Equal(1, body.GetProperty("usage").GetProperty("generated_images").GetInt32());
        Assert.Equal(1, _sim.Host.State.Count("volcengine.create"));
    }

    [Theory]
    [InlineData("seedream-4-0-250828")]
    [InlineData("seedream-4-5-251128")]
    [InlineData("seedream-5-0-260128")]
    [InlineData("seedream-5-0-pro-260628")]
    [InlineData("doubao-seedream-4.5")] // EvoLink's name for the model is no Ark id
    public async Task Volcengine_address_refuses_a_BytePlus_id_with_404_and_no_charge(string id)
    {
        var (status, body) = await Post(Volc, Body(("model", id), ("prompt", "a lighthouse")));
        Assert.Equal(404, status);
        Assert.Equal("InvalidEndpointOrModel.NotFound", Error(body).GetProperty("code").GetString());
        Assert.Equal("NotFound", Error(body).GetProperty("type").GetString());
        await AssertNothingMade();
    }

    [Theory]
    [InlineData(Ark, "doubao-seedream-4-0-250828")]
    [InlineData(Ark, "doubao-seedream-5-0-pro-260628")]
    [InlineData(ArkEu, "doubao-seedream-4-5-251128")]
    public async Task BytePlus_addresses_refuse_doubao_ids(string path, string id)
    {
        var (status, body) = await Post(path, Body(("model", id), ("prompt", "a lighthouse")));
        Assert.Equal(404, status);
        Assert.Equal("InvalidEndpointOrModel.NotFound", Error(body).GetProperty("code").GetString());
        await AssertNothingMade();
    }

    [Theory]
    [InlineData("seedream-4-0-250828")]
    [InlineData("seedream-4-5-251128")]
    [InlineData("seedream-5-0-260128")]
    [InlineData("seedream-5-0-lite-260128")]
    [InlineData("seedream-5-0-pro-260628")]
    public async Task BytePlus_address_takes_its_ids_and_the_lite_alias(string id)
    {
        var (status, body) = await Post(Ark, Body(("model", id), ("prompt", "p")));
        Assert.True(status == 200, body.ToString());
        Assert.Equal(id, body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Endpoint_ids_work_on_either_address_with_the_limits_of_the_model_behind_them()
    {
        await Control("_sim/config", "{\"modelArkEndpoints\":{\"ep-20261130000000-volcp\":\"doubao-seedream-5-0-pro-260628\"}}");
        try
        {
            var (status, body) = await Post(Volc, Body(("model", "ep-20261130000000-volcp"), ("prompt", "p"), ("size", "1.5K")));
            Assert.True(status == 200, body.ToString());
            Assert.Equal("ep-20261130000000-volcp", body.GetProperty("model").GetString());
            // 5.0 Pro's limits: no group output.
            (status, body) = await Post(Volc, Body(("model", "ep-20261130000000-volcp"), ("prompt", "p"), ("sequential_image_generation", "auto")));
            Assert.Equal(400, status);
            (status, _) = await Post(Volc, Body(("model", "ep-20261130000000-nothere"), ("prompt", "p")));
            Assert.Equal(404, status);
        }
        finally
        {
            _sim.Host.State.Options.ModelArkEndpoints.Clear();
        }
    }

    [Fact]
    public async Task EU_address_does_not_sell_Seedream_4_0_but_sells_the_rest()
    {
        var (refused, body) = await Post(ArkEu, Body(("model", "seedream-4-0-250828"), ("prompt", "p")));
        Assert.Equal(404, refused);
        Assert.Equal("InvalidEndpointOrModel.NotFound", Error(body).GetProperty("code").GetString());
        await AssertNothingMade();
        foreach (var id in new[] { "seedream-4-5-251128", "seedream-5-0-260128", "seedream-5-0-pro-260628" })
        {
            var (status, ok) = await Post(ArkEu, Body(("model", id), ("prompt", "p")));
            Assert.True(status == 200, ok.ToString());
        }
        Assert.Equal(4, _sim.Host.State.Count("modelark-eu.create"));
    }

    // ---- Seedream 5.0 Pro ----

    [Theory]
    [InlineData(null, 1024, 1024)]
    [InlineData("1K", 1024, 1024)]
    [InlineData("1.5K", 1536, 1536)]
    [InlineData("2K", 2048, 2048)]
    public async Task EvoLink_Pro_takes_1K_to_2K_with_1K_by_default_and_answers_JPEG(string quality, int width, int height)
    {
        var request = Body(("model", "doubao-seedream-5.0-pro"), ("prompt", "a lighthouse"), ("n", 1));
        if (quality != null) request["quality"] = quality;
        byte[] image = await EvoLinkImage(request);
        Assert.Equal("jpeg", Format(image));
        Assert.Equal((width, height), Dimensions(image));
    }

    [Fact]
    public async Task EvoLink_Pro_output_format_is_read_at_the_top_level_not_under_model_params()
    {
        byte[] png = await EvoLinkImage(Body(("model", "doubao-seedream-5.0-pro"), ("prompt", "p"), ("output_format", "png"), ("watermark", true), ("background", "opaque"), ("prompt_priority", "fast")));
        Assert.Equal("png", Format(png));
        // Moved out of model_params in August 2026: there it is an unknown field, and the default (JPEG) comes back.
        byte[] misplaced = await EvoLinkImage(Body(("model", "doubao-seedream-5.0-pro"), ("prompt", "p"), ("model_params", new JsonObject { ["output_format"] = "png" })));
        Assert.Equal("jpeg", Format(misplaced));
    }

    [Theory]
    [InlineData("pixels: lowest", "960x960")]
    [InlineData("pixels: highest", "2150x2150")]
    [InlineData("ratio 9:21", "9:21")]
    public async Task EvoLink_Pro_accepts_its_documented_range(string why, string size)
    {
        var (status, body) = await Post(Evo, Body(("model", "doubao-seedream-5.0-pro"), ("prompt", why), ("size", size)));
        Assert.True(status == 200, body.ToString());
    }

    public static IEnumerable<object[]> EvoLinkProRefusals()
    {
        JsonObject Pro(params (string, JsonNode)[] extra)
        {
            var o = Body(("model", "doubao-seedream-5.0-pro"), ("prompt", "a lighthouse"));
            foreach (var (k, v) in extra) o[k] = v;
            return o;
        }
        yield return new object[] { "11 references", Pro(("image_urls", Urls(11))) };
        yield return new object[] { "n 2", Pro(("n", 2)) };
        yield return new object[] { "quality 4K", Pro(("quality", "4K")) };
        yield return new object[] { "quality 3K", Pro(("quality", "3K")) };
        yield return new object[] { "below 921,600 pixels", Pro(("size", "959x960")) };
        yield return new object[] { "above 4,624,220 pixels", Pro(("size", "2151x2150")) };
        yield return new object[] { "background none", Pro(("background", "none")) };
        yield return new object[] { "background transparent without an input image", Pro(("background", "transparent")) };
        yield return new object[] { "output_format webp", Pro(("output_format", "webp")) };
        yield return new object[] { "prompt_priority turbo", Pro(("prompt_priority", "turbo")) };
        yield return new object[] { "prompt over 4000 tokens", Pro(("prompt", string.Concat(Enumerable.Repeat("lighthouse ", 1500)))) };
        yield return new object[] { "prompt over 4000 tokens of CJK text", Pro(("prompt", new string('灯', 4001))) };
    }

    [Theory]
    [MemberData(nameof(EvoLinkProRefusals))]
    public async Task EvoLink_Pro_refuses_what_its_page_does_not_allow_with_no_charge(string why, JsonObject request)
    {
        var (status, body) = await Post(Evo, request);
        Assert.True(status == 400, why + ": " + body);
        Assert.Equal("invalid_request", Error(body).GetProperty("code").GetString());
        await AssertNothingMade();
    }

    [Fact]
    public async Task EvoLink_Pro_takes_ten_references_and_a_long_prompt_within_4000_tokens()
    {
        var (status, body) = await Post(Evo, Body(("model", "doubao-seedream-5.0-pro"), ("prompt", new string('a', 12000)), ("image_urls", Urls(10))));
        Assert.True(status == 200, body.ToString());
        Assert.Equal("doubao-seedream-5.0-pro", body.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData(Ark, "seedream-5-0-pro-260628")]
    [InlineData(Volc, "doubao-seedream-5-0-pro-260628")]
    public async Task ModelArk_Pro_makes_one_image_of_its_tiers(string path, string id)
    {
        foreach (var (size, side) in new[] { ((string)null, 1024), ("1K", 1024), ("1.5K", 1536), ("2K", 2048) })
        {
            var request = Body(("model", id), ("prompt", "p"), ("watermark", false), ("optimize_prompt_options", new JsonObject { ["mode"] = "fast" }));
            if (size != null) request["size"] = size;
            var (status, body) = await Post(path, request);
            Assert.True(status == 200, body.ToString());
            Assert.Equal($"{side}x{side}", Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("size").GetString());
        }
        var (png, answer) = await Post(path, Body(("model", id), ("prompt", "p"), ("output_format", "png")));
        Assert.Equal(200, png);
        Assert.Equal("png", Format(await _http.GetByteArrayAsync(answer.GetProperty("data")[0].GetProperty("url").GetString())));
    }

    public static IEnumerable<object[]> ModelArkProRefusals()
    {
        JsonObject Pro(params (string, JsonNode)[] extra)
        {
            var o = Body(("model", "seedream-5-0-pro-260628"), ("prompt", "a lighthouse"));
            foreach (var (k, v) in extra) o[k] = v;
            return o;
        }
        yield return new object[] { "11 references", Pro(("image", Urls(11))), "image" };
        yield return new object[] { "group output", Pro(("sequential_image_generation", "auto")), "sequential_image_generation" };
        yield return new object[] { "streaming", Pro(("stream", true)), "stream" };
        yield return new object[] { "3K", Pro(("size", "3K")), "size" };
        yield return new object[] { "above 4,624,220 pixels", Pro(("size", "2151x2150")), "size" };
        yield return new object[] { "background none", Pro(("background", "none")), "background" };
        yield return new object[] { "transparent from an opaque PNG", Pro(("background", "transparent"), ("image", DataUrl("png", TinyImages.Png(64, 64)))), "background" };
        yield return new object[] { "prompt over 4000 tokens", Pro(("prompt", string.Concat(Enumerable.Repeat("lighthouse ", 1500)))), "prompt" };
    }

    [Theory]
    [MemberData(nameof(ModelArkProRefusals))]
    public async Task ModelArk_Pro_refuses_what_it_does_not_take_with_no_charge(string why, JsonObject request, string param)
    {
        var (status, body) = await Post(Ark, request);
        Assert.True(status == 400, why + ": " + body);
        Assert.Equal("InvalidParameter", Error(body).GetProperty("code").GetString());
        Assert.Equal(param, Error(body).GetProperty("param").GetString());
        await AssertNothingMade();
    }

    [Fact]
    public async Task ModelArk_Pro_keeps_the_alpha_of_exactly_one_input_image_and_takes_ten_references()
    {
        byte[] alpha = TinyImages.PngWithAlpha(64, 64);
        var (status, body) = await Post(Ark, Body(("model", "seedream-5-0-pro-260628"), ("prompt", "p"), ("background", "transparent"), ("image", DataUrl("png", alpha))));
        Assert.True(status == 200, body.ToString());
        (status, body) = await Post(Ark, Body(("model", "seedream-5-0-pro-260628"), ("prompt", "p"), ("image", Urls(10))));
        Assert.True(status == 200, body.ToString());
    }

    // ---- Seedream 5.0-lite at 4K ----

    [Theory]
    [InlineData(Evo, "doubao-seedream-5.0-lite", "quality", "4K")]
    [InlineData(Evo, "doubao-seedream-5.0-lite", "size", "4096x4096")]
    [InlineData(Evo, "doubao-seedream-5.0-lite", "size", "2560x1440")]
    [InlineData(Evo, "doubao-seedream-5.0-lite", "size", "6240x2656")]
    [InlineData(Ark, "seedream-5-0-260128", "size", "4K")]
    [InlineData(Ark, "seedream-5-0-lite-260128", "size", "4096x4096")]
    [InlineData(Ark, "seedream-5-0-260128", "size", "5504x3040")]
    [InlineData(Volc, "doubao-seedream-5-0-lite-260128", "size", "4K")]
    public async Task Lite_takes_4K_and_up_to_16_777_216_pixels(string path, string model, string field, string value)
    {
        var (status, body) = await Post(path, Body(("model", model), ("prompt", "p"), (field, value)));
        Assert.True(status == 200, body.ToString());
    }

    [Theory]
    [InlineData(Evo, "doubao-seedream-5.0-lite", "quality", "1K")]
    [InlineData(Evo, "doubao-seedream-5.0-lite", "size", "4097x4096")]
    [InlineData(Evo, "doubao-seedream-5.0-lite", "size", "2559x1440")]
    [InlineData(Ark, "seedream-5-0-260128", "size", "1K")]
    [InlineData(Ark, "seedream-5-0-lite-260128", "size", "4097x4096")]
    [InlineData(Volc, "doubao-seedream-5-0-lite-260128", "size", "1K")]
    public async Task Lite_refuses_1K_and_sizes_outside_its_range_with_no_charge(string path, string model, string field, string value)
    {
        var (status, body) = await Post(path, Body(("model", model), ("prompt", "p"), (field, value)));
        Assert.Equal(400, status);
        Assert.Equal(path == Evo ? "invalid_request" : "InvalidParameter", Error(body).GetProperty("code").GetString());
        await AssertNothingMade();
    }

    [Fact]
    public async Task EvoLink_lite_answers_JPEG_by_default_and_PNG_with_model_params_output_format()
    {
        Assert.Equal("jpeg", Format(await EvoLinkImage(Body(("model", "doubao-seedream-5.0-lite"), ("prompt", "p"), ("size", "2560x1440")))));
        byte[] png = await EvoLinkImage(Body(("model", "doubao-seedream-5.0-lite"), ("prompt", "p"), ("size", "2560x1440"), ("model_params", new JsonObject { ["output_format"] = "png" })));
        Assert.Equal("png", Format(png));
        Assert.Equal((2560, 1440), Dimensions(png));
        // 4.x results stay PNG in the simulator (nothing documents them either way).
        Assert.Equal("png", Format(await EvoLinkImage(Body(("model", "doubao-seedream-4.0"), ("prompt", "p"), ("size", "1280x720")))));
    }

    [Fact]
    public async Task EvoLink_lite_takes_web_search_under_model_params_and_prompt_priority_standard()
    {
        var (status, body) = await Post(Evo, Body(("model", "doubao-seedream-5.0-lite"), ("prompt", "this week's weather"), ("prompt_priority", "standard"),
            ("model_params", new JsonObject { ["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search" }), ["output_format"] = "jpeg" })));
        Assert.True(status == 200, body.ToString());
        // Searching is billed on top of the image.
        Assert.Equal(0.032m + 0.0006m, await Spent());

        foreach (var bad in new[]
        {
            Body(("model", "doubao-seedream-5.0-lite"), ("prompt", "p"), ("prompt_priority", "fast")),
            Body(("model", "doubao-seedream-5.0-lite"), ("prompt", "p"), ("model_params", new JsonObject { ["output_format"] = "webp" })),
            Body(("model", "doubao-seedream-5.0-lite"), ("prompt", "p"), ("model_params", new JsonObject { ["tools"] = new JsonArray(new JsonObject { ["type"] = "code" }) })),
        })
        {
            var (refused, answer) = await Post(Evo, bad);
            Assert.True(refused == 400, bad + " -> " + answer);
        }
        Assert.Equal(1, _sim.Host.State.TaskCount);
    }

    // ---- Ratios, references, files ----

    [Theory]
    [InlineData("doubao-seedream-4.0", "1K", 672, 1568)]
    [InlineData("doubao-seedream-4.5", "2K", 1344, 3136)]
    [InlineData("doubao-seedream-5.0-lite", "2K", 1344, 3136)]
    public async Task EvoLink_takes_9_21(string model, string quality, int width, int height)
    {
        byte[] image = await EvoLinkImage(Body(("model", model), ("prompt", "p"), ("size", "9:21"), ("quality", quality)));
        var (w, h) = Dimensions(image);
        // Portrait at about 9:21 (the simulator's own rounding, not the documented table's pixels).
        Assert.True(h > w * 2 && Math.Abs((double)w / h - 9.0 / 21) < 0.02, $"{w}x{h}");
        Assert.True(Math.Abs(w * h - width * height) < width * height / 20, $"{w}x{h} vs {width}x{height}");
    }

    [Fact]
    public async Task ModelArk_takes_HEIC_and_HEIF_references_up_to_30_MB()
    {
        // Over EvoLink's 10 MB, within ModelArk's 30 MB.
        var heic = new byte[12 * 1024 * 1024];
        Encoding.ASCII.GetBytes("\0\0\0\u0018ftypheic").CopyTo(heic, 0);
        var (status, body) = await Post(Ark, Body(("model", "seedream-4-5-251128"), ("prompt", "p"), ("image", new JsonArray(DataUrl("heic", heic), DataUrl("heif", heic[..4096])))));
        Assert.True(status == 200, body.ToString());

        var (refused, answer) = await Post(Ark, Body(("model", "seedream-4-5-251128"), ("prompt", "p"), ("image", DataUrl("heic", new byte[30 * 1024 * 1024 + 1]))));
        Assert.Equal(400, refused);
        Assert.Equal("image", Error(answer).GetProperty("param").GetString());
        Assert.Contains("30 MB", Error(answer).GetProperty("message").GetString());
        (refused, _) = await Post(Ark, Body(("model", "seedream-4-5-251128"), ("prompt", "p"), ("image", DataUrl("svg+xml", heic[..64]))));
        Assert.Equal(400, refused);
        Assert.Equal(1, _sim.Host.State.TaskCount);
    }

    [Fact]
    public async Task Files_quota_is_2000_and_counts_the_files_held()
    {
        var quota = (await Get("evolink-files/api/v1/files/quota")).GetProperty("data");
        Assert.Equal(("default", 2000, 0, 2000), (quota.GetProperty("user_group").GetString(), quota.GetProperty("max_files").GetInt32(),
            quota.GetProperty("used_files").GetInt32(), quota.GetProperty("remain_files").GetInt32()));
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TinyImages.Png(32, 32)), "file", "a.png");
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(new Uri(_sim.Host.FilesUri, "api/v1/files/upload/stream"), form)).StatusCode);
        quota = (await Get("evolink-files/api/v1/files/quota")).GetProperty("data");
        Assert.Equal((1, 1999), (quota.GetProperty("used_files").GetInt32(), quota.GetProperty("remain_files").GetInt32()));
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(_sim.Host.FilesUri, "api/v1/files/quota"))).StatusCode);
    }

    [Fact]
    public async Task Files_api_still_uploads_only_JPEG_PNG_GIF_and_WebP()
    {
        // 5.0 Pro takes HEIC references, but EvoLink's files API does not upload them.
        using var form = new MultipartFormDataContent();
        byte[] heic = new byte[64];
        Encoding.ASCII.GetBytes("\0\0\0\u0018ftypheic").CopyTo(heic, 0);
        form.Add(new ByteArrayContent(heic), "file", "photo.heic");
        var response = await _http.PostAsync(new Uri(_sim.Host.FilesUri, "api/v1/files/upload/stream"), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _sim.Host.State.FileCount);
    }

    // ---- EvoLink task ids and error body ----

    [Theory]
    [InlineData("abc123")]
    [InlineData("task-1757165031-x")]
    [InlineData("TASK-UNIFIED-1-x")]
    public async Task EvoLink_task_query_refuses_ids_not_starting_task_unified(string id)
    {
        var response = await _http.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/" + id));
        Assert.Equal(400, (int)response.StatusCode);
        var error = Error(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        Assert.Equal(("invalid_task_id", "invalid_request_error", "task_id"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("task-unified-", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task EvoLink_unknown_task_is_404_task_not_found_in_both_shapes()
    {
        var response = await _http.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/task-unified-1-nothere"));
        Assert.Equal(404, (int)response.StatusCode);
        var error = Error(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        Assert.Equal(("task_not_found", "invalid_request_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
        Assert.False(error.TryGetProperty("param", out _));

        await Control("_sim/config", "{\"evoLinkLegacyErrors\":true}");
        response = await _http.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/task-unified-1-nothere"));
        error = Error(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        Assert.Equal(("invalid_task_id", "not_found_error", "task_id"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
    }

    [Fact]
    public async Task EvoLink_errors_have_string_codes_and_no_param_or_fallback_suggestion_by_default()
    {
        var expected = new List<(int, string, string)>();
        var seen = new List<(int, string, string)>();
        async Task Check(HttpResponseMessage response, int status, string code, string type)
        {
            var error = Error(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
            expected.Add((status, code, type));
            seen.Add(((int)response.StatusCode, error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
            Assert.False(error.TryGetProperty("param", out _), error.ToString());
            Assert.False(error.TryGetProperty("fallback_suggestion", out _), error.ToString());
        }
        StringContent Json(string s) => new(s, Encoding.UTF8, "application/json");
        var create = new Uri(_sim.Host.EvoLinkUri, "v1/images/generations");

        await Check(await _http.PostAsync(create, Json("{\"model\":\"doubao-seedream-4.5\",\"prompt\":\"p\",\"quality\":\"1K\"}")), 400, "invalid_request", "invalid_request_error");
        using (var wrongKey = new HttpClient())
        {
            wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
            await Check(await wrongKey.PostAsync(create, Json("{\"prompt\":\"p\"}")), 401, "unauthorized", "authentication_error");
            await Check(await wrongKey.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/task-unified-1-x")), 401, "unauthorized", "authentication_error");
        }
        await Control("_sim/config", "{\"balance\":0}");
        await Check(await _http.PostAsync(create, Json("{\"prompt\":\"p\"}")), 402, "insufficient_quota", "insufficient_quota");
        await Control("_sim/config", "{\"balance\":1000}");
        await Control("_sim/faults", "[{\"target\":\"evolink.create\",\"kind\":\"Status\",\"status\":429,\"retryAfterSeconds\":7},{\"target\":\"evolink.create\",\"kind\":\"Status\",\"status\":500}," +
            "{\"target\":\"evolink.query\",\"kind\":\"Status\",\"status\":429},{\"target\":\"evolink.query\",\"kind\":\"Status\",\"status\":500}]");
        var limited = await _http.PostAsync(create, Json("{\"prompt\":\"p\"}"));
        Assert.Equal("7", limited.Headers.GetValues("Retry-After").Single());
        await Check(limited, 429, "rate_limit_exceeded", "rate_limit_error");
        await Check(await _http.PostAsync(create, Json("{\"prompt\":\"p\"}")), 500, "internal_error", "api_error");
        await Check(await _http.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/task-unified-1-x")), 429, "rate_limit_exceeded", "evo_api_error");
        await Check(await _http.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/task-unified-1-x")), 500, "internal_error", "api_error");
        await Control("_sim/faults", "[{\"target\":\"evolink.create\",\"kind\":\"Status\",\"status\":403},{\"target\":\"evolink.query\",\"kind\":\"Status\",\"status\":402}," +
            "{\"target\":\"evolink.query\",\"kind\":\"Status\",\"status\":403}]");
        await Check(await _http.PostAsync(create, Json("{\"prompt\":\"p\"}")), 403, "model_access_denied", "invalid_request_error");
        await Check(await _http.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/task-unified-1-x")), 402, "quota_exceeded", "insufficient_quota");
        await Check(await _http.GetAsync(new Uri(_sim.Host.EvoLinkUri, "v1/tasks/task-unified-1-x")), 403, "permission_denied", "invalid_request_error");
        Assert.Equal(expected, seen);
        Assert.Equal(0, _sim.Host.State.TaskCount);
    }

    [Fact]
    public async Task EvoLink_legacy_error_shape_is_still_available_through_sim_config()
    {
        await Control("_sim/config", "{\"evoLinkLegacyErrors\":true,\"balance\":0}");
        var (status, body) = await Post(Evo, "{\"prompt\":\"p\"}");
        Assert.Equal(402, status);
        Assert.Equal(("insufficient_quota", "insufficient_quota_error"), (Error(body).GetProperty("code").GetString(), Error(body).GetProperty("type").GetString()));
        Assert.True(Error(body).TryGetProperty("fallback_suggestion", out _));
        (status, body) = await Post(Evo, "{\"model\":\"doubao-seedream-4.5\",\"prompt\":\"p\",\"quality\":\"1K\"}");
        Assert.Equal((400, "quality", "invalid_parameters"), (status, Error(body).GetProperty("param").GetString(), Error(body).GetProperty("code").GetString()));
        await Control("_sim/faults", "[{\"target\":\"evolink.create\",\"kind\":\"Status\",\"status\":429}]");
        (status, body) = await Post(Evo, "{\"prompt\":\"p\"}");
        Assert.Equal((429, JsonValueKind.Number, "retry after 60 seconds"), (status, Error(body).GetProperty("code").ValueKind, Error(body).GetProperty("fallback_suggestion").GetString()));
    }

    [Fact]
    public async Task Command_line_takes_the_legacy_error_switch_and_the_per_image_latency()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "SeedreamPS.Simulator.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:0 --latency-ms 0 --evolink-legacy-errors --modelark-image-latency-ms 1")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            var url = new Uri(await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            var response = await _http.PostAsync(new Uri(url, Evo), new StringContent("{\"model\":\"doubao-seedream-4.5\",\"prompt\":\"p\",\"quality\":\"1K\"}", Encoding.UTF8, "application/json"));
            var error = Error(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
            Assert.Equal(("quality", "invalid_parameters"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
            var streamed = await _http.PostAsync(new Uri(url, Ark), new StringContent(Batch("seedream-4-0-250828", 2).ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Contains("data: [DONE]", await streamed.Content.ReadAsStringAsync());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    // ---- ModelArk streaming and inline images ----

    private sealed record SseEvent(string Event, JsonElement Data);

    /// <summary>Reads server-sent events until [DONE] or the end of the stream; a stream broken off ends in an exception,
    /// which is returned beside the events read before it.</summary>
    private static async Task<(List<SseEvent> Events, bool Done, Exception Broken)> ReadEvents(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            string name = null;
            for (string line; (line = await reader.ReadLineAsync()) != null;)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line == "data: [DONE]") return (events, true, null);
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(new SseEvent(name, JsonDocument.Parse(line[6..]).RootElement.Clone()));
                    name = null;
                }
            }
            return (events, false, null);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return (events, false, e);
        }
    }

    private async Task<HttpResponseMessage> Stream(JsonObject body, string path = Ark)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_sim.Host.BaseUri, path)) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static JsonObject Batch(string model, int images, params (string, JsonNode)[] extra)
    {
        var o = Body(("model", model), ("prompt", $"generate {images} different images"), ("stream", true), ("size", "1K"),
            ("sequential_image_generation", "auto"), ("sequential_image_generation_options", new JsonObject { ["max_images"] = images }));
        foreach (var (k, v) in extra) o[k] = v;
        return o;
    }

    [Fact]
    public async Task ModelArk_streams_each_image_as_it_is_made_then_completed_and_DONE()
    {
        await Control("_sim/config", "{\"modelArkImageLatencyMs\":150}");
        using var response = await Stream(Batch("seedream-4-0-250828", 3));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var (events, done, broken) = await ReadEvents(response);
        Assert.Null(broken);
        Assert.True(done, "no data: [DONE]");

        // The event: line equals the JSON's type; one partial_succeeded per image in order, then completed.
        Assert.All(events, e => Assert.Equal(e.Event, e.Data.GetProperty("type").GetString()));
        Assert.Equal(new[] { "image_generation.partial_succeeded", "image_generation.partial_succeeded", "image_generation.partial_succeeded", "image_generation.completed" }, events.Select(e => e.Event));
        for (int i = 0; i < 3; i++)
        {
            var image = events[i].Data;
            Assert.Equal(i, image.GetProperty("image_index").GetInt32());
            Assert.Equal("seedream-4-0-250828", image.GetProperty("model").GetString());
            Assert.True(image.GetProperty("created").GetInt64() > 0);
            Assert.Equal("1024x1024", image.GetProperty("size").GetString());
            Assert.Equal("jpeg", Format(await _http.GetByteArrayAsync(image.GetProperty("url").GetString())));
        }
        var usage = events[3].Data.GetProperty("usage");
        Assert.Equal((3, 3 * 1024 * 1024 / 256), (usage.GetProperty("generated_images").GetInt32(), usage.GetProperty("output_tokens").GetInt32()));
        Assert.Equal(3, await Billed("modelark"));

        // The simulator's own record of the order: image i made no earlier than i x 150 ms after the request arrived, the
        // headers sent with the first image, and each event sent before the next image was made.
        var stream = Assert.Single((await Get("_sim/batches")).EnumerateArray());
        Assert.True(stream.GetProperty("streamed").GetBoolean());
        Assert.Equal("completed", stream.GetProperty("outcome").GetString());
        var made = stream.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(3, made.Count);
        for (int i = 0; i < 3; i++) Assert.True(made[i].GetProperty("madeMs").GetDouble() >= 150 * (i + 1), made[i].ToString());
        Assert.True(stream.GetProperty("headersSentMs").GetDouble() >= made[0].GetProperty("madeMs").GetDouble());
        for (int i = 0; i < 2; i++) Assert.True(made[i].GetProperty("sentMs").GetDouble() <= made[i + 1].GetProperty("madeMs").GetDouble());
    }

    [Fact]
    public async Task ModelArk_stream_reports_a_refused_image_and_goes_on_with_the_others()
    {
        await Control("_sim/faults", "[{\"target\":\"modelark.create\",\"kind\":\"PartialFail\",\"imageIndex\":1,\"errorCode\":\"OutputImageSensitiveContentDetected\"}]");
        using var response = await Stream(Batch("seedream-4-5-251128", 3, ("size", "2K")));
        var (events, done, _) = await ReadEvents(response);
        Assert.True(done);
        Assert.Equal(new[] { "image_generation.partial_succeeded", "image_generation.partial_failed", "image_generation.partial_succeeded", "image_generation.completed" }, events.Select(e => e.Event));
        Assert.Equal(new[] { 0, 1, 2 }, events.Take(3).Select(e => e.Data.GetProperty("image_index").GetInt32()));
        var error = events[1].Data.GetProperty("error");
        Assert.Equal("OutputImageSensitiveContentDetected", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(events[1].Data.TryGetProperty("url", out _));
        Assert.Equal(2, events[3].Data.GetProperty("usage").GetProperty("generated_images").GetInt32());
        Assert.Equal(2, await Billed("modelark"));
        Assert.Equal(2 * 0.04m, await Spent());
    }

    [Fact]
    public async Task ModelArk_non_streamed_batch_puts_the_refused_image_at_its_index()
    {
        await Control("_sim/faults", "[{\"target\":\"modelark.create\",\"kind\":\"PartialFail\",\"imageIndex\":0}]");
        var request = Batch("seedream-4-0-250828", 3);
        request.Remove("stream");
        var (status, body) = await Post(Ark, request);
        Assert.Equal(200, status);
        var data = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3, data.Count);
        Assert.True(data[0].TryGetProperty("error", out _));
        Assert.All(data.Skip(1), d => Assert.True(d.TryGetProperty("url", out _)));
        Assert.Equal(2, body.GetProperty("usage").GetProperty("generated_images").GetInt32());
        Assert.Equal(2, await Billed("modelark"));
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(2, 2)]
    public async Task ModelArk_stream_broken_off_keeps_what_arrived_and_bills_only_that(int images, int afterImages)
    {
        await Control("_sim/faults", $"[{{\"target\":\"modelark.create\",\"kind\":\"StreamBreak\",\"afterImages\":{afterImages}}}]");
        using var response = await Stream(Batch("seedream-5-0-260128", images, ("size", "2K")));
        var (events, done, broken) = await ReadEvents(response);
        // Broken off: no completed event and no [DONE], whether images were still to come or not.
        Assert.False(done);
        Assert.NotNull(broken);
        Assert.Equal(new[] { 0, 1 }, events.Select(e => e.Data.GetProperty("image_index").GetInt32()));
        Assert.All(events, e => Assert.Equal("image_generation.partial_succeeded", e.Event));
        // What arrived is real: its URLs serve the images.
        foreach (var e in events) Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(e.Data.GetProperty("url").GetString())).StatusCode);
        Assert.Equal("broken", Assert.Single((await Get("_sim/batches")).EnumerateArray()).GetProperty("outcome").GetString());
        Assert.Equal(2, await Billed("modelark"));
        Assert.Equal(2 * 0.04m, await Spent());
    }

    [Fact]
    public async Task ModelArk_stream_validation_failure_is_a_400_JSON_body()
    {
        using var response = await Stream(Batch("seedream-5-0-260128", 2, ("size", "1K")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var error = Error(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        Assert.Equal(("InvalidParameter", "size"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        await AssertNothingMade();
        Assert.Empty((await Get("_sim/batches")).EnumerateArray());
    }

    [Fact]
    public async Task ModelArk_b64_json_carries_the_image_bytes_plain_and_streamed()
    {
        var plain = Body(("model", "seedream-4-0-250828"), ("prompt", "p"), ("size", "1280x720"), ("response_format", "b64_json"));
        var (status, body) = await Post(Ark, plain);
        Assert.Equal(200, status);
        var entry = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.False(entry.TryGetProperty("url", out _));
        byte[] bytes = Convert.FromBase64String(entry.GetProperty("b64_json").GetString());
        Assert.Equal(("jpeg", (1280, 720), "1280x720"), (Format(bytes), Dimensions(bytes), entry.GetProperty("size").GetString()));

        using var response = await Stream(Batch("seedream-5-0-260128", 2, ("size", "2560x1440"), ("response_format", "b64_json"), ("output_format", "png")));
        var (events, done, _) = await ReadEvents(response);
        Assert.True(done);
        foreach (var e in events.Take(2))
        {
            Assert.False(e.Data.TryGetProperty("url", out _));
            byte[] image = Convert.FromBase64String(e.Data.GetProperty("b64_json").GetString());
            Assert.Equal(("png", (2560, 1440)), (Format(image), Dimensions(image)));
        }
        Assert.Equal(3, await Billed("modelark"));
    }

    [Fact]
    public async Task ModelArk_per_image_latency_makes_a_plain_batch_wait_for_its_last_image()
    {
        await Control("_sim/config", "{\"modelArkImageLatencyMs\":100}");
        var request = Batch("seedream-4-0-250828", 3);
        request["stream"] = false;
        var (status, body) = await Post(Ark, request);
        Assert.Equal(200, status);
        Assert.Equal(3, body.GetProperty("data").GetArrayLength());
        // The simulator's own record: it answered no earlier than the third image's time, 3 x 100 ms.
        var batch = Assert.Single((await Get("_sim/batches")).EnumerateArray());
        Assert.Equal(("answered", false), (batch.GetProperty("outcome").GetString(), batch.GetProperty("streamed").GetBoolean()));
        Assert.True(batch.GetProperty("headersSentMs").GetDouble() >= 300, batch.ToString());
    }
}
