using System;
using System.Collections.Generic;
using System.IO;

namespace SeedreamPS.Core.Storage
{
    /// <summary>The file names this process has given to images, each with the image it was given to. A name is claimed
    /// before its download starts and stays claimed until the batch that claimed it ends, so two images of one command,
    /// or of two commands of one pipeline, never share a name, however their downloads interleave. (Other processes are
    /// kept apart by the placeholder <see cref="ImageDownloader"/> creates.)</summary>
    internal static class FileClaims
    {
        // Windows and macOS file systems ignore case by default: HERO.png and hero.png are one file there.
        internal static readonly StringComparer PathComparer = Environment.OSVersion.Platform == PlatformID.Unix && !IsMacOS() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        private static readonly Dictionary<string, string> Claims = new Dictionary<string, string>(PathComparer);

        /// <summary>Claims <paramref name="path"/> for <paramref name="owner"/> (a description of the image, which also
        /// tells two images apart). Returns null when claimed (or already held by the same image), else the holder.</summary>
        public static string TryClaim(string path, string owner)
        {
            lock (Claims)
            {
                if (Claims.TryGetValue(path, out var holder) && !string.Equals(holder, owner, StringComparison.Ordinal)) return holder;
                Claims[path] = owner;
                return null;
            }
        }

        /// <summary>Gives the names back (what the batch claimed, when it ends).</summary>
        public static void Release(IEnumerable<KeyValuePair<string, string>> claims)
        {
            lock (Claims)
            {
                foreach (var claim in claims)
                {
                    if (Claims.TryGetValue(claim.Key, out var holder) && string.Equals(holder, claim.Value, StringComparison.Ordinal)) Claims.Remove(claim.Key);
                }
            }
        }

        private static bool IsMacOS()
        {
            try
            {
                return Directory.Exists("/System/Library/CoreServices") && File.Exists("/System/Library/CoreServices/SystemVersion.plist");
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
