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

        /// <summary>Expands the tokens; the result is a relative path whose separators come only from the template itself.</summary>
        public static string Expand(string template, SeedreamTask task, SeedreamImage image)
        {
            var unknown = new List<string>();
            string expanded = Token.Replace(template, match =>
            {
                string name = match.Groups["name"].Value;
                string format = match.Groups["format"].Success ? match.Groups["format"].Value : null;
                if (!TryValue(name, task, image, out object value))
                {
                    unknown.Add(name);
                    return string.Empty;
                }
                string text = value is IFormattable formattable && format != null
                    ? formattable.ToString(format, CultureInfo.InvariantCulture)
                    : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                // Data never brings its own path structure.
                return name == "Ext" ? text : CleanValue(text);
            });
            if (unknown.Count > 0)
            {
                var available = BuiltInTokens.Concat(task?.Context?.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase);
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "FileName template token {{{0}}} is neither a task field nor a property of the input record; use one of: {1}.",
                    unknown[0], string.Join(", ", available.Select(t => "{" + t + "}"))));
            }
            return expanded;
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
                    value = ExtensionOf(image?.Url);
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

        private static string UrlStem(SeedreamImage image) =>
            image?.Url == null ? "image" : Path.GetFileNameWithoutExtension(image.Url.AbsolutePath) is string stem && stem.Length > 0 ? stem : "image";
    }
}
