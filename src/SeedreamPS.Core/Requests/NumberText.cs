using System;
using System.Globalization;
using System.Linq;

namespace SeedreamPS.Core.Requests
{
    /// <summary>The one parser for numbers that arrive as text (a CSV cell, a config file, a scheduled task's argument,
    /// an environment variable), whatever the culture. PowerShell converts text with invariant rules, where a comma is a
    /// thousands separator, so "0,05" typed under de-DE would become 5; here a decimal point or a decimal comma both
    /// mean decimals, an amount is never scaled by a separator it misread, and text that could be read two ways
    /// ("1,000" or "1.000": a thousand, or one) is refused with the rule.</summary>
    public static class NumberText
    {
        /// <summary>The rule, as error messages state it.</summary>
        public const string Rule = "write digits with at most one decimal point or decimal comma and no thousands separators, such as 0.05, 0,05 or 1500";

        /// <summary>Reads a decimal amount ("0.05", "0,05", "$2.50", "12"). Null for blank text.</summary>
        /// <exception cref="FormatException">The text is no number, or could be read two ways; the message says why.</exception>
        public static decimal? ParseDecimal(string text, string name)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            string value = text.Trim();
            if (value.StartsWith("$", StringComparison.Ordinal)) value = value.Substring(1).Trim();
            bool negative = value.StartsWith("-", StringComparison.Ordinal);
            if (negative || value.StartsWith("+", StringComparison.Ordinal)) value = value.Substring(1);
            int separators = value.Count(c => c == '.' || c == ',');
            if (value.Length == 0 || value.Any(c => !char.IsDigit(c) && c != '.' && c != ',') || value.Any(c => c > '9') || separators > 1)
            {
                throw new FormatException(name + " '" + text + "' is not a number: " + Rule + ".");
            }
            int at = value.IndexOfAny(new[] { '.', ',' });
            if (at >= 0)
            {
                string whole = value.Substring(0, at), fraction = value.Substring(at + 1);
                // "1,000" or "1.000": a thousand in one culture, one in another. Never guessed.
                if (fraction.Length == 3 && whole.TrimStart('0').Length > 0)
                {
                    throw new FormatException(name + " '" + text + "' could be read two ways (a thousands separator or a decimal separator): " + Rule + ".");
                }
                value = (whole.Length == 0 ? "0" : whole) + (fraction.Length == 0 ? string.Empty : "." + fraction);
            }
            decimal parsed = decimal.Parse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return negative ? -parsed : parsed;
        }

        /// <summary>Reads a whole number ("15", "0"); a decimal separator is refused. Null for blank text.</summary>
        /// <exception cref="FormatException">The text is no whole number; the message says why.</exception>
        public static long? ParseWhole(string text, string name)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            string value = text.Trim();
            bool negative = value.StartsWith("-", StringComparison.Ordinal);
            if (negative || value.StartsWith("+", StringComparison.Ordinal)) value = value.Substring(1);
            if (value.Length == 0 || value.Any(c => c < '0' || c > '9') || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                throw new FormatException(name + " '" + text + "' is not a whole number: write digits only, without separators, such as 3 or 1500.");
            }
            return negative ? -parsed : parsed;
        }
    }
}
