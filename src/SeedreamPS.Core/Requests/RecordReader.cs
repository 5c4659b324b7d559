using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.References;

namespace SeedreamPS.Core.Requests
{
    /// <summary>Reads New-SeedreamImage's values from an input record (an Import-Csv row, a hashtable, any object with
    /// such properties). PowerShell would bind every property whose name matches a parameter; instead the cmdlet takes
    /// the whole record and this reader decides what binds, so an object that merely happens to carry a property named
    /// like a parameter (a file's Size, say) cannot bind it. Names and aliases are the cmdlet's; blank cells mean "the
    /// default"; each value is checked by the same rules as the parameter's attribute.</summary>
    public static class RecordReader
    {
        /// <summary>The column names each value is read from, in order of preference (the parameter name first, then its aliases).</summary>
        public static readonly IReadOnlyDictionary<string, string[]> Columns = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Prompt"] = new[] { "Prompt" },
            ["Model"] = new[] { "Model" },
            ["Size"] = new[] { "Size" },
            ["Quality"] = new[] { "Quality" },
            ["Count"] = new[] { "Count", "N", "MaxImages" },
            ["ReferenceImage"] = new[] { "ReferenceImage", "ImageUrls", "Images", "image_urls" },
            ["PromptPriority"] = new[] { "PromptPriority" },
            ["CallbackUri"] = new[] { "CallbackUri", "CallbackUrl", "callback_url" },
            ["NoWatermark"] = new[] { "NoWatermark" },
            ["Gateway"] = new[] { "Gateway" },
        };

        /// <summary>Reads the values <paramref name="record"/> carries.</summary>
        /// <exception cref="SeedreamValidationException">A cell breaks its parameter's rule.</exception>
        public static RecordValues Read(IDictionary<string, object> record)
        {
            var values = new RecordValues();
            if (record == null) return values;
            var problems = new List<ValidationProblem>();
            // Two columns for one value (Count and N) would be a silent choice of one: refused, naming both.
            foreach (var pair in Columns)
            {
                var given = pair.Value.Where(name => record.TryGetValue(name, out object cell) && !IsBlank(cell)).ToList();
                if (given.Count > 1)
                {
                    problems.Add(new ValidationProblem(pair.Key, null, "The record gives " + pair.Key + " in " + given.Count + " columns (" + string.Join(", ", given) +
                        "); they are the same parameter, so keep one column."));
                }
            }
            values.Prompt = TextOf(record, "Prompt");
            values.Model = Text.NullIfBlank(TextOf(record, "Model"));
            values.Size = Checked(problems, "Size", Text.NullIfBlank(TextOf(record, "Size")), ParameterRules.CheckSize);
            values.Quality = Checked(problems, "Quality", Text.NullIfBlank(TextOf(record, "Quality")), v => ParameterRules.CheckChoice("Quality", v, ModelCatalog.AllQualities));
            values.PromptPriority = Checked(problems, "PromptPriority", Text.NullIfBlank(TextOf(record, "PromptPriority")), v => ParameterRules.CheckChoice("PromptPriority", v, ModelCatalog.AllPromptPriorities));
            values.CallbackUrl = Checked(problems, "CallbackUri", Text.NullIfBlank(TextOf(record, "CallbackUri")), ParameterRules.CheckCallback);

            string count = Text.NullIfBlank(TextOf(record, "Count"));
            if (count != null)
            {
                long? n = null;
                try
                {
                    n = NumberText.ParseWhole(count, "Count");
                }
                catch (FormatException)
                {
                    // Reported below with the range.
                }
                if (n >= ModelCatalog.MinImages && n <= ModelCatalog.MaxImages) values.Count = (int)n;
                else problems.Add(new ValidationProblem("Count", count, string.Format(CultureInfo.InvariantCulture, "Count '{0}' is not a whole number from {1} to {2}.", count, ModelCatalog.MinImages, ModelCatalog.MaxImages)));
            }

            if (Find(record, "ReferenceImage", out object references) && references != null)
            {
                var list = References(references);
                if (list.Count > 0) values.ReferenceImages = list;
            }

            string watermark = Text.NullIfBlank(TextOf(record, "NoWatermark"));
            if (watermark != null)
            {
                if (bool.TryParse(watermark, out bool noWatermark)) values.NoWatermark = noWatermark;
                else if (watermark == "1" || watermark == "0") values.NoWatermark = watermark == "1";
                else problems.Add(new ValidationProblem("NoWatermark", watermark, "NoWatermark '" + watermark + "' is not true or false."));
            }

            string gateway = Text.NullIfBlank(TextOf(record, "Gateway"));
            if (gateway != null)
            {
                if (Enum.TryParse(gateway, ignoreCase: true, out SeedreamGateway parsed) && Enum.IsDefined(typeof(SeedreamGateway), parsed)) values.Gateway = parsed;
                else problems.Add(new ValidationProblem("Gateway", gateway, "Gateway '" + gateway + "' is not one of " + Text.JoinOr(Enum.GetNames(typeof(SeedreamGateway))) + "."));
            }
            if (problems.Count > 0) throw new SeedreamValidationException(problems);
            return values;
        }

