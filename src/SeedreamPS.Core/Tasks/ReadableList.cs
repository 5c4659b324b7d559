using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SeedreamPS.Core.Tasks
{
    /// <summary>A list that reads as its items, separated by "; ", in a table cell, Export-Csv or string interpolation,
    /// instead of as its .NET type name. Every collection an output object exposes is one of these.</summary>
    /// <typeparam name="T">The item type; each item reads as its own ToString (invariant culture for numbers).</typeparam>
    public class ReadableList<T> : List<T>
    {
        /// <summary>An empty list.</summary>
        public ReadableList()
        {
        }

        /// <summary>A list of <paramref name="items"/> (none when null).</summary>
        public ReadableList(IEnumerable<T> items) : base(items ?? Enumerable.Empty<T>())
        {
        }

        /// <summary>The items, separated by "; ".</summary>
        public override string ToString() => string.Join("; ", this.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)));

        /// <summary><paramref name="items"/> itself when it already is one, else a copy that reads as its items.</summary>
        public static ReadableList<T> From(IEnumerable<T> items) => items as ReadableList<T> ?? new ReadableList<T>(items);
    }
}
