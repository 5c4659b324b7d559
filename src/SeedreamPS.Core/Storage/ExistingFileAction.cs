
namespace SeedreamPS.Core.Storage
{
    /// <summary>What to do when the target file already exists.</summary>
    public enum ExistingFileAction
    {
        /// <summary>Report an error and keep the existing file (the default: nothing is destroyed).</summary>
        Fail,

        /// <summary>Replace it (atomically).</summary>
        Overwrite,

        /// <summary>Keep it and do not download (re-running a batch saves only what is missing).</summary>
        Skip,
    }
}
