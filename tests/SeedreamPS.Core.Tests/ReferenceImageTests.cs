using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.References;
using SeedreamPS.Core.Requests;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Local reference images: headers of every format, the documented rules, upload and reuse on EvoLink.</summary>
public class ReferenceImageTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public ReferenceImageTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    public static IEnumerable<object[]> Formats() => new[]
    {
        new object[] { "png", TinyImages.Png(640, 480), 640, 480 },
        new object[] { "jpeg", TinyImages.Jpeg(1920, 1080), 1920, 1080 },
        new object[] { "gif", TinyImages.Gif(300, 200), 300, 200 },
        new object[] { "bmp", TinyImages.Bmp(800, 600), 800, 600 },
        new object[] { "webp", TinyImages.WebPLossy(1024, 768), 1024, 768 },
        new object[] { "webp", TinyImages.WebPLossless(4000, 3000), 4000, 3000 },
        new object[] { "webp", TinyImages.WebPExtended(5000, 100), 5000, 100 },
        new object[] { "tiff", TinyImages.Tiff(1200, 900, littleEndian: true), 1200, 900 },
        new object[] { "tiff", TinyImages.Tiff(1200, 900, littleEndian: false), 1200, 900 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Headers_of_every_format_give_format_and_size(string format, byte[] bytes, int width, int height)
    {
        var header = ImageHeader.Read(new MemoryStream(bytes));
        Assert.NotNull(header);
        Assert.Equal((format, width, height), (header.Format, header.Width, header.Height));
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 })]
    [InlineData(new byte[] { 0x7B, 0x7D })]
    public void Cut_or_foreign_headers_read_as_no_image(byte[] bytes) => Assert.Null(ImageHeader.Read(new MemoryStream(bytes)));

    private static ModelInfo Evo => ModelCatalog.Find(SeedreamGateway.EvoLink, "4.0");

    [Fact]
    public void Rules_reject_non_images_large_files_tiny_extreme_and_huge_images()
    {
        using var folder = new TempFolder();
        string Write(string name, byte[] bytes) { File.WriteAllBytes(folder.File(name), bytes); return folder.File(name); }
        Assert.Null(LocalReference.Check(Write("ok.png", TinyImages.Png(640, 480)), Evo));
        Assert.Contains("not an image", LocalReference.Check(Write("notes.png", System.Text.Encoding.UTF8.GetBytes("hello world, not a picture")), Evo));
        var big = new byte[11 * 1024 * 1024];
        TinyImages.Png(640, 480).CopyTo(big, 0);
        Assert.Contains("at most 10 MB", LocalReference.Check(Write("big.png", big), Evo));
        Assert.Contains("larger than 14 pixels", LocalReference.Check(Write("tiny.png", TinyImages.Png(10, 10)), Evo));
        Assert.Null(LocalReference.Check(Write("edge.png", TinyImages.Png(15, 15)), Evo));
        Assert.Contains("between 1/16 and 16", LocalReference.Check(Write("strip.png", TinyImages.Png(2000, 100)), Evo));
        Assert.Null(LocalReference.Check(Write("sixteen.png", TinyImages.Png(1600, 100)), Evo));
        Assert.Contains("6000x6000", LocalReference.Check(Write("huge.png", TinyImages.Png(6001, 6000)), Evo));
        Assert.Null(LocalReference.Check(Write("max.png", TinyImages.Png(6000, 6000)), Evo));
        Assert.Contains("neither an http(s) URL nor an existing file", LocalReference.Check(folder.File("missing.png"), Evo));
    }

    [Fact]
    public void Bmp_and_tiff_cannot_go_through_EvoLink_uploads()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("scan.bmp"), TinyImages.Bmp(800, 600));
        Assert.Contains("uploads only JPEG, PNG, GIF or WebP", LocalReference.Check(folder.File("scan.bmp"), Evo));
    }

    [Fact]
    public async Task Local_files_are_uploaded_once_and_sent_as_urls_on_EvoLink()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("logo.png"), TinyImages.Png(640, 480));
        var client = _sim.Client(SeedreamGateway.EvoLink, configure: c => c.FilesBaseUri = _sim.Host.FilesUri);
        var request = new SeedreamRequest { Prompt = "put the logo on a mug", ReferenceImages = new List<string> { folder.File("logo.png"), "https://example.com/style.png" } };
        var first = await client.CreateTaskAsync(request);
        var second = await client.CreateTaskAsync(request);
        Assert.Equal(1, _sim.Host.State.Count("files.upload"));
        Assert.Equal(2, _sim.Host.State.Count("evolink.create"));
        // The request keeps what the user gave; the gateway got the uploaded URL.
        Assert.Equal(folder.File("logo.png"), first.Request.ReferenceImages[0]);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task A_failed_upload_sends_no_create_and_is_tried_again_next_time()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("logo.png"), TinyImages.Png(640, 480));
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0, configure: c => c.FilesBaseUri = _sim.Host.FilesUri);
        _sim.Host.State.AddFaults(new[] { new Simulator.FaultRule { Target = "files.upload", Kind = Simulator.FaultKind.Status, Status = 503 } });
        var request = new SeedreamRequest { Prompt = "p", ReferenceImages = new List<string> { folder.File("logo.png") } };
        await Assert.ThrowsAsync<Http.SeedreamApiException>(() => client.CreateTaskAsync(request));
        Assert.Equal(0, _sim.Host.State.Count("evolink.create"));
        await client.CreateTaskAsync(request);
        Assert.Equal(2, _sim.Host.State.Count("files.upload"));
        Assert.Equal(1, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task A_gateway_elsewhere_with_the_public_files_API_uploads_nothing_and_says_to_give_FilesBaseUri()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("ref.png"), TinyImages.Png(640, 480));
        var client = _sim.Client(SeedreamGateway.EvoLink);
        Assert.False(client.Connection.FilesBaseUriGiven);
        var e = await Assert.ThrowsAsync<SeedreamException>(() => client.UploadReferenceAsync(folder.File("ref.png")));
        Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
        Assert.Contains("-FilesBaseUri", e.Message);
        Assert.Equal(0, _sim.Host.State.Count("files.upload"));
    }

    [Fact]
    public async Task A_files_API_that_cannot_be_reached_is_named_by_its_host()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("ref.png"), TinyImages.Png(640, 480));
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0, configure: c => c.FilesBaseUri = new Uri("http://127.0.0.1:9/files"));
        var e = await Assert.ThrowsAsync<SeedreamApiException>(() => client.UploadReferenceAsync(folder.File("ref.png")));
        Assert.Contains("EvoLink's files API at 127.0.0.1:9", e.Message);
    }

    [Fact]
    public async Task Two_files_of_one_name_from_two_folders_are_two_uploads_each_served_as_itself()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("a"));
        Directory.CreateDirectory(folder.File("b"));
        byte[] a = TinyImages.Png(640, 480), b = TinyImages.Png(800, 600);
        File.WriteAllBytes(folder.File(Path.Combine("a", "ref.png")), a);
        File.WriteAllBytes(folder.File(Path.Combine("b", "ref.png")), b);
        // The same content under another name and path is the same upload.
        File.WriteAllBytes(folder.File("copy-of-a.png"), a);
        var client = _sim.Client(SeedreamGateway.EvoLink, configure: c => c.FilesBaseUri = _sim.Host.FilesUri);
        string urlA = await client.UploadReferenceAsync(folder.File(Path.Combine("a", "ref.png")));
        string urlB = await client.UploadReferenceAsync(folder.File(Path.Combine("b", "ref.png")));
        Assert.Equal(urlA, await client.UploadReferenceAsync(folder.File("copy-of-a.png")));
        Assert.NotEqual(urlA, urlB);
        Assert.Equal(2, _sim.Host.State.Count("files.upload"));
        using var http = new HttpClient();
        Assert.Equal(a, await http.GetByteArrayAsync(urlA));
        Assert.Equal(b, await http.GetByteArrayAsync(urlB));
    }

    [Fact]
    public async Task The_files_API_overwrites_by_name_as_documented()
    {
        // Why uploads are named by their content: the same name twice serves the second file at the first URL.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sim.Host.State.Options.ApiKey);
        async Task<string> Upload(byte[] bytes)
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "ref.png" } };
            var answer = await http.PostAsync(new Uri(_sim.Host.FilesUri, "api/v1/files/upload/stream"), form);
            using var doc = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            return doc.RootElement.GetProperty("data").GetProperty("file_url").GetString()!;
        }
        string first = await Upload(TinyImages.Png(640, 480));
        byte[] second = TinyImages.Png(800, 600);
        Assert.Equal(first, await Upload(second));
        Assert.Equal(second, await http.GetByteArrayAsync(first));
    }

    [Fact]
    public async Task A_full_files_quota_is_a_clear_error_and_nothing_is_created()
    {
        _sim.Host.State.Options.FilesQuota = 1;
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("one.png"), TinyImages.Png(640, 480));
        File.WriteAllBytes(folder.File("two.png"), TinyImages.Png(800, 600));
        var client = _sim.Client(SeedreamGateway.EvoLink, retries: 0, configure: c => c.FilesBaseUri = _sim.Host.FilesUri);
        await client.UploadReferenceAsync(folder.File("one.png"));
        var e = await Assert.ThrowsAsync<Http.SeedreamApiException>(() =>
            client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", ReferenceImages = new List<string> { folder.File("two.png") } }));
        Assert.Equal("40003", e.ErrorCode);
        Assert.Contains("quota is full", e.Message);
        Assert.Equal(0, _sim.Host.State.Count("evolink.create"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Uploads_are_deleted_once_every_task_that_used_them_has_finished_unless_kept(bool keep)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("logo.png"), TinyImages.Png(640, 480));
        var client = _sim.Client(SeedreamGateway.EvoLink, configure: c => c.FilesBaseUri = _sim.Host.FilesUri);
        var events = await EngineHelpers.RunBatch(new Batch.BatchOptions
        {
            Clients = Client.ClientSet.Of(client),
            KeepUploads = keep,
            Save = new Storage.SaveOptions { Folder = folder.File("out") },
        }, batch =>
        {
            // Two tasks share one upload (same content): it goes only after both finished.
            batch.Submit(new SeedreamRequest { Prompt = "a", ReferenceImages = new List<string> { folder.File("logo.png") } }, null, null, "a");
            batch.Submit(new SeedreamRequest { Prompt = "b", ReferenceImages = new List<string> { folder.File("logo.png") } }, null, null, "b");
        });
        Assert.Equal(2, events.Count(e => e.Kind == Batch.BatchEventKind.Saved));
        Assert.Equal(1, _sim.Host.State.Count("files.upload"));
        Assert.Equal(keep ? 0 : 1, _sim.Host.State.Count("files.delete"));
        Assert.Equal(keep ? 1 : 0, _sim.Host.State.FileCount);
        // The next request for the same content uploads it again.
        await client.CreateTaskAsync(new SeedreamRequest { Prompt = "c", ReferenceImages = new List<string> { folder.File("logo.png") } });
        Assert.Equal(keep ? 1 : 2, _sim.Host.State.Count("files.upload"));
    }

    [Fact]
    public void LinkModel_takes_only_urls()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("logo.png"), TinyImages.Png(640, 480));
        var e = Assert.Throws<SeedreamValidationException>(() => RequestValidator.Validate(new SeedreamRequest { Prompt = "p", ReferenceImages = new List<string> { folder.File("logo.png") } }, SeedreamGateway.LinkModel));
        Assert.Contains("LinkModel takes reference images only as URLs", e.Message);
    }

    [Fact]
    public void A_file_uri_names_a_local_file()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("logo.png"), TinyImages.Png(640, 480));
        string uri = new Uri(folder.File("logo.png")).AbsoluteUri;
        Assert.False(LocalReference.IsUrl(uri));
        Assert.Equal(folder.File("logo.png"), LocalReference.PathOf(uri));
        Assert.NotNull(RequestValidator.Validate(new SeedreamRequest { Prompt = "p", ReferenceImages = new List<string> { uri } }, SeedreamGateway.EvoLink));
    }
}
