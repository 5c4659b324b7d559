using System.Buffers.Binary;
using System.Text;

namespace SeedreamPS.Core.Tests;

/// <summary>Small files with real headers of each format, made by the tests (no binary fixtures in the repo).</summary>
public static class TinyImages
{
    public static byte[] Png(int width, int height)
    {
        var b = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
        b.AddRange(Encoding.ASCII.GetBytes("IHDR"));
        b.AddRange(Be32(width));
        b.AddRange(Be32(height));
        b.AddRange(new byte[] { 8, 2, 0, 0, 0, 0, 0, 0, 0 });
        b.AddRange(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 });
        return b.ToArray();
    }

    /// <summary>A PNG whose colour type (6, RGBA) carries an alpha channel.</summary>
    public static byte[] PngWithAlpha(int width, int height)
    {
        var b = Png(width, height);
        b[25] = 6;
        return b;
    }

    /// <summary>A HEIF file as cameras write it, as far as its size: ftyp (brand heic), then meta > iprp > ipco with a
    /// thumbnail's ispe before the image's.</summary>
    public static byte[] Heif(int width, int height)
    {
        static byte[] Box(string type, params byte[][] content)
        {
            var body = content.SelectMany(c => c).ToArray();
            return Be32(8 + body.Length).Concat(Encoding.ASCII.GetBytes(type)).Concat(body).ToArray();
        }
        static byte[] Ispe(int w, int h) => Box("ispe", new byte[4], Be32(w), Be32(h));
        var ftyp = Box("ftyp", Encoding.ASCII.GetBytes("heic"), new byte[4], Encoding.ASCII.GetBytes("mif1heic"));
        var hdlr = Box("hdlr", new byte[8], Encoding.ASCII.GetBytes("pict"), new byte[13]);
        var meta = Box("meta", new byte[4], hdlr, Box("iprp", Box("ipco", Ispe(320, 240), Ispe(width, height))));
        return ftyp.Concat(meta).Concat(Box("mdat", new byte[16])).ToArray();
    }

    public static byte[] Jpeg(int width, int height)
    {
        var b = new List<byte> { 0xFF, 0xD8 };
        // An APP1 segment first, as cameras write, so the reader must skip segments to find the frame.
        b.AddRange(new byte[] { 0xFF, 0xE1, 0x00, 0x10 });
        b.AddRange(new byte[14]);
        b.AddRange(new byte[] { 0xFF, 0xC0, 0x00, 0x11, 0x08 });
        b.AddRange(Be16(height));
        b.AddRange(Be16(width));
        b.AddRange(new byte[] { 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 });
        b.AddRange(new byte[] { 0xFF, 0xD9 });
        return b.ToArray();
    }

    public static byte[] Gif(int width, int height)
    {
        var b = new List<byte>(Encoding.ASCII.GetBytes("GIF89a"));
        b.AddRange(Le16(width));
        b.AddRange(Le16(height));
        b.AddRange(new byte[] { 0, 0, 0, 0x3B });
        return b.ToArray();
    }

    public static byte[] Bmp(int width, int height)
    {
        var b = new byte[54];
        b[0] = 0x42;
        b[1] = 0x4D;
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), -height); // top-down rows are stored with a negative height
        return b;
    }

    public static byte[] WebPLossy(int width, int height)
    {
        var b = Riff("VP8 ", 10);
        b[23] = 0x9D; b[24] = 0x01; b[25] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(26), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(28), (ushort)height);
        return b;
    }

    public static byte[] WebPLossless(int width, int height)
    {
        var b = Riff("VP8L", 5);
        b[20] = 0x2F;
        uint bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(21), bits);
        return b;
    }

    public static byte[] WebPExtended(int width, int height)
    {
        var b = Riff("VP8X", 10);
        int w = width - 1, h = height - 1;
        b[24] = (byte)w; b[25] = (byte)(w >> 8); b[26] = (byte)(w >> 16);
        b[27] = (byte)h; b[28] = (byte)(h >> 8); b[29] = (byte)(h >> 16);
        return b;
    }

    public static byte[] Tiff(int width, int height, bool littleEndian)
    {
        var b = new byte[8 + 2 + 2 * 12 + 4];
        if (littleEndian) { b[0] = 0x49; b[1] = 0x49; b[2] = 0x2A; }
        else { b[0] = 0x4D; b[1] = 0x4D; b[3] = 0x2A; }
        void U16(int at, int v) { if (littleEndian) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), (ushort)v); else BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), (ushort)v); }
        void U32(int at, int v) { if (littleEndian) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(at), v); else BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(at), v); }
        U32(4, 8);
        U16(8, 2);
        U16(10, 256); U16(12, 4); U32(14, 1); U32(18, width);   // ImageWidth, LONG
        U16(22, 257); U16(24, 3); U32(26, 1); U16(30, height);  // ImageLength, SHORT
        return b;
    }

    private static byte[] Riff(string chunk, int chunkSize)
    {
        var b = new byte[20 + chunkSize + 16];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(b, 0);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), b.Length - 8);
        Encoding.ASCII.GetBytes("WEBP").CopyTo(b, 8);
        Encoding.ASCII.GetBytes(chunk).CopyTo(b, 12);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), chunkSize);
        return b;
    }

    private static byte[] Be32(int v) { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); return b; }
    private static byte[] Be16(int v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); return b; }
    private static byte[] Le16(int v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); return b; }
}
