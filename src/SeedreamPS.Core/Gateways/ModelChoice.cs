using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.Gateways
{
    /// <summary>A model as a user named it, resolved by its gateway's adapter: the catalogue entry whose limits and price
    /// apply, and the id sent on the wire.</summary>
    public sealed class ModelChoice
    {
        private ModelChoice(ModelInfo model, string wireId, string problem)
        {
            Model = model;
            WireId = wireId;
            Problem = problem;
        }

        /// <summary>The catalogue entry; null when the name could not be resolved.</summary>
        public ModelInfo Model { get; }

        /// <summary>The id sent as the request's <c>model</c>: the catalogue id unless the name is one the gateway takes as
        /// given (an endpoint id) or the region has its own ids.</summary>
        public string WireId { get; }

        /// <summary>Why the name could not be resolved, in words for the user; null when it was.</summary>
        public string Problem { get; }

        /// <summary>What the user should know about a name that resolved with less than the full checks (a warning), or null.</summary>
        public string Notice { get; private set; }

        /// <summary>The catalogue entry (or stand-in), sent under <paramref name="wireId"/>, with a warning for the user.</summary>
        public static ModelChoice Of(ModelInfo model, string wireId, string notice) => new ModelChoice(model, wireId ?? model.Id, null) { Notice = notice };

        /// <summary>The catalogue entry, sent under its own id.</summary>
        public static ModelChoice Of(ModelInfo model) => new ModelChoice(model, model.Id, null);

        /// <summary>The catalogue entry, sent under <paramref name="wireId"/>.</summary>
        public static ModelChoice Of(ModelInfo model, string wireId) => new ModelChoice(model, wireId ?? model.Id, null);

        /// <summary>A name that resolves to no model, and why.</summary>
        public static ModelChoice Unresolved(string problem) => new ModelChoice(null, null, problem);
    }
}
