using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;

namespace SeedreamPS.Core.Storage
{
    /// <summary>A self-contained HTML review page: a thumbnail grid of saved images with what made each, and the records
    /// that failed. No script and nothing from the network; images are linked relatively, so the folder can be zipped and
    /// mailed. Every text from data is HTML-escaped (a prompt is user data).</summary>
    public static class Gallery
    {
        /// <summary>Writes the page to <paramref name="htmlPath"/> atomically and returns its full path.</summary>
        public static string Write(string htmlPath, IReadOnlyList<GalleryImage> images, IReadOnlyList<GalleryFailure> failures, string title = null)
        {
            string target = System.IO.Path.GetFullPath(htmlPath);
            string folder = System.IO.Path.GetDirectoryName(target);
            Directory.CreateDirectory(folder);
            string html = Render(folder, images ?? new GalleryImage[0], failures ?? new GalleryFailure[0], title ?? "Seedream review");
            AtomicFile.Write(target, file =>
            {
                var bytes = new UTF8Encoding(false).GetBytes(html);
                file.Write(bytes, 0, bytes.Length);
            });
            return target;
        }

        /// <summary>The page, with image links relative to <paramref name="pageFolder"/>.</summary>
        public static string Render(string pageFolder, IReadOnlyList<GalleryImage> images, IReadOnlyList<GalleryFailure> failures, string title)
        {
            var html = new StringBuilder();
            decimal total = images.Sum(i => i.CostUsd ?? 0m);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // Nothing may load from anywhere but the page's own folder.
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'\">\n")
                .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
                .Append("<header><h1>").Append(E(title)).Append("</h1><p class=\"summary\">")
                .Append(images.Count.ToString(CultureInfo.InvariantCulture)).Append(" image(s), estimated $")
                .Append(total.ToString("0.000", CultureInfo.InvariantCulture))
                .Append(failures.Count > 0 ? ", " + failures.Count.ToString(CultureInfo.InvariantCulture) + " failed record(s)" : "")
                .Append(" &middot; ").Append(E(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
                .Append(" &middot; SeedreamPS ").Append(E(ImageProvenance.CurrentModuleVersion)).Append("</p></header>\n");
            html.Append("<main class=\"grid\">\n");
            foreach (var image in images)
            {
                string link = RelativeUrl(pageFolder, image.Path);
                html.Append("<figure>\n<a href=\"").Append(E(link)).Append("\"><img src=\"").Append(E(link)).Append("\" alt=\"")
                    .Append(E(image.Prompt)).Append("\" loading=\"lazy\"></a>\n<figcaption>\n")
                    .Append("<p class=\"prompt\">").Append(E(image.Prompt)).Append("</p>\n<dl>\n");
                Label(html, image.DigitalSourceType ?? EmbeddedMetadata.Read(image.Path)?.DigitalSourceType);
                Row(html, "File", System.IO.Path.GetFileName(image.Path));
                Row(html, "Model", image.Model + (string.IsNullOrEmpty(image.Gateway) ? "" : " on " + image.Gateway));
                Row(html, "Cost", image.CostUsd.HasValue ? "$" + image.CostUsd.Value.ToString("0.000", CultureInfo.InvariantCulture) : "price not published");
                Row(html, "Task", image.TaskId);
                foreach (var column in image.Columns ?? new Dictionary<string, object>())
                {
                    Row(html, column.Key, Convert.ToString(column.Value, CultureInfo.InvariantCulture));
                }
                html.Append("</dl>\n</figcaption>\n</figure>\n");
            }
            html.Append("</main>\n");
            if (failures.Count > 0)
            {
                html.Append("<section class=\"failures\">\n<h2>Failed records</h2>\n<table>\n<thead><tr><th>Record</th><th>Why</th><th>Error id</th></tr></thead>\n<tbody>\n");
                foreach (var failure in failures)
                {
                    html.Append("<tr><td>").Append(E(failure.What)).Append("</td><td>").Append(E(failure.Why)).Append("</td><td><code>")
                        .Append(E(failure.ErrorId)).Append("</code></td></tr>\n");
                }
                html.Append("</tbody>\n</table>\n</section>\n");
            }
            html.Append("</body>\n</html>\n");
            return html.ToString();
        }

        // What the file itself says about its origin, as a reviewer would want to know before publishing it.
        private static void Label(StringBuilder html, string digitalSourceType)
        {
            if (string.IsNullOrEmpty(digitalSourceType))
            {
                html.Append("<dt>Label</dt><dd class=\"label none\">not marked in the file</dd>\n");
                return;
            }
            string term = digitalSourceType.Substring(digitalSourceType.LastIndexOf('/') + 1);
            string text = term == "trainedAlgorithmicMedia" ? "AI-generated" : term == "compositeWithTrainedAlgorithmicMedia" ? "AI composite" : term;
            html.Append("<dt>Label</dt><dd class=\"label\" title=\"IPTC digital source type embedded in the file: ").Append(E(digitalSourceType)).Append("\">")
                .Append(E(text)).Append(" <small>(IPTC ").Append(E(term)).Append(")</small></dd>\n");
        }

        private static void Row(StringBuilder html, string name, string value)
        {
            if (string.IsNullOrEmpty(value)) return;
            html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");
        }

        private static string E(string text) => WebUtility.HtmlEncode(text ?? string.Empty);

        // A link from the page's folder to the image, each segment escaped ("my image #1.png" stays one file).
        internal static string RelativeUrl(string pageFolder, string imagePath)
        {
            string from = System.IO.Path.GetFullPath(pageFolder).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            string to = System.IO.Path.GetFullPath(imagePath);
            var fromParts = from.Split(new[] { System.IO.Path.DirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
            var toParts = to.Split(new[] { System.IO.Path.DirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
            var comparison = Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            int common = 0;
            while (common < fromParts.Length && common < toParts.Length - 1 && string.Equals(fromParts[common], toParts[common], comparison)) common++;
            // Another drive (Windows): no relative link exists.
            if (common == 0 && Environment.OSVersion.Platform == PlatformID.Win32NT) return new Uri(to).AbsoluteUri;
            var segments = Enumerable.Repeat("..", fromParts.Length - common).Concat(toParts.Skip(common).Select(Uri.EscapeDataString));
            return string.Join("/", segments);
        }

        // Readable on a phone (one column) and on a 4K monitor (many columns, capped text width), light or dark.
        private const string Style = @"
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fafafa; --card: #fff; --muted: #5f6368; --line: #ddd; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ea; --bg: #121214; --card: #1d1d21; --muted: #a0a3a8; --line: #333; } }
* { box-sizing: border-box; }
body { margin: 0; padding: clamp(0.75rem, 2vw, 2rem); font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header h1 { margin: 0 0 0.25rem; font-size: clamp(1.3rem, 2.5vw, 2rem); }
.summary { margin: 0 0 1.25rem; color: var(--muted); }
.grid { display: grid; gap: clamp(0.75rem, 1.5vw, 1.5rem); grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; display: flex; flex-direction: column; }
figure img { display: block; width: 100%; aspect-ratio: 1 / 1; object-fit: contain; background: repeating-conic-gradient(#8882 0 25%, transparent 0 50%) 50% / 20px 20px; }
figcaption { padding: 0.75rem 0.9rem 0.9rem; }
.prompt { margin: 0 0 0.5rem; font-weight: 600; overflow-wrap: anywhere; }
dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.75rem; font-size: 0.9em; }
dt { color: var(--muted); }
.label { font-weight: 600; }
.label.none { font-weight: normal; color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.failures { margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; max-width: 100rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
@media (min-width: 2400px) { body { font-size: 18px; } .grid { grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); } }
";
    }
}
