using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Requests
{
    /// <summary>A request's values as one input record gave them (null: the record did not say).</summary>
    public sealed class RecordValues
    {
        /// <summary>The prompt.</summary>
        public string Prompt { get; set; }

        /// <summary>The model.</summary>
        public string Model { get; set; }

        /// <summary>The size.</summary>
        public string Size { get; set; }

        /// <summary>The quality tier.</summary>
        public string Quality { get; set; }

        /// <summary>How many images.</summary>
        public int? Count { get; set; }

        /// <summary>Reference images (URLs or paths), null when the record names none.</summary>
        public IList<string> ReferenceImages { get; set; }

        /// <summary>The prompt priority.</summary>
        public string PromptPriority { get; set; }

        /// <summary>The callback URL.</summary>
        public string CallbackUrl { get; set; }

        /// <summary>Whether the record asked for no watermark.</summary>
        public bool? NoWatermark { get; set; }

        /// <summary>The gateway the record names.</summary>
        public SeedreamGateway? Gateway { get; set; }
    }

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
            values.Prompt = TextOf(record, "Prompt");
            values.Model = Text.NullIfBlank(TextOf(record, "Model"));
            values.Size = Checked(problems, "Size", Text.NullIfBlank(TextOf(record, "Size")), ParameterRules.CheckSize);
            values.Quality = Checked(problems, "Quality", Text.NullIfBlank(TextOf(record, "Quality")), v => ParameterRules.CheckChoice("Quality", v, ModelCatalog.AllQualities));
            values.PromptPriority = Checked(problems, "PromptPriority", Text.NullIfBlank(TextOf(record, "PromptPriority")), v => ParameterRules.CheckChoice("PromptPriority", v, ModelCatalog.AllPromptPriorities));
            values.CallbackUrl = Checked(problems, "CallbackUri", Text.NullIfBlank(TextOf(record, "CallbackUri")), ParameterRules.CheckCallback);

            string count = Text.NullIfBlank(TextOf(record, "Count"));
            if (count != null)
            {
                if (int.TryParse(count, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= ModelCatalog.MinImages && n <= ModelCatalog.MaxImages) values.Count = n;
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

        /// <summary>Whether the record carries any of the value's column names (and which value).</summary>
        public static bool Find(IDictionary<string, object> record, string value, out object found)
        {
            foreach (var name in Columns[value])
            {
                if (record.TryGetValue(name, out found)) return true;
            }
            found = null;
            return false;
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
