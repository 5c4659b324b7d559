using System;
using System.Collections.Generic;
using System.Net;

namespace SeedreamPS.Core.Storage
{
    /// <summary>One saved image on the review page.</summary>
    public sealed class GalleryImage
    {
        /// <summary>The image file.</summary>
        public string Path { get; set; }

        /// <summary>The prompt that made it.</summary>
        public string Prompt { get; set; }

        /// <summary>The model.</summary>
        public string Model { get; set; }

        /// <summary>The gateway.</summary>
        public string Gateway { get; set; }

        /// <summary>The task id.</summary>
        public string TaskId { get; set; }

        /// <summary>The estimated cost of this image in US dollars, where the model has a published price.</summary>
        public decimal? CostUsd { get; set; }

        /// <summary>The input record's columns.</summary>
        public IDictionary<string, object> Columns { get; set; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The IPTC digital source type embedded in the file; when null, the page reads it from the file.</summary>
        public string DigitalSourceType { get; set; }
    }
}