        /// <summary>Why a record gives no prompt, in words that say what to fix: the cell is empty; the header looks
        /// like a file separated by another delimiter (one column named "Name;Prompt;Size"); or which columns it has.</summary>
        public static string WhyNoPrompt(IDictionary<string, object> record)
        {
            if (record == null || record.Count == 0) return "A prompt is required: give -Prompt, or pipe prompt strings or records with a Prompt column.";
            if (Find(record, "Prompt", out _)) return "The Prompt cell is empty; give the record a prompt, or give -Prompt.";
            foreach (var name in record.Keys)
            {
                foreach (char delimiter in OtherDelimiters)
                {
                    if (name.IndexOf(delimiter) < 0) continue;
                    var parts = name.Split(delimiter).Select(n => n.Trim());
                    if (parts.Any(part => Columns.Values.Any(names => names.Contains(part, StringComparer.OrdinalIgnoreCase))))
                    {
                        string shown = delimiter == '\t' ? "`t" : delimiter.ToString();
                        return "The record has one column named '" + Text.Shorten(name, 60) + "': the file looks separated by '" + shown +
                            "', not commas; read it with Import-Csv -Delimiter '" + shown + "'.";
                    }
                }
            }
            string near = string.Join("", SimilarColumns(record.Keys).Where(s => s.Value == "Prompt").Select(s => " ('" + s.Key + "' is not Prompt.)"));
            return "The record has no Prompt property; its properties are " + string.Join(", ", record.Keys.Select(k => "'" + k + "'")) + "." + near +
                " Give each record a Prompt column, or pipe prompt strings.";
        }

