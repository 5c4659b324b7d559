using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace SeedreamPS.Core.Journal
{
    /// <summary>Reading journal files line by line: splitting a stream into lines, applying them to a
    /// <see cref="JournalState"/>, and reading the generation a compacted live file starts with. Shared by
    /// <see cref="TaskJournal"/>'s loads and tail reads and by <see cref="JournalCompactor"/>.</summary>
    internal static class JournalLines
    {
        // Readers share with writers and with the rename of a compaction; a reader may see a last line half written.
        public static FileStream OpenForReading(string path)
        {
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
        }

        /// <summary>Reads a whole file into <paramref name="state"/>.</summary>
        public static void ReadAll(string path, JournalState state)
        {
            if (!File.Exists(path)) return;
            using (var stream = OpenForReading(path))
            {
                if (stream == null) return;
                ReadLines(stream, state, out _);
            }
            // A whole-file read counts a last line without its newline as torn (a live reader waits for the rest).
            if (state.PendingTail) state.TornLines++;
            state.PendingTail = false;
        }

        // Applies every complete line from the stream's position; returns how many bytes were consumed. A last line without
        // its newline is a write in progress or torn by a crash: left for the next read.
        public static long ReadLines(Stream stream, JournalState state, out string generation)
        {
            string found = null;
            long consumed = ForEachLine(stream, (bytes, length) => ApplyLine(bytes, length, state, ref found), out bool pending);
            if (pending) state.PendingTail = true;
            generation = found;
            return consumed;
        }

        /// <summary>Applies one line (without its newline) to <paramref name="state"/>; a header line sets
        /// <paramref name="generation"/> instead.</summary>
        public static void ApplyLine(byte[] bytes, int length, JournalState state, ref string generation)
        {
            if (length == 0 || (length == 1 && bytes[0] == (byte)'\r')) return;
            try
            {
                using (var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, 0, length)))
                {
                    var root = doc.RootElement;
                    if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == JournalRecordTypes.Header)
                    {
                        generation = root.TryGetProperty("generation", out var g) ? g.GetString() : null;
                        return;
                    }
                    state.Apply(root);
                }
            }
            catch (JsonException)
            {
                state.TornLines++;
            }
        }

        /// <summary>The generation named by the file's header line, or null when it has none; leaves the stream's
        /// position after what it read.</summary>
        public static string ReadGeneration(Stream stream)
        {
            stream.Position = 0;
            var head = new byte[256];
            int n = 0, read;
            while (n < head.Length && (read = stream.Read(head, n, head.Length - n)) > 0) n += read;
            int end = Array.IndexOf(head, (byte)'\n', 0, n);
            if (end < 0) return null;
            string first = Encoding.UTF8.GetString(head, 0, end);
            if (!first.Contains("\"type\":\"" + JournalRecordTypes.Header + "\"")) return null;
            try
            {
                using (var doc = JsonDocument.Parse(first))
                {
                    return doc.RootElement.TryGetProperty("generation", out var g) ? g.GetString() : null;
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        // Calls onLine for each complete line (without its newline; empty lines skipped) and returns the bytes they took;
        // pending says whether a last line without its newline remained (passed on too when includePartial).
        public static long ForEachLine(Stream stream, Action<byte[], int> onLine, out bool pending, bool includePartial = false)
        {
            long consumed = 0;
            var buffer = new byte[64 * 1024];
            var line = new MemoryStream();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                int start = 0;
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    line.Write(buffer, start, i - start);
                    consumed += line.Length + 1;
                    if (line.Length > 0) onLine(line.GetBuffer(), (int)line.Length);
                    line.SetLength(0);
                    start = i + 1;
                }
                line.Write(buffer, start, read - start);
            }
            pending = line.Length > 0;
            if (pending && includePartial) onLine(line.GetBuffer(), (int)line.Length);
            return consumed;
        }
    }
}
