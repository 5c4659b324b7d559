using System.IO;

namespace SeedreamPS.Core.Errors
{
    /// <summary>The target file exists and replacing it was not asked for.</summary>
    public sealed class FileExistsException : IOException
    {
        /// <summary>Creates the exception for <paramref name="path"/>.</summary>
        public FileExistsException(string path) : base("The file '" + path + "' already exists; use -Force to replace it, or -NoClobber to keep it.")
        {
            Path = path;
        }

        /// <summary>The file.</summary>
        public string Path { get; }
    }
}
