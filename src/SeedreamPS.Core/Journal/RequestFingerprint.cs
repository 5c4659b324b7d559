using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Core.Journal
{
    /// <summary>Stable identities for a request and for the input record it came from, so a re-run of the same batch
    /// can find the tasks it already paid for.</summary>
    public static class RequestFingerprint
    {
        /// <summary>A hash of everything that decides what the gateway makes: gateway, model, prompt, size, quality,
        /// count, references, priority, callback and watermark.</summary>
        public static string Of(ValidatedRequest request)
        {
            var parts = new List<string>
            {
                request.Gateway.ToString(), request.WireModel, request.Prompt, request.Size?.ToString() ?? "", request.Quality ?? "",
                request.Count.ToString(CultureInfo.InvariantCulture), string.Join("\n", request.References), request.PromptPriority ?? "",
                request.CallbackUrl ?? "", request.Watermark?.ToString() ?? "",
            };
            // Added only when set, so journals written before OutputFormat existed still match on -Resume.
            if (request.OutputFormat != null) parts.Add("format=" + request.OutputFormat);
            if (request.WebSearch) parts.Add("websearch");
            return Hash(string.Join("\u001f", parts));
        }

        /// <summary>A hash of the record's carried properties (for example a CSV row), so two rows with the same prompt
        /// but different names stay two tasks. Values are compared as text.</summary>
        public static string OfContext(IDictionary<string, object> context)
        {
            if (context == null || context.Count == 0) return "";
            var lines = context.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .Select(p => p.Key.ToLowerInvariant() + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture));
            return Hash(string.Join("\u001f", lines));
        }

        private static string Hash(string text)
        {
            using (var sha = SHA256.Create())
            {
                var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                return BitConverter.ToString(bytes, 0, 16).Replace("-", "").ToLowerInvariant();
            }
        }
    }
}
