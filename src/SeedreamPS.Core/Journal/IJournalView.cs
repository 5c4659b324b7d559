using System.Collections.Generic;

namespace SeedreamPS.Core.Journal
{
    /// <summary>What <see cref="JournalWriter"/> needs from the journal it appends for: its in-memory view of the live
    /// file, which every append keeps in step with the file, in the file's order.</summary>
    internal interface IJournalView
    {
        /// <summary>Held while this process works on the file (appends, tail reads, loads, compaction), so they never
        /// interleave.</summary>
        object FileWork { get; }

        /// <summary>Reads the live file (compacting it first where due) unless already read. Called before the writer
        /// holds <see cref="FileWork"/> or the cross-process lock, since loading takes both.</summary>
        void EnsureLoaded();

        /// <summary>Under <see cref="FileWork"/> and the cross-process lock: applies what other processes appended and
        /// returns the offset up to which this process has read the file.</summary>
        long CatchUp();

        /// <summary>Under <see cref="FileWork"/>: applies this process's <paramref name="lines"/> (each ending in its
        /// newline) just written, which end the file at <paramref name="end"/>.</summary>
        void Appended(IReadOnlyList<byte[]> lines, long end);
    }
}
