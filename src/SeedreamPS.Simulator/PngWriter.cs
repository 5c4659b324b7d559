using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SeedreamPS.Simulator;

/// <summary>Writes real, valid PNG files of any size cheaply: each row is one colour (a vertical gradient),
/// so with the Sub filter a row is one pixel and zeros, which deflate squeezes to almost nothing.</summary>
internal static class PngWriter
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Render(int width, int height, int seed, int paddingBytes)
    {
        using var output = new MemoryStream();
        output.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour RGB
        WriteChunk(output, "IHDR", header);
        if (paddingBytes > 0)
        {
            var padding = new byte[paddingBytes];
            new Random(seed).NextBytes(padding);
            WriteChunk(output, "sdPd", padding); // ancillary, private: viewers skip it
        }

        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[1 + width * 3];
                row[0] = 1; // Sub filter: every pixel after the first repeats it
                var random = new Random(seed);
                byte r0 = (byte)random.Next(256), g0 = (byte)random.Next(256), b0 = (byte)random.Next(256);
                for (int y = 0; y < height; y++)
                {
                    int shade = y * 255 / Math.Max(1, height - 1);
                    row[1] = (byte)((r0 + shade) / 2);
                    row[2] = (byte)((g0 + 255 - shade) / 2);
                    row[3] = b0;
                    z.Write(row);
                }
            }
            WriteChunk(output, "IDAT", compressed.ToArray());
        }
        WriteChunk(output, "IEND", Array.Empty<byte>());
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        output.Write(four);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc(0xFFFFFFFFu, typeBytes);
        crc = Crc(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(four, crc);
        output.Write(four);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
