using System;
using System.Linq;
using System.Text.RegularExpressions;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>Model names ModelArk takes besides the catalogue's ids, sent as given: an inference endpoint id
    /// (<c>ep-…</c>; some accounts must use them), with the Seedream version behind it after an @ so its limits and
    /// price still apply (<c>ep-20251201123456-abcde@5.0</c>); and Volcengine's ids for the same models
    /// (<c>doubao-seedream-4-0-250828</c>, mainland China's <c>https://ark.cn-beijing.volces.com/api/v3</c>).</summary>
    internal sealed partial class ModelArkAdapter
    {
        private static readonly Regex Endpoint = new Regex(@"^(?<id>ep-[A-Za-z0-9][A-Za-z0-9_-]{0,126})(@(?<version>.+))?$", RegexOptions.CultureInvariant);

        // Regions whose address takes its own family of ids: Volcengine's are BytePlus's with doubao- in front, and the
        // two are not interchangeable (a BytePlus id is refused there, and the other way round).
        private static readonly System.Collections.Generic.Dictionary<string, string> IdPrefixByRegion =
            new System.Collections.Generic.Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["cn-beijing"] = "doubao-" };

        public ModelChoice ResolveModel(string name, string region)
        {
            var choice = ResolveAnyFamily(name, region);
            if (choice.Model == null) return choice;
            if (ModelCatalog.NotSoldIn(choice.Model, region) is ModelChoice refused) return refused;
            if (region == null || choice.WireId.StartsWith("ep-", StringComparison.Ordinal)) return choice;
            // A known region decides the id family, however the model was named.
            IdPrefixByRegion.TryGetValue(region, out string prefix);
            return ModelChoice.Of(choice.Model, (prefix ?? "") + choice.Model.Id);
        }

        private ModelChoice ResolveAnyFamily(string name, string region)
        {
            string text = name?.Trim();
            if (string.IsNullOrEmpty(text)) return ModelCatalog.Resolve(Gateway, text, region);
            var endpoint = Endpoint.Match(text);
            if (endpoint.Success)
            {
                string id = endpoint.Groups["id"].Value;
                string version = endpoint.Groups["version"].Success ? endpoint.Groups["version"].Value : null;
                if (version == null)
                {
                    // Sent as given: the service knows which version stands behind it and refuses, without charge, what
                    // that version does not take. Refused here is only what no version would take.
                    return ModelChoice.Of(ModelCatalog.AnyVersion(Gateway, region), id,
                        "Model '" + id + "' is an endpoint id without the Seedream version behind it: only what no version accepts was checked, and " +
                        "its cost is unknown (budgets need -AllowUnpricedModel). Add the version for the full checks and a cost estimate: " +
                        id + "@" + string.Join(", " + id + "@", ModelCatalog.ForGateway(Gateway).Where(m => m.IsSoldIn(region)).Select(m => m.Version)) + ".");
                }
                var model = ModelCatalog.Find(Gateway, version);
                if (model != null) return ModelChoice.Of(model, id);
                return ModelChoice.Unresolved("Model '" + text + "' names an endpoint with an unknown Seedream version '" + version + "'; use " +
                    id + "@" + string.Join(", " + id + "@", ModelCatalog.ForGateway(Gateway).Select(m => m.Version)) + ".");
            }
            if (text.StartsWith("doubao-", StringComparison.OrdinalIgnoreCase))
            {
                // Volcengine's ids are BytePlus's with a doubao- prefix; the model is the same, the id is sent as given.
                var model = ModelCatalog.ForGateway(Gateway).FirstOrDefault(m => string.Equals(m.Id, text.Substring("doubao-".Length), StringComparison.OrdinalIgnoreCase));
                if (model != null) return ModelChoice.Of(model, text);
            }
            return ModelCatalog.Resolve(Gateway, text, region);
        }
    }
}
