using Xunit;

namespace SeedreamPS.Core.Tests;

public static class Jpeg
{
    /// <summary>Width and height from a JPEG's SOF0 segment (and the file ends in EOI).</summary>
    public static (int Width, int Height) Size(string path)
    {
        byte[] b = System.IO.File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, b[..2]);
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, b[^2..]);
        for (int i = 2; i + 9 < b.Length;)
        {
            Assert.Equal(0xFF, b[i]);
            int length = (b[i + 2] << 8) | b[i + 3];
            if (b[i + 1] == 0xC0) return ((b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]);
            i += 2 + length;
        }
        throw new Xunit.Sdk.XunitException("no SOF0 segment");
    }
}
