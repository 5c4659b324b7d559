using System;
using System.Linq;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Requests
{
    /// <summary>Model names ModelArk takes besides the catalogue's ids, sent as given: an inference endpoint id
    /// (<c>ep-…</c>; some accounts must use them), with the Seedream version behind it after an @ so its limits and
    /// price still apply (<c>ep-20251201123456-abcde@5.0</c>); and Volcengine's ids for the same models
    /// (<c>doubao-seedream-4-0-250828</c>, mainland China's <c>https://ark.cn-beijing.volces.com/api/v3</c>).</summary>
    internal static class ModelArkIds
    {
        private static readonly Regex Endpoint = new Regex(@"^(?<id>ep-[A-Za-z0-9][A-Za-z0-9_-]{0,126})(@(?<version>.+))?$", RegexOptions.CultureInvariant);

        /// <summary>Whether <paramref name="name"/> is such a name on <paramref name="gateway"/>; <paramref name="problem"/> says
        /// what is wrong with one that is (an endpoint without its version).</summary>
        public static bool TryRead(SeedreamGateway gateway, string name, out ModelInfo model, out string asGiven, out string problem)
        {
            model = null;
            asGiven = null;
            problem = null;
            if (gateway != SeedreamGateway.ModelArk || string.IsNullOrWhiteSpace(name)) return false;
            string text = name.Trim();
            var endpoint = Endpoint.Match(text);
            if (endpoint.Success)
            {
                asGiven = endpoint.Groups["id"].Value;
                string version = endpoint.Groups["version"].Success ? endpoint.Groups["version"].Value : null;
                model = version == null ? null : ModelCatalog.Find(gateway, version);
                if (model == null)
                {
                    problem = "Model '" + text + "' is an endpoint id: say which Seedream version stands behind it, so its limits and price apply, as " +
                        asGiven + "@" + string.Join(", " + asGiven + "@", ModelCatalog.ForGateway(gateway).Select(m => m.Version)) + ".";
                }
                return true;
            }
            if (text.StartsWith("doubao-", StringComparison.OrdinalIgnoreCase))
            {
                // Volcengine's ids are BytePlus's with a doubao- prefix; the model is the same, the id is sent as given.
                model = ModelCatalog.ForGateway(gateway).FirstOrDefault(m => string.Equals(m.Id, text.Substring("doubao-".Length), StringComparison.OrdinalIgnoreCase));
                if (model == null) return false;
                asGiven = text;
                return true;
            }
            return false;
        }
    }
}
