using System.Collections.Generic;
using System.Linq;

namespace SeedreamPS.Core.Tasks
{
    /// <summary>A task's images that read as their URLs in a table cell, Export-Csv or string interpolation.</summary>
    public sealed class SeedreamImageList : ReadableList<SeedreamImage>
    {
        /// <summary>An empty list.</summary>
        public SeedreamImageList()
        {
        }

        /// <summary>A list of <paramref name="images"/>.</summary>
        public SeedreamImageList(IEnumerable<SeedreamImage> images) : base(images ?? Enumerable.Empty<SeedreamImage>())
        {
        }

        /// <summary>The URLs, separated by "; ".</summary>
        public override string ToString() => string.Join("; ", this.Select(i => i.Url?.AbsoluteUri));
    }
}
