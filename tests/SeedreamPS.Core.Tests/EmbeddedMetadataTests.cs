using System.Text;
using MetadataExtractor;
using MetadataExtractor.Formats.Xmp;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SkiaSharp;
using Xunit;
using Directory = System.IO.Directory;

namespace SeedreamPS.Core.Tests;

/// <summary>Every saved PNG and JPEG says, inside the file, that AI made it and what made it; independent readers
/// (ExifTool, MetadataExtractor) agree, the pixels are the served ones, and the rest of saving still holds.</summary>
public class EmbeddedMetadataTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public EmbeddedMetadataTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private const string Prompt = "a <hero> banner & \"quotes\" — über ünïcode 🚀";

    private async Task<List<SavedImage>> SaveThroughTheEngine(SeedreamGateway gateway, TempFolder folder, TaskJournal journal, SaveOptions save, int count = 2)
    {
        save.Folder = folder.File("out");
        save.FileNameTemplate = "{Name}-{Index}{Ext}";
        var events = await EngineHelpers.RunBatch(new BatchOptions { Journal = journal, Clients = ClientSet.Of(_sim.Client(gateway)), Save = save },
            batch => batch.Submit(new SeedreamRequest { Prompt = Prompt, Size = "1:1", Count = count }, null,
                new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase) { ["Name"] = "hero", ["Campaign"] = "spring <26>", ["Secret"] = "do-not-publish" }, "row"));
        var failed = events.FirstOrDefault(e => e.Error != null);
        Assert.True(failed == null, failed?.Error?.ToString());
        return events.Where(e => e.Saved != null).Select(e => e.Saved).OrderBy(s => s.Path).ToList();
    }

    private static async Task<byte[]> Served(SavedImage saved)
    {
        using var http = new HttpClient();
        return await http.GetByteArrayAsync(saved.Image.Url);
    }

    private static SKBitmap Decode(byte[] bytes)
    {
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    private static void AssertSamePixels(byte[] served, byte[] saved)
    {
        using var a = Decode(served);
        using var b = Decode(saved);
        Assert.Equal((a.Width, a.Height, a.ColorType), (b.Width, b.Height, b.ColorType));
        Assert.True(a.GetPixelSpan().SequenceEqual(b.GetPixelSpan()), "the saved image decodes to other pixels than the served one");
    }

    private static IDictionary<string, string> XmpOf(string file)
    {
        var directories = ImageMetadataReader.ReadMetadata(file);
        var xmp = Assert.Single(directories.OfType<XmpDirectory>());
        return xmp.GetXmpProperties();
    }

    [ExifToolTheory]
    [InlineData(SeedreamGateway.EvoLink, "png")]
    [InlineData(SeedreamGateway.LinkModel, "png")]
    [InlineData(SeedreamGateway.ModelArk, "jpeg")]
    public async Task Every_gateway_s_images_carry_the_AI_mark_that_ExifTool_and_MetadataExtractor_read(SeedreamGateway gateway, string format)
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var saved = await SaveThroughTheEngine(gateway, folder, journal, new SaveOptions { EmbedColumns = new[] { "campaign" } });
        Assert.Equal(2, saved.Count);
        foreach (var file in saved)
        {
            Assert.Equal(format, file.Format);
            Assert.Equal(EmbeddedMetadata.TrainedAlgorithmicMedia, file.DigitalSourceType);
            var task = file.Task;

            var exif = ExifTool.Tags(file.Path);
            Assert.Equal(EmbeddedMetadata.TrainedAlgorithmicMedia, exif["XMP-iptcExt:DigitalSourceType"]);
            Assert.Equal("SeedreamPS " + ImageProvenance.CurrentModuleVersion, exif["XMP-xmp:CreatorTool"]);
            Assert.Equal(task.Model, exif["XMP-seedreamps:Model"]);
            Assert.Equal(gateway.ToString(), exif["XMP-seedreamps:Gateway"]);
            Assert.Equal(task.Id, exif["XMP-seedreamps:TaskId"]);
            Assert.Equal(file.Image.Index.ToString(), exif["XMP-seedreamps:ImageIndex"].Trim('"'));
            Assert.Contains("spring <26>", exif["XMP-seedreamps:ColumnsValue"]);
            Assert.False(exif.ContainsKey("ExifTool:Warning"), exif.GetValueOrDefault("ExifTool:Warning"));
            Assert.DoesNotContain(exif.Keys, k => k.EndsWith(":AIPromptInformation", StringComparison.Ordinal));

            var xmp = XmpOf(file.Path);
            Assert.Equal(EmbeddedMetadata.TrainedAlgorithmicMedia, xmp["Iptc4xmpExt:DigitalSourceType"]);
            Assert.Equal(task.Id, xmp["seedreamps:TaskId"]);
            Assert.Equal(task.Model, xmp["seedreamps:Model"]);
            Assert.Equal(file.Image.Index.ToString(), xmp["seedreamps:ImageIndex"]);
            Assert.Equal(task.Model, xmp["Iptc4xmpExt:AISystemVersionUsed"]);
            Assert.StartsWith(task.CreatedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm"), xmp["xmp:CreateDate"]);

            // Never the prompt (not asked), a column not asked for, the key, or the signed result URL.
            string text = Encoding.Latin1.GetString(File.ReadAllBytes(file.Path));
            Assert.DoesNotContain("hero&gt; banner", text);
            Assert.DoesNotContain("hero> banner", text);
            Assert.DoesNotContain("do-not-publish", text);
            Assert.DoesNotContain(_sim.Host.State.Options.ApiKey, text);
            Assert.DoesNotContain(file.Image.Url.Query.TrimStart('?'), text);
            Assert.DoesNotContain("/images/", text);

            // The pixels are the served ones, the file is as long as the journal says, and the journal still knows it.
            var served = await Served(file);
            AssertSamePixels(served, File.ReadAllBytes(file.Path));
            Assert.Equal(new FileInfo(file.Path).Length, file.Length);
            Assert.True(file.Length > served.Length);
            Assert.True(journal.WasSavedTo(task.Id, file.Image.Index, file.Path));
        }
    }

    [Fact]
    public async Task A_moved_file_with_no_sidecar_and_no_journal_still_says_what_made_it()
    {
        using var folder = new TempFolder();
        var saved = await SaveThroughTheEngine(SeedreamGateway.ModelArk, folder, new TaskJournal(folder.File("journal.jsonl")), new SaveOptions { EmbedColumns = new[] { "*" } }, count: 1);
        var file = Assert.Single(saved);
        string moved = folder.File("elsewhere.jpg");
        File.Move(file.Path, moved);
        var info = ImageProvenance.Read(moved, journal: null);
        Assert.Equal(("embedded", file.Task.Id, 0, "ModelArk", file.Task.Model), (info.Source, info.TaskId, info.ImageIndex, info.Gateway, info.Model));
        Assert.Equal(EmbeddedMetadata.TrainedAlgorithmicMedia, info.DigitalSourceType);
        Assert.Equal(ImageProvenance.CurrentModuleVersion, info.ModuleVersion);
        Assert.Equal(("spring <26>", "do-not-publish", "hero"), ((string)info.Columns["Campaign"], (string)info.Columns["Secret"], (string)info.Columns["Name"]));
        Assert.Null(info.Prompt);
        Assert.Equal("jpeg", info.Format);
        Assert.Equal(file.Task.CreatedAt!.Value.ToUnixTimeSeconds(), info.CreatedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task In_place_the_packet_comes_first_and_the_journal_fills_in_the_prompt()
    {
        using var folder = new TempFolder();
        var journal = new TaskJournal(folder.File("journal.jsonl"));
        var file = (await SaveThroughTheEngine(SeedreamGateway.EvoLink, folder, journal, new SaveOptions(), count: 1))[0];
        var info = ImageProvenance.Read(file.Path, journal);
        Assert.Equal(("embedded", file.Task.Id, Prompt, "png"), (info.Source, info.TaskId, info.Prompt, info.Format));
        Assert.Equal("hero", info.Columns["Name"]);
    }

    [Fact]
    public async Task The_prompt_goes_in_only_when_asked_and_NoEmbeddedMetadata_saves_the_file_as_served()
    {
        using var folder = new TempFolder();
        var withPrompt = (await SaveThroughTheEngine(SeedreamGateway.EvoLink, folder, null, new SaveOptions { EmbedPrompt = true }, count: 1))[0];
        Assert.Equal(Prompt, XmpOf(withPrompt.Path)["Iptc4xmpExt:AIPromptInformation"]);
        Assert.Equal(Prompt, ImageProvenance.Read(withPrompt.Path, journal: null).Prompt);
        Assert.Empty(EmbeddedMetadata.Read(withPrompt.Path).Columns);

        using var plainFolder = new TempFolder();
        var plain = (await SaveThroughTheEngine(SeedreamGateway.ModelArk, plainFolder, null, new SaveOptions { EmbedMetadata = false }, count: 1))[0];
        Assert.Equal(await Served(plain), File.ReadAllBytes(plain.Path));
        Assert.Null(plain.DigitalSourceType);
        Assert.Null(EmbeddedMetadata.Read(plain.Path));
        Assert.Null(ImageProvenance.Read(plain.Path, journal: null));
    }

    [Theory]
    [InlineData(SeedreamGateway.EvoLink)]
    [InlineData(SeedreamGateway.ModelArk)]
    public async Task A_download_truncated_mid_way_leaves_nothing_behind(SeedreamGateway gateway)
    {
        using var folder = new TempFolder();
        _sim.Host.State.AddFaults(new[] { new Simulator.FaultRule { Target = "image", Kind = Simulator.FaultKind.Truncate, Times = 10 } });
        var client = _sim.Client(gateway, retries: 1);
        var events = await EngineHelpers.RunBatch(new BatchOptions
        {
            Clients = ClientSet.Of(client),
            Save = new SaveOptions { Folder = folder.File("out"), FileNameTemplate = "{Index}{Ext}" },
        }, batch => batch.Submit(new SeedreamRequest { Prompt = "p", Size = "1:1" }, null, null, "row"));
        var failed = Assert.Single(events, e => e.Kind == BatchEventKind.Failed);
        Assert.Contains("broke off", failed.Error.Message);
        Assert.Empty(Directory.Exists(folder.File("out")) ? Directory.GetFileSystemEntries(folder.File("out")) : Array.Empty<string>());
    }

    // ---- The packet's place and merging, byte by byte ------------------------------------------------------------

    private static EmbeddedMetadata Sample() => new EmbeddedMetadata
    {
        Model = "seedream-4-5-251128", Gateway = "ModelArk", TaskId = "ark-1", ImageIndex = 3, CreatedAt = new DateTimeOffset(2026, 11, 30, 1, 2, 3, TimeSpan.Zero),
    };

    /// <summary>Runs <paramref name="file"/> through the injector in pieces of <paramref name="piece"/> bytes, as the network would.</summary>
    private static byte[] Inject(byte[] file, int piece, EmbeddedMetadata metadata, out bool embedded)
    {
        var injector = new XmpInjector(metadata);
        var output = new MemoryStream();
        var buffer = new byte[piece];
        for (int at = 0; at < file.Length; at += piece)
        {
            int n = Math.Min(piece, file.Length - at);
            Buffer.BlockCopy(file, at, buffer, 0, n);
            foreach (var s in injector.Process(buffer, n)) output.Write(s.Array!, s.Offset, s.Count);
            Array.Clear(buffer);
        }
        foreach (var s in injector.Complete()) output.Write(s.Array!, s.Offset, s.Count);
        embedded = injector.Embedded;
        return output.ToArray();
    }

    private static int Count(byte[] file, string text)
    {
        var needle = Encoding.ASCII.GetBytes(text);
        int count = 0;
        for (int i = file.AsSpan().IndexOf(needle); i >= 0; i = file.AsSpan(i + 1).IndexOf(needle) is int next && next >= 0 ? i + 1 + next : -1) count++;
        return count;
    }

    private const string ForeignPacket = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"" +
        " xmp:CreatorTool=\"The Service 1.0\" Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia\">" +
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Served title</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>";

    private static byte[] PngWithForeignPacket(byte[] png, bool compressed)
    {
        // After IHDR (8 + 25 bytes), an iTXt chunk as another tool would write it.
        var text = Encoding.UTF8.GetBytes(ForeignPacket);
        byte[] body = text;
        if (compressed)
        {
            using var z = new MemoryStream();
            using (var zl = new System.IO.Compression.ZLibStream(z, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) zl.Write(text);
            body = z.ToArray();
        }
        var data = XmpContainer.PngKeyword.Concat(new byte[] { (byte)(compressed ? 1 : 0), 0, 0, 0 }).Concat(body).ToArray();
        var chunk = new MemoryStream();
        chunk.Write(new[] { (byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length });
        var typed = Encoding.ASCII.GetBytes("iTXt").Concat(data).ToArray();
        chunk.Write(typed);
        uint crc = XmpContainer.Crc32(typed, 0, typed.Length);
        chunk.Write(new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc });
        return png.Take(33).Concat(chunk.ToArray()).Concat(png.Skip(33)).ToArray();
    }

    private static byte[] JpegWithExifAndForeignPacket(byte[] jpeg)
    {
        // After SOI and APP0: an Exif APP1 (a minimal TIFF header) and an XMP APP1, as a camera or service writes them.
        var exif = Encoding.ASCII.GetBytes("Exif\0\0").Concat(new byte[] { 0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0 }).ToArray();
        byte[] Segment(byte[] payload) => new byte[] { 0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2) }.Concat(payload).ToArray();
        int app0End = 2 + 2 + ((jpeg[4] << 8) | jpeg[5]);
        return jpeg.Take(app0End).Concat(Segment(exif)).Concat(Segment(XmpContainer.JpegXmpHeader.Concat(Encoding.UTF8.GetBytes(ForeignPacket)).ToArray())).Concat(jpeg.Skip(app0End)).ToArray();
    }

    private async Task<byte[]> ServedFile(SeedreamGateway gateway)
    {
        var client = _sim.Client(gateway);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p", Size = "1:1" }), TimeSpan.FromSeconds(10));
        using var http = new HttpClient();
        return await http.GetByteArrayAsync(task.Images[0].Url);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(81920)]
    public async Task The_packet_lands_before_the_image_data_whatever_the_pieces_the_body_arrives_in(int piece)
    {
        var png = await ServedFile(SeedreamGateway.EvoLink);
        var outPng = Inject(png, piece, Sample(), out bool pngEmbedded);
        Assert.True(pngEmbedded);
        Assert.True(outPng.AsSpan().IndexOf("XML:com.adobe.xmp"u8) < outPng.AsSpan().IndexOf("IDAT"u8));
        Assert.Equal(png.Take(33), outPng.Take(33));
        AssertSamePixels(png, outPng);
        Assert.Equal("ark-1", EmbeddedMetadata.FromPacket(XmpPacketOf(outPng)).TaskId);

        var jpeg = await ServedFile(SeedreamGateway.ModelArk);
        var outJpeg = Inject(jpeg, piece, Sample(), out bool jpegEmbedded);
        Assert.True(jpegEmbedded);
        int app0End = 2 + 2 + ((jpeg[4] << 8) | jpeg[5]);
        Assert.Equal(jpeg.Take(app0End), outJpeg.Take(app0End));
        Assert.Equal(new byte[] { 0xFF, 0xE1 }, outJpeg.Skip(app0End).Take(2));
        Assert.Equal(jpeg.Skip(app0End), outJpeg.Skip(outJpeg.Length - (jpeg.Length - app0End)));
        AssertSamePixels(jpeg, outJpeg);

        // Anything else streams through untouched.
        var gif = Encoding.ASCII.GetBytes("GIF89a").Concat(new byte[300]).ToArray();
        Assert.Equal(gif, Inject(gif, piece, Sample(), out bool gifEmbedded));
        Assert.False(gifEmbedded);
    }

    private static byte[] XmpPacketOf(byte[] file)
    {
        string path = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, file);
            return XmpContainer.ReadPacket(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [ExifToolTheory]
    [InlineData("png", false, 5)]
    [InlineData("png", true, 81920)]
    [InlineData("jpeg", false, 3)]
    [InlineData("jpeg", false, 81920)]
    public async Task A_packet_already_in_the_file_is_merged_into_not_duplicated(string format, bool compressed, int piece)
    {
        var original = format == "png" ? PngWithForeignPacket(await ServedFile(SeedreamGateway.EvoLink), compressed) : JpegWithExifAndForeignPacket(await ServedFile(SeedreamGateway.ModelArk));
        var merged = Inject(original, piece, Sample(), out bool embedded);
        Assert.True(embedded);
        Assert.Equal(1, Count(merged, format == "png" ? "XML:com.adobe.xmp" : "http://ns.adobe.com/xap/1.0/\0"));
        Assert.Equal(1, Count(merged, "<?xpacket begin"));
        AssertSamePixels(original, merged);

        using var folder = new TempFolder();
        string file = folder.File("merged." + format);
        File.WriteAllBytes(file, merged);
        var exif = ExifTool.Tags(file);
        Assert.Equal("Served title", exif["XMP-dc:Title"]);
        // Ours replaces the service's source type; the service's creator tool is kept.
        Assert.Equal(EmbeddedMetadata.TrainedAlgorithmicMedia, exif["XMP-iptcExt:DigitalSourceType"]);
        Assert.Equal("The Service 1.0", exif["XMP-xmp:CreatorTool"]);
        Assert.Equal("ark-1", exif["XMP-seedreamps:TaskId"]);
        // ExifTool's validation finds nothing the served file did not already have (the test's minimal Exif lacks tags).
        File.WriteAllBytes(folder.File("original." + format), original);
        Assert.Equal(ExifTool.Tags(folder.File("original." + format)).GetValueOrDefault("ExifTool:Warning"), exif.GetValueOrDefault("ExifTool:Warning"));
        if (format == "jpeg") Assert.Contains(ImageMetadataReader.ReadMetadata(file), d => d.Name == "Exif IFD0");
        var xmp = XmpOf(file);
        Assert.Equal(EmbeddedMetadata.TrainedAlgorithmicMedia, xmp["Iptc4xmpExt:DigitalSourceType"]);
        Assert.Equal("3", xmp["seedreamps:ImageIndex"]);
    }

    [Fact]
    public async Task A_prompt_too_long_for_a_JPEG_segment_is_left_out_and_the_mark_still_goes_in()
    {
        var jpeg = await ServedFile(SeedreamGateway.ModelArk);
        var metadata = Sample();
        metadata.Prompt = new string('p', 70_000);
        var output = Inject(jpeg, 4096, metadata, out bool embedded);
        Assert.True(embedded);
        var back = EmbeddedMetadata.FromPacket(XmpPacketOf(output));
        Assert.Equal((EmbeddedMetadata.TrainedAlgorithmicMedia, "ark-1", null), (back.DigitalSourceType, back.TaskId, back.Prompt));
        AssertSamePixels(jpeg, output);
        // A PNG chunk has room: the prompt stays.
        var png = Inject(await ServedFile(SeedreamGateway.EvoLink), 4096, metadata, out _);
        Assert.Equal(70_000, EmbeddedMetadata.FromPacket(XmpPacketOf(png)).Prompt.Length);
    }

    [Fact]
    public void Text_that_XML_cannot_carry_is_escaped_or_replaced_not_a_broken_packet()
    {
        var metadata = Sample();
        metadata.Prompt = "a \u0001 b </x:xmpmeta> ]]> & <?xpacket end=\"w\"?>";
        metadata.Columns["we<ird name"] = "v\u0000";
        var back = EmbeddedMetadata.FromPacket(metadata.ToPacket());
        Assert.Equal("a   b </x:xmpmeta> ]]> & <?xpacket end=\"w\"?>", back.Prompt);
        Assert.Equal("v ", back.Columns["we<ird name"]);
    }

    [Fact]
    public async Task The_gallery_shows_each_image_s_label()
    {
        using var folder = new TempFolder();
        var marked = (await SaveThroughTheEngine(SeedreamGateway.EvoLink, folder, null, new SaveOptions(), count: 1))[0];
        File.WriteAllBytes(folder.File("plain.png"), await Served(marked));
        string html = Gallery.Render(folder.Path, new[] { new GalleryImage { Path = marked.Path }, new GalleryImage { Path = folder.File("plain.png") } }, Array.Empty<GalleryFailure>(), "t");
        Assert.Contains("AI-generated <small>(IPTC trainedAlgorithmicMedia)</small>", html);
        Assert.Contains("not marked in the file", html);
    }
}
