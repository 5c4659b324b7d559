using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>File names from templates and data stay inside the folder and are valid everywhere.</summary>
public class FileNameTemplateTests
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "seedream-names");

    private static SeedreamTask Task(string name = "banner", string prompt = "a cat")
    {
        var task = new SeedreamTask { Id = "task-unified-1-abc", Gateway = SeedreamGateway.EvoLink, Model = "doubao-seedream-4.0", Request = new SeedreamRequest { Prompt = prompt }, CreatedAt = new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.Zero) };
        task.Context["Name"] = name;
        return task;
    }

    private static SeedreamImage Image(int index = 0, string url = "https://cdn.example.com/x/result.png") => new("task-unified-1-abc", index, new Uri(url), null);

    private static string Name(string template, SeedreamTask task = null, SeedreamImage image = null) =>
        Path.GetRelativePath(Folder, FileNameTemplate.Resolve(Folder, template, task ?? Task(), image ?? Image()));

    [Theory]
    [InlineData("{Id}-{Index}{Ext}", "task-unified-1-abc-0.png")]
    [InlineData("{Name}-{Number}.png", "banner-1.png")]
    [InlineData("{name}_{index:000}.png", "banner_000.png")]
    [InlineData("{Model}/{Gateway}-{Index}.png", "doubao-seedream-4.0/EvoLink-0.png")]
    [InlineData("{Prompt}.png", "a cat.png")]
    public void Tokens_expand(string template, string expected) => Assert.Equal(expected.Replace('/', Path.DirectorySeparatorChar), Name(template));

    [Fact]
    public void Ext_follows_the_url()
    {
        Assert.Equal("task-unified-1-abc-0.jpeg", Name(FileNameTemplate.Default, image: Image(0, "https://cdn.example.com/a/b.jpeg?sig=1")));
        Assert.Equal("task-unified-1-abc-0.png", Name(FileNameTemplate.Default, image: Image(0, "https://cdn.example.com/a/b?format=jpeg")));
    }

    [Fact]
    public void Unknown_tokens_are_named_with_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => Name("{Title}.png"));
        Assert.Contains("{Title}", e.Message);
        Assert.Contains("{Name}", e.Message);
        Assert.StartsWith("FileName template token {Title}", e.Message);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\Windows\\System32\\evil")]
    [InlineData("\\\\server\\share\\x")]
    [InlineData("a/../../b")]
    public void Data_cannot_leave_the_folder(string name)
    {
        string path = FileNameTemplate.Resolve(Folder, "{Name}.png", Task(name), Image());
        Assert.StartsWith(Path.GetFullPath(Folder) + Path.DirectorySeparatorChar, path);
        Assert.Equal(Path.GetFullPath(Folder), Path.GetDirectoryName(path));
    }

    [Theory]
    [InlineData("../out.png")]
    [InlineData("/tmp/out.png")]
    [InlineData("C:/out.png")]
    [InlineData("\\\\server\\share\\out.png")]
    public void A_template_that_leaves_the_folder_is_refused(string template) =>
        Assert.Throws<ArgumentException>(() => FileNameTemplate.Resolve(Folder, template, Task(), Image()));

    [Theory]
    [InlineData("a<b>c:d\"e|f?g*h", "a_b_c_d_e_f_g_h.png")]
    [InlineData("CON", "_CON.png")]
    [InlineData("nul", "_nul.png")]
    [InlineData("COM1", "_COM1.png")]
    [InlineData("lpt9", "_lpt9.png")]
    [InlineData("tab\there", "tab_here.png")]
    public void Invalid_and_reserved_names_are_made_safe(string name, string expected) => Assert.Equal(expected, Name("{Name}.png", Task(name)));

    [Fact]
    public void Long_names_are_capped_keeping_the_extension()
    {
        string name = Name("{Name}.png", Task(new string('x', 500)));
        Assert.Equal(FileNameTemplate.MaxSegmentLength, name.Length);
        Assert.EndsWith(".png", name);
    }

    [Fact]
    public void Trailing_dots_and_spaces_are_dropped_as_Windows_would() => Assert.Equal("report", Name("{Name}", Task("report. .")));

    [Fact]
    public void An_empty_result_still_names_a_file() => Assert.Equal("image", Name("{Name}", Task("")));
}
