using System.Net;

namespace SeedreamPS.Core.Storage
{
    /// <summary>A record that failed, and why.</summary>
    public sealed class GalleryFailure
    {
        /// <summary>What failed (a record's name, a prompt, a task id).</summary>
        public string What { get; set; }

        /// <summary>Why.</summary>
        public string Why { get; set; }

        /// <summary>The error id.</summary>
        public string ErrorId { get; set; }
    }
}
