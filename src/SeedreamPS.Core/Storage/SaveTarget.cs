using System;
using System.IO;
using SeedreamPS.Core.Errors;

namespace SeedreamPS.Core.Storage
{
    /// <summary>Checks a save's target folder before anything is sent, so an unwritable -Path is found before any image is
    /// paid for, not after every task was made.</summary>
    public static class SaveTarget
    {
        /// <summary>Creates <paramref name="folder"/> if missing and proves it takes a file (one created and deleted).</summary>
        /// <exception cref="SeedreamException">The folder cannot be created or written.</exception>
        public static void EnsureWritable(string folder)
        {
            if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("The folder is empty.", nameof(folder));
            EnsureWritable(folder, why => "The output folder '" + folder + "' cannot be created or written (-Path): " + why + " Nothing was sent; choose a folder this account can write.");
        }

        /// <summary>Creates <paramref name="folder"/> if missing and proves it takes a file; a failure is the error
        /// <paramref name="message"/> writes from the system's reason.</summary>
        internal static void EnsureWritable(string folder, Func<string, string> message)
        {
            try
            {
                string full = Path.GetFullPath(folder);
                Directory.CreateDirectory(full);
                string probe = Path.Combine(full, ".seedreamps-write-check-" + Guid.NewGuid().ToString("N"));
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                throw new SeedreamException(e is UnauthorizedAccessException ? ErrorIds.AccessDenied : ErrorIds.FileError,
                    e is UnauthorizedAccessException ? SeedreamErrorCategory.PermissionDenied : SeedreamErrorCategory.WriteError, message(e.Message), e);
            }
        }
    }
}
