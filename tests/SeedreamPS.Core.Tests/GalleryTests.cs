using System.Text.RegularExpressions;
using SeedreamPS.Core.Storage;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The review page: structure, escaping, relative links, and how it renders.</summary>
public class GalleryTests
{
    private static (string Page, List<GalleryImage> Images, List<GalleryFailure> Failures) Build(TempFolder folder)
    {
        Directory.CreateDirectory(folder.File("out"));
        var images = new List<GalleryImage>();
        for (int i = 0; i < 3; i++)
        {
            string file = folder.File(Path.Combine("out", i == 2 ? "a banner #2 & co.png" : $"hero-{i}.png"));
            File.WriteAllBytes(file, TinyImages.Png(640, 360));
            images.Add(new GalleryImage
            {
                Path = file,
                Prompt = i == 1 ? "<script>alert('x')</script> a \"quoted\" prompt" : "A lighthouse at dusk, oil painting " + i,
                Model = "doubao-seedream-4.0",
                Gateway = "EvoLink",
                TaskId = "task-unified-1-" + i,
                CostUsd = 0.019m,
                Columns = new Dictionary<string, object> { ["Name"] = "hero-" + i, ["Campaign"] = "<b>spring</b>" },
            });
        }
        var failures = new List<GalleryFailure> { new() { What = "bad-row", Why = "Size ratio '1:20' <is> not supported", ErrorId = "SeedreamPS.InvalidParameter.Size" } };
        string page = Gallery.Write(folder.File(Path.Combine("out", "index.html")), images, failures);
        return (page, images, failures);
    }

    [Fact]
    public void The_page_has_a_figure_per_image_linked_relatively_and_the_failures_and_nothing_from_elsewhere()
    {
        using var folder = new TempFolder();
        var (page, _, _) = Build(folder);
        string html = File.ReadAllText(page);
        Assert.Equal(3, Regex.Matches(html, "<figure>").Count);
        Assert.Contains("src=\"hero-0.png\"", html);
        Assert.Contains("src=\"a%20banner%20%232%20%26%20co.png\"", html);
        Assert.Contains("3 image(s), estimated $0.057, 1 failed record(s)", html);
        Assert.Contains("<h2>Failed records</h2>", html);
        Assert.Contains("SeedreamPS.InvalidParameter.Size", html);
        // Self-contained: no script, no stylesheet or image from the network.
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("default-src 'none'", html);
        Assert.Contains("name=\"viewport\"", html);
        Assert.False(File.Exists(page + ".partial") || Directory.GetFiles(folder.File("out"), "*.partial", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void Every_text_from_data_is_escaped()
    {
        using var folder = new TempFolder();
        var (page, _, _) = Build(folder);
        string html = File.ReadAllText(page);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; a &quot;quoted&quot; prompt", html);
        Assert.Contains("&lt;b&gt;spring&lt;/b&gt;", html);
        Assert.Contains("&lt;is&gt;", html);
        Assert.DoesNotContain("<b>spring", html);
    }

    [Fact]
    public void Links_climb_out_of_the_page_s_folder_when_the_images_are_elsewhere() =>
        Assert.Equal("../images/a%20b.png", Gallery.RelativeUrl(Path.Combine(Path.GetTempPath(), "x", "review"), Path.Combine(Path.GetTempPath(), "x", "images", "a b.png")));

    [BrowserFact]
    public void It_renders_in_a_headless_browser_on_a_phone_and_on_a_4K_monitor_with_the_script_shown_as_text()
    {
        HeadlessBrowser.Require();
        using var folder = new TempFolder();
        var (page, _, _) = Build(folder);
        string url = new Uri(page).AbsoluteUri;
        var (code, dom) = HeadlessBrowser.Run("--dump-dom", url);
        Assert.Equal(0, code);
        Assert.Equal(3, Regex.Matches(dom, "<figure>").Count);
        // The prompt's script is text in the caption, not an element.
        Assert.DoesNotContain("<script", dom);
        Assert.Contains("&lt;script&gt;", dom);
        foreach (var (name, width, height) in new[] { ("phone", 390, 844), ("uhd", 3840, 2160) })
        {
            string shot = folder.File(name + ".png");
            var (shotCode, _) = HeadlessBrowser.Run("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + shot, url);
            Assert.Equal(0, shotCode);
            Assert.Equal((width, height), Png.Size(shot));
        }
    }
}
