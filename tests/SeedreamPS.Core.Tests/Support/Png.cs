using System.Buffers.Binary;
using Xunit;

namespace SeedreamPS.Core.Tests;

public static class Png
{
    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    public static (int Width, int Height) Size(string path)
    {
        byte[] head = new byte[24];
        using (var f = System.IO.File.OpenRead(path)) f.ReadExactly(head);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head[..8]);
        return (BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(20)));
    }
}
