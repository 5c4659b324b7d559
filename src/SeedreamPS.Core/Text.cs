using System.Collections.Generic;
using System.Linq;

namespace SeedreamPS.Core
{
    /// <summary>The few text helpers every message shares.</summary>
    public static class Text
    {
        /// <summary><paramref name="value"/> cut to <paramref name="max"/> characters with an ellipsis; "" for null.</summary>
        public static string Shorten(string value, int max = 60) =>
            value == null ? "" : value.Length <= max ? value : value.Substring(0, max - 3) + "...";

        /// <summary>"a, b or c".</summary>
        public static string JoinOr(IReadOnlyList<string> items) =>
            items.Count <= 1 ? string.Join("", items) : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[items.Count - 1];

        /// <summary>Null for a blank value (an empty CSV cell means "the default"), else the value trimmed.</summary>
        public static string NullIfBlank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

        /// <summary>At most 200 printable characters of a body, for error messages.</summary>
        public static string Excerpt(string body)
        {
            if (string.IsNullOrWhiteSpace(body)) return "(empty body)";
            string flat = new string(body.Where(c => !char.IsControl(c)).Take(200).ToArray());
            return body.Length > 200 ? flat + "..." : flat;
        }
    }
}
