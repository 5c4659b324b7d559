using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>Tolerant readers for gateway JSON, where the documents disagree on types and names.</summary>
    internal static class Json
    {
        /// <summary>A POST to <paramref name="uri"/> whose JSON object body <paramref name="writeProperties"/> fills.</summary>
        public static HttpRequestMessage Post(Uri uri, Action<Utf8JsonWriter> writeProperties)
        {
            var body = new MemoryStream();
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartObject();
                writeProperties(json);
                json.WriteEndObject();
            }
            return new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new ByteArrayContent(body.ToArray()) { Headers = { { "Content-Type", "application/json" } } },
            };
        }

        /// <summary>Writes <paramref name="values"/> as a string array, or nothing when there are none.</summary>
        public static void WriteStrings(this Utf8JsonWriter json, string name, IReadOnlyList<string> values)
        {
            if (values == null || values.Count == 0) return;
            json.WriteStartArray(name);
            foreach (var value in values) json.WriteStringValue(value);
            json.WriteEndArray();
        }

        /// <summary>Parses <paramref name="body"/>, or returns null when it is not JSON.</summary>
        public static JsonDocument TryParse(string body)
        {
            if (string.IsNullOrWhiteSpace(body)) return null;
            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>The named property (any case), or null when absent, null, or <paramref name="maybe"/> is no object.
        /// Takes a nullable receiver so lookups chain through missing levels.</summary>
        public static JsonElement? Prop(this JsonElement? maybe, string name)
        {
            if (maybe == null || maybe.Value.ValueKind != JsonValueKind.Object) return null;
            var element = maybe.Value;
            if (element.TryGetProperty(name, out var exact)) return exact.ValueKind == JsonValueKind.Null ? (JsonElement?)null : exact;
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind == JsonValueKind.Null ? (JsonElement?)null : property.Value;
                }
            }
            return null;
        }

        /// <summary>A string, number or boolean as text; null for anything else.</summary>
        public static string Text(this JsonElement? element)
        {
            if (element == null) return null;
            var e = element.Value;
            switch (e.ValueKind)
            {
                case JsonValueKind.String: return e.GetString();
                case JsonValueKind.Number: return e.GetRawText();
                case JsonValueKind.True: return "true";
                case JsonValueKind.False: return "false";
                default: return null;
            }
        }

        /// <summary>A number, or a string holding one, as a long.</summary>
        public static long? Long(this JsonElement? element)
        {
            if (element == null) return null;
            var e = element.Value;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long n)) return n;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double d)) return (long)d;
            if (e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long s)) return s;
            return null;
        }

        /// <summary>A number, or a string holding one, as a decimal.</summary>
        public static decimal? Decimal(this JsonElement? element)
        {
            if (element == null) return null;
            var e = element.Value;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out decimal n)) return n;
            if (e.ValueKind == JsonValueKind.String && decimal.TryParse(e.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal s)) return s;
            return null;
        }

        /// <summary>An array's string items (or the <c>url</c> of object items); empty when absent.</summary>
        public static List<string> Strings(this JsonElement? element)
        {
            var list = new List<string>();
            if (element == null || element.Value.ValueKind != JsonValueKind.Array) return list;
            foreach (var item in element.Value.EnumerateArray())
            {
                string value = item.ValueKind == JsonValueKind.Object ? ((JsonElement?)item).Prop("url").Text() : ((JsonElement?)item).Text();
                if (!string.IsNullOrWhiteSpace(value)) list.Add(value);
            }
            return list;
        }
    }
}
