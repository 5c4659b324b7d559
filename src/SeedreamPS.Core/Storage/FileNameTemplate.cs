using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Storage
{
    /// <summary>Turns a template such as <c>{Name}-{Index}.png</c> into a file name inside a folder. Values that come
    /// from data (CSV columns, prompts, ids) can never leave the folder: separators, <c>..</c>, drive letters and
    /// invalid characters in them are replaced, Windows reserved names are avoided, and each name is capped in length.</summary>
    public static class FileNameTemplate
    {
        /// <summary>The template used when none is given.</summary>
        public const string Default = "{Id}-{Index}{Ext}";

        /// <summary>Longest file or folder name produced (most file systems allow 255).</summary>
        public const int MaxSegmentLength = 200;

        private static readonly Regex Token = new Regex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_ \-]*)(?::(?<format>[^{}]+))?\}", RegexOptions.CultureInvariant);
        private static readonly HashSet<string> ReservedNames = new HashSet<string>(
            new[] { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" }
                .Concat(Enumerable.Range(0, 10).Select(i => "COM" + i))
                .Concat(Enumerable.Range(0, 10).Select(i => "LPT" + i))
                .Concat(new[] { "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³" }),
            StringComparer.OrdinalIgnoreCase);
        private static readonly char[] Invalid = Path.GetInvalidFileNameChars().Concat(new[] { '<', '>', ':', '"', '/', '\\', '|', '?', '*' }).Distinct().ToArray();

        /// <summary>The tokens every image has, besides the properties its task carried.</summary>
        public static readonly IReadOnlyList<string> BuiltInTokens = new[] { "Id", "TaskId", "Index", "Number", "Model", "Gateway", "Date", "Time", "Prompt", "Ext" };

        /// <summary>Expands <paramref name="template"/> for one image and returns the full path inside <paramref name="folder"/>.</summary>
        /// <exception cref="ArgumentException">The template names an unknown token, or is empty.</exception>
        public static string Resolve(string folder, string template, SeedreamTask task, SeedreamImage image)
        {
            if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("The folder is empty.", nameof(folder));
            string relative = Expand(string.IsNullOrWhiteSpace(template) ? Default : template, task, image);
            return Combine(folder, relative);
        }

        /// <summary>Expands the tokens; the result is a relative path whose separators come only from the template itself.
        /// A name that would pass the length cap is shortened in its values from data (the longest first, from their
        /// end), so the template's own text, {Index}, {Number} and {Ext} stay and images of one task keep apart.</summary>
        public static string Expand(string template, SeedreamTask task, SeedreamImage image)
        {
            var unknown = new List<string>();
            // Each part: its text, and whether it may be shortened (a value from data).
            var parts = new List<KeyValuePair<string, bool>>();
            int at = 0;
            foreach (Match match in Token.Matches(template))
            {
                if (match.Index > at) parts.Add(new KeyValuePair<string, bool>(template.Substring(at, match.Index - at), false));
                at = match.Index + match.Length;
                string name = match.Groups["name"].Value;
                string format = match.Groups["format"].Success ? match.Groups["format"].Value : null;
                if (!TryValue(name, task, image, out object value))
                {
                    unknown.Add(name);
                    continue;
                }
                string text = value is IFormattable formattable && format != null
                    ? formattable.ToString(format, CultureInfo.InvariantCulture)
                    : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                bool fixedPart = FixedTokens.Contains(name);
                // Data never brings its own path structure.
                parts.Add(new KeyValuePair<string, bool>(name.Equals("Ext", StringComparison.OrdinalIgnoreCase) ? text : CleanValue(text), !fixedPart));
            }
            if (at < template.Length) parts.Add(new KeyValuePair<string, bool>(template.Substring(at), false));
            if (unknown.Count > 0)
            {
                var available = BuiltInTokens.Concat(task?.Context?.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase);
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "FileName template token {{{0}}} is neither a task field nor a property of the input record; use one of: {1}.",
                    unknown[0], string.Join(", ", available.Select(t => "{" + t + "}"))));
            }
            return string.Concat(ShortenSegments(parts));
        }

        // Tokens whose values tell images apart or name the format: never shortened.
        private static readonly HashSet<string> FixedTokens = new HashSet<string>(new[] { "Index", "Number", "Ext" }, StringComparer.OrdinalIgnoreCase);

        private static IEnumerable<string> ShortenSegments(List<KeyValuePair<string, bool>> parts)
        {
            // Split the literal parts at separators, so each path segment is shortened on its own.
            var segments = new List<List<string>> { new List<string>() };
            var shrinkable = new List<List<bool>> { new List<bool>() };
            foreach (var part in parts)
            {
                if (part.Value)
                {
                    segments[segments.Count - 1].Add(part.Key);
                    shrinkable[shrinkable.Count - 1].Add(true);
                    continue;
                }
                var pieces = Regex.Split(part.Key, @"(?<=[/\\])");
                for (int i = 0; i < pieces.Length; i++)
                {
                    if (pieces[i].Length == 0) continue;
                    segments[segments.Count - 1].Add(pieces[i]);
                    shrinkable[shrinkable.Count - 1].Add(false);
                    if (pieces[i].EndsWith("/", StringComparison.Ordinal) || pieces[i].EndsWith("\\", StringComparison.Ordinal))
                    {
                        segments.Add(new List<string>());
                        shrinkable.Add(new List<bool>());
                    }
                }
            }
            const int limit = MaxSegmentLength;
            for (int s = 0; s < segments.Count; s++)
            {
                var texts = segments[s];
                int length = texts.Sum(t => t.TrimEnd('/', '\\').Length);
                while (length > limit)
                {
                    int longest = -1;
                    for (int i = 0; i < texts.Count; i++)
                    {
                        if (shrinkable[s][i] && texts[i].Length > 1 && (longest < 0 || texts[i].Length > texts[longest].Length)) longest = i;
                    }
                    if (longest < 0) break;
                    int next = 0;
                    for (int i = 0; i < texts.Count; i++)
                    {
                        if (i != longest && shrinkable[s][i]) next = Math.Max(next, texts[i].Length);
                    }
                    // Cut the longest down to the next longest (or by what is too much), never below one character.
                    int cut = Math.Min(length - limit, Math.Max(1, texts[longest].Length - next));
                    cut = Math.Min(cut, texts[longest].Length - 1);
                    texts[longest] = texts[longest].Substring(0, texts[longest].Length - cut);
                    length -= cut;
                }
                foreach (var text in texts) yield return text;
            }
        }

        /// <summary>Joins a relative name to a folder, cleaning every segment and refusing to leave the folder.</summary>
        /// <exception cref="ArgumentException">The template itself points outside the folder.</exception>
        public static string Combine(string folder, string relative)
        {
            string root = Path.GetFullPath(folder);
            var segments = relative.Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(CleanSegment)
                .Where(s => s.Length > 0 && s != ".")
                .ToList();
            if (segments.Any(s => s == "..") || Path.IsPathRooted(relative) || relative.StartsWith("\\\\", StringComparison.Ordinal) || Regex.IsMatch(relative, @"^[A-Za-z]:"))
            {
                throw new ArgumentException("FileName '" + relative + "' points outside the target folder; use a name relative to -Path.");
            }
            if (segments.Count == 0) segments.Add("image");
            string full = Path.GetFullPath(Path.Combine(new[] { root }.Concat(segments).ToArray()));
            string rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            {
                throw new ArgumentException("FileName '" + relative + "' points outside the target folder.");
            }
            return full;
        }

        /// <summary>Makes a value from data safe inside one file name: separators, dots-only names and invalid
        /// characters become underscores.</summary>
        public static string CleanValue(string value)
        {
            var builder = new StringBuilder(value.Length);
            foreach (char c in value) builder.Append(Invalid.Contains(c) || char.IsControl(c) ? '_' : c);
            string cleaned = builder.ToString();
            return cleaned.Trim('.').Length == 0 && cleaned.Length > 0 ? new string('_', cleaned.Length) : cleaned;
        }

        private static string CleanSegment(string segment)
        {
            string cleaned = CleanValue(segment.Trim());
            if (segment.Trim() == "..") return "..";
            // Windows drops trailing dots and spaces, which would merge names.
            cleaned = cleaned.TrimEnd('.', ' ');
            string stem = cleaned.Split('.')[0];
            if (ReservedNames.Contains(stem.TrimEnd(' '))) cleaned = "_" + cleaned;
            if (cleaned.Length > MaxSegmentLength)
            {
                string extension = Path.GetExtension(cleaned);
                if (extension.Length > 16) extension = string.Empty;
                cleaned = cleaned.Substring(0, MaxSegmentLength - extension.Length) + extension;
            }
            return cleaned;
        }

        private static bool TryValue(string name, SeedreamTask task, SeedreamImage image, out object value)
        {
            switch (name.ToLowerInvariant())
            {
                case "id":
                case "taskid":
                    value = task?.Id ?? image?.TaskId ?? UrlStem(image);
                    return true;
                case "index":
                    value = image?.Index ?? 0;
                    return true;
                case "number":
                    value = (image?.Index ?? 0) + 1;
                    return true;
                case "model":
                    value = task?.Model ?? "unknown";
                    return true;
                case "gateway":
                    value = task?.Gateway.ToString() ?? "unknown";
                    return true;
                case "date":
                    value = (task?.CreatedAt ?? DateTimeOffset.Now).ToLocalTime().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                    return true;
                case "time":
                    value = (task?.CreatedAt ?? DateTimeOffset.Now).ToLocalTime().ToString("HHmmss", CultureInfo.InvariantCulture);
                    return true;
                case "prompt":
                    string prompt = task?.Request?.Prompt ?? string.Empty;
                    value = prompt.Length > 60 ? prompt.Substring(0, 60) : prompt;
                    return true;
                case "ext":
                    // An inline image has no URL: its bytes, already on disk, say what it is.
                    value = image != null && image.Url == null && image.InlineFile != null ? ExtensionOfFile(image.InlineFile) : ExtensionOf(image?.Url);
                    return true;
            }
            if (task?.Context != null && task.Context.TryGetValue(name, out value)) return true;
            value = null;
            return false;
        }

        /// <summary>The image extension in a URL's path (.png, .jpeg, …), or .png when it names none.</summary>
        public static string ExtensionOf(Uri url)
        {
            string extension = url == null ? null : Path.GetExtension(url.AbsolutePath).ToLowerInvariant();
            return new[] { ".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff" }.Contains(extension) ? extension : ".png";
        }

        /// <summary>The extension for the image format in a file's first bytes (.png, .jpeg, …), or .png when unknown.</summary>
        internal static string ExtensionOfFile(string path)
        {
            try
            {
                var head = new byte[ImageFormat.SignatureLength];
                int count;
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    count = file.Read(head, 0, head.Length);
                }
                string format = ImageFormat.Detect(head, count);
                return format == null ? ".png" : "." + format;
            }
            catch (IOException)
            {
                return ".png";
            }
        }

        private static string UrlStem(SeedreamImage image) =>
            image?.Url == null ? "image" : Path.GetFileNameWithoutExtension(image.Url.AbsolutePath) is string stem && stem.Length > 0 ? stem : "image";
    }
}
