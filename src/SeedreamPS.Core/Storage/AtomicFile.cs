using System;
using System.IO;

namespace SeedreamPS.Core.Storage
{
    /// <summary>Small files written whole or not at all: a temporary file beside the target, synced, then renamed over it.
    /// A crash leaves the old file or the new one, never half of either, and no temporary file is left behind.</summary>
    internal static class AtomicFile
    {
        /// <summary>Deletes <paramref name="path"/> if it can: a leftover that nothing depends on (a temporary or decoded
        /// file) stays where it is when the system will not let it go.</summary>
        public static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }

        public static void Write(string target, Action<Stream> write)
        {
            string temp = Path.Combine(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + ".partial");
            try
            {
                using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    write(file);
                    file.Flush(flushToDisk: true);
                }
                if (File.Exists(target)) File.Replace(temp, target, null);
                else File.Move(temp, target);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }
}
