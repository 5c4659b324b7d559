using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SeedreamPS.Core.Journal
{
    /// <summary>Rolls finished history out of the live journal file into dated archives beside it
    /// (journal.2026-11.jsonl, by month), so opening the journal costs the same whatever its history.
    /// <see cref="CompactionScan"/> decides what stays and where the rest goes; this writes it. Archives are written
    /// and synced before the live file is replaced, so a crash at any point leaves every line in the live file, an
    /// archive, or both (reading tolerates duplicates). The new live file starts with a header naming a fresh
    /// generation, so a process tailing the old one notices the replacement.</summary>
    internal sealed class JournalCompactor
    {
        private readonly string _path;

        /// <summary>The compactor for the live journal file at <paramref name="path"/>.</summary>
        public JournalCompactor(string path) => _path = path;

        /// <summary>The dated archive files beside the live one, oldest first.</summary>
        public IReadOnlyList<string> ArchivePaths
        {
            get
            {
                string folder = Path.GetDirectoryName(_path);
                if (!Directory.Exists(folder)) return new string[0];
                string stem = Path.GetFileNameWithoutExtension(_path) + ".";
                return Directory.GetFiles(folder, stem + "????-??" + Path.GetExtension(_path))
                    .OrderBy(p => p, StringComparer.Ordinal).ToList();
            }
        }

        // Only files this journal's inline folder holds under the decoder's names: a line cannot make it delete anything else.
        private void DeleteStagedFiles(IEnumerable<string> files)
        {
            string folder = TaskJournal.InlineFolderOf(_path);
            // One that cannot be deleted stays; no live line names it any more, so nothing reads it.
            foreach (var file in files.Where(Client.InlineImageParser.IsStagedName)) Storage.AtomicFile.TryDelete(Path.Combine(folder, file));
        }

        private string ArchivePath(string month) =>
            Path.Combine(Path.GetDirectoryName(_path), Path.GetFileNameWithoutExtension(_path) + "." + month + Path.GetExtension(_path));

        /// <summary>Moves the lines that have left the live file's scope into the archives, when there are any and, unless
        /// <paramref name="force"/>, at least <paramref name="threshold"/> of them; returns how many moved. The caller
        /// holds this process's file work and the cross-process <see cref="JournalLock"/>: the live file is replaced,
        /// and nobody may append meanwhile.</summary>
        public int Compact(DateTimeOffset now, bool force, int threshold)
        {
            if (!File.Exists(_path)) return 0;
            var scan = new CompactionScan(now);
            using (var stream = JournalLines.OpenForReading(_path))
            {
                if (stream == null) return 0;
                JournalLines.ForEachLine(stream, (bytes, length) => scan.Note(bytes, length), out _, includePartial: true);
            }
            int archivable = scan.ArchivableLines();
            if (archivable == 0 || (!force && archivable < threshold)) return 0;

            string temp = _path + ".compacting";
            var archives = new Dictionary<string, FileStream>(StringComparer.Ordinal);
            try
            {
                using (var live = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    var header = Encoding.UTF8.GetBytes("{\"v\":1,\"type\":\"" + JournalRecordTypes.Header + "\",\"generation\":\"" + Guid.NewGuid().ToString("N") + "\",\"time\":\"" +
                        now.ToString("O", CultureInfo.InvariantCulture) + "\"}\n");
                    live.Write(header, 0, header.Length);
                    using (var stream = JournalLines.OpenForReading(_path))
                    {
                        JournalLines.ForEachLine(stream, (bytes, length) =>
                        {
                            var route = scan.Route(bytes, length);
                            if (route == null) return;
                            Stream target = live;
                            if (route != CompactionScan.Live)
                            {
                                if (!archives.TryGetValue(route, out var archive))
                                {
                                    archive = new FileStream(ArchivePath(route), FileMode.Append, FileAccess.Write, FileShare.Read);
                                    archives[route] = archive;
                                }
                                target = archive;
                            }
                            target.Write(bytes, 0, length);
                            target.WriteByte((byte)'\n');
                        }, out _, includePartial: true);
                    }
                    foreach (var archive in archives.Values) archive.Flush(flushToDisk: true);
                    live.Flush(flushToDisk: true);
                }
            }
            finally
            {
                foreach (var archive in archives.Values) archive.Dispose();
            }
            File.Replace(temp, _path, null);
            DeleteStagedFiles(scan.StagedFilesLeaving());
            return archivable;
        }
    }
}