        /// <summary>Columns that New-SeedreamImage does not read but that look meant for a parameter: one edit away from
        /// a parameter or alias (Qualty, Prompts) or a usual word for one (Ratio, AspectRatio for Size; Resolution for
        /// Quality). Each pair is the column and the parameter it looks meant for.</summary>
        public static IEnumerable<KeyValuePair<string, string>> SimilarColumns(IEnumerable<string> columns)
        {
            foreach (var column in columns ?? Enumerable.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(column) || Columns.Values.Any(names => names.Contains(column, StringComparer.OrdinalIgnoreCase))) continue;
                if (Synonyms.TryGetValue(column, out string meant))
                {
                    yield return new KeyValuePair<string, string>(column, meant);
                    continue;
                }
                // Short names (N) are one edit from too many words to guess from.
                var match = Columns.SelectMany(pair => pair.Value.Select(name => new { Parameter = pair.Key, Name = name }))
                    .FirstOrDefault(c => c.Name.Length >= 4 && OneEditApart(column, c.Name));
                if (match != null) yield return new KeyValuePair<string, string>(column, match.Parameter);
            }
        }

        private static readonly char[] OtherDelimiters = { ';', '\t', '|' };

        private static readonly Dictionary<string, string> Synonyms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Ratio"] = "Size",
            ["AspectRatio"] = "Size",
            ["Aspect"] = "Size",
            ["Resolution"] = "Quality",
            ["Text"] = "Prompt",
            ["Description"] = "Prompt",
        };

        // Levenshtein distance of exactly one, or two neighbours swapped; case is ignored.
        private static bool OneEditApart(string a, string b)
        {
            a = a.ToUpperInvariant();
            b = b.ToUpperInvariant();
            if (a == b || Math.Abs(a.Length - b.Length) > 1) return false;
            if (a.Length == b.Length)
            {
                var diffs = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
                return diffs.Count == 1 || (diffs.Count == 2 && diffs[1] == diffs[0] + 1 && a[diffs[0]] == b[diffs[1]] && a[diffs[1]] == b[diffs[0]]);
            }
            string longer = a.Length > b.Length ? a : b, shorter = a.Length > b.Length ? b : a;
            for (int i = 0; i < longer.Length; i++)
            {
                if (longer.Remove(i, 1) == shorter) return true;
            }
            return false;
        }

        private static bool IsBlank(object cell) => cell == null || (cell is string s && string.IsNullOrWhiteSpace(s));

        /// <summary>Whether the record carries any of the value's column names (and which value).</summary>
        public static bool Find(IDictionary<string, object> record, string value, out object found)
        {
            // A column with a value wins over an empty one of another name (Count empty, N 3).
            bool present = false;
            found = null;
            foreach (var name in Columns[value])
            {
                if (!record.TryGetValue(name, out object cell)) continue;
                if (!IsBlank(cell))
                {
                    found = cell;
                    return true;
                }
                if (!present) found = cell;
                present = true;
            }
            return present;
        }

        private static string TextOf(IDictionary<string, object> record, string value) =>
            Find(record, value, out object found) && found != null ? Convert.ToString(found, CultureInfo.InvariantCulture) : null;

        private static string Checked(List<ValidationProblem> problems, string name, string value, Func<string, string> rule)
        {
            if (value == null) return null;
            string broken = rule(value);
            if (broken == null) return value;
            problems.Add(new ValidationProblem(name, value, broken));
            return null;
        }

        /// <summary>The request for one record: a value given on the command line (its parameter's name is in
        /// <paramref name="given"/>, even when the value is blank) wins over the record's; OutputFormat, WebSearch and
        /// Background are never read from records, so they come from <paramref name="commandLine"/> alone. The prompt may
        /// come out blank: the caller says why (<see cref="WhyNoPrompt"/>).</summary>
        /// <param name="commandLine">The parameters' values (Watermark false for -NoWatermark).</param>
        /// <param name="given">The names of the parameters given on the command line (the keys of <see cref="Columns"/>).</param>
        /// <param name="record">What the record says; null for none.</param>
        /// <param name="resolveLocalPath">Turns a local reference's path into a full one (PowerShell's location, not the
        /// process's folder); null keeps paths as written.</param>
        public static SeedreamRequest Merge(SeedreamRequest commandLine, ICollection<string> given, RecordValues record, Func<string, string> resolveLocalPath = null)
        {
            if (commandLine == null) throw new ArgumentNullException(nameof(commandLine));
            given = given ?? new string[0];
            record = record ?? new RecordValues();
            bool Given(string parameter) => given.Contains(parameter);
            var references = Given("ReferenceImage") ? commandLine.ReferenceImages : record.ReferenceImages;
            bool noWatermark = Given("NoWatermark") ? commandLine.Watermark == false : record.NoWatermark == true;
            return new SeedreamRequest
            {
                Prompt = Given("Prompt") ? commandLine.Prompt : record.Prompt,
                Model = Given("Model") ? Text.NullIfBlank(commandLine.Model) : record.Model,
                Size = Given("Size") ? Text.NullIfBlank(commandLine.Size) : record.Size,
                Quality = Given("Quality") ? Text.NullIfBlank(commandLine.Quality) : record.Quality,
                Count = Given("Count") ? commandLine.Count : record.Count ?? 1,
                ReferenceImages = ResolveReferences(references, resolveLocalPath),
                PromptPriority = Given("PromptPriority") ? Text.NullIfBlank(commandLine.PromptPriority) : record.PromptPriority,
                CallbackUrl = Given("CallbackUri") ? Text.NullIfBlank(commandLine.CallbackUrl) : record.CallbackUrl,
                Watermark = noWatermark ? false : (bool?)null,
                OutputFormat = commandLine.OutputFormat,
                WebSearch = commandLine.WebSearch,
                Background = commandLine.Background,
                NoStream = commandLine.NoStream,
                ImageDelivery = commandLine.ImageDelivery,
            };
        }

        // URLs as they are; local paths through the caller's resolver.
        private static List<string> ResolveReferences(IEnumerable<string> entries, Func<string, string> resolveLocalPath)
        {
            var resolved = new List<string>();
            foreach (var entry in RequestValidator.SplitReferences(entries ?? new string[0]))
            {
                resolved.Add(LocalReference.IsUrl(entry) || resolveLocalPath == null ? entry : resolveLocalPath(entry));
            }
            return resolved;
        }

        // A cell of "a.png; b.png", an array, or a list.
        private static List<string> References(object value)
        {
            var entries = new List<string>();
            if (value is string text) entries.Add(text);
            else if (value is IEnumerable items)
            {
                foreach (var item in items)
                {
                    if (item != null) entries.Add(Convert.ToString(item, CultureInfo.InvariantCulture));
                }
            }
            else entries.Add(Convert.ToString(value, CultureInfo.InvariantCulture));
            return RequestValidator.SplitReferences(entries);
        }
    }
}
