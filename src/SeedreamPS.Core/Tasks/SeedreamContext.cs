using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SeedreamPS.Core.Tasks
{
    /// <summary>The input record's columns a task carries, reading as "Name=hero; Campaign=spring" in a cell.</summary>
    public sealed class SeedreamContext : Dictionary<string, object>
    {
        /// <summary>An empty context (names compared without case, as PowerShell does).</summary>
        public SeedreamContext() : base(StringComparer.OrdinalIgnoreCase)
        {
        }

        /// <summary>The columns as name=value pairs, separated by "; ".</summary>
        public override string ToString() => string.Join("; ", this.Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
    }
}
