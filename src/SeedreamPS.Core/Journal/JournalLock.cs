using System;
using System.IO;
using System.Threading;

namespace SeedreamPS.Core.Journal
{
    /// <summary>One writer at a time across processes: an exclusive handle on a lock file beside the journal (an flock on
    /// Unix). Appends and compactions hold it; readers never need it. Only the writer thread or a loader waits here,
    /// never a thread-pool thread of the async paths.</summary>
    internal sealed class JournalLock
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

        private readonly string _path;
        private readonly string _folder;
        private volatile bool _folderMade;

        /// <summary>The lock for the journal whose live file is <paramref name="journalPath"/>.</summary>
        public JournalLock(string journalPath)
        {
            _path = journalPath + ".lock";
            _folder = Path.GetDirectoryName(journalPath);
        }

        /// <summary>Waits (up to 30 seconds, then throws the last <see cref="IOException"/>) for the lock; disposing the
        /// result releases it. Makes the journal's folder where it is missing.</summary>
        public IDisposable Acquire()
        {
            // The folder is made once, not checked per write; should someone delete it meanwhile, it is made again.
            if (!_folderMade)
            {
                Directory.CreateDirectory(_folder);
                _folderMade = true;
            }
            var deadline = DateTime.UtcNow + Wait;
            var random = new Random();
            while (true)
            {
                try
                {
                    return new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (DirectoryNotFoundException) when (DateTime.UtcNow < deadline)
                {
                    Directory.CreateDirectory(_folder);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(2 + random.Next(10));
                }
            }
        }
    }
}
