using System.Collections.Generic;
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
}
