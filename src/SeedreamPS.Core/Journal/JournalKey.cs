using System;
using System.Globalization;

namespace SeedreamPS.Core.Journal
{
    /// <summary>Which request, from which input record, and which repetition of that pair within one run.</summary>
    public sealed class JournalKey : IEquatable<JournalKey>
    {
        /// <summary>Creates a key.</summary>
        public JournalKey(string fingerprint, string record, int occurrence)
        {
            Fingerprint = fingerprint;
            Record = record ?? "";
            Occurrence = occurrence;
        }

        /// <summary>The request fingerprint.</summary>
        public string Fingerprint { get; }

        /// <summary>The carried record's fingerprint ("" for none).</summary>
        public string Record { get; }

        /// <summary>0 for the first identical request from an identical record in a run, 1 for the second, …</summary>
        public int Occurrence { get; }

        /// <inheritdoc />
        public bool Equals(JournalKey other) => other != null && Fingerprint == other.Fingerprint && Record == other.Record && Occurrence == other.Occurrence;

        /// <inheritdoc />
        public override bool Equals(object obj) => Equals(obj as JournalKey);

        /// <inheritdoc />
        public override int GetHashCode() => (Fingerprint + "|" + Record + "|" + Occurrence.ToString(CultureInfo.InvariantCulture)).GetHashCode();
    }
}
