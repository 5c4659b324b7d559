using System;
using System.IO;

namespace SeedreamPS.Core.References
{
    /// <summary>An image's format and size in pixels, read from its header without decoding it.</summary>
    public sealed class ImageHeader
    {
        private ImageHeader(string format, int width, int height)
        {
            Format = format;
            Width = width;
            Height = height;
        }

        /// <summary>png, jpeg, gif, webp, bmp or tiff.</summary>
        public string Format { get; }

        /// <summary>Width in pixels.</summary>
        public int Width { get; }

        /// <summary>Height in pixels.</summary>
        public int Height { get; }

        /// <summary>Reads the header of the file at <paramref name="path"/>.</summary>
        /// <returns>Null when the file is no image of a supported format, or its header is cut short.</returns>
        public static ImageHeader Read(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096))
            {
                return Read(stream);
            }
        }

        /// <summary>Reads the header from a seekable stream positioned at the start of the file.</summary>
        public static ImageHeader Read(Stream stream)
        {
            var head = new byte[32];
            int count = ReadUpTo(stream, head, 0, head.Length);
            string format = Storage.ImageFormat.Detect(head, count);
            try
            {
                switch (format)
                {
                    case "png": return count >= 24 ? new ImageHeader(format, BigEndian32(head, 16), BigEndian32(head, 20)) : null;
                    case "gif": return count >= 10 ? new ImageHeader(format, LittleEndian16(head, 6), LittleEndian16(head, 8)) : null;
                    case "bmp": return count >= 26 ? new ImageHeader(format, LittleEndian32(head, 18), Math.Abs(LittleEndian32(head, 22))) : null;
                    case "webp": return WebP(head, count);
                    case "jpeg": return Jpeg(stream);
                    case "tiff": return Tiff(stream, head[0] == 0x49);
                    default: return null;
                }
            }
            catch (EndOfStreamException)
            {
                return null;
            }
        }

        private static ImageHeader WebP(byte[] h, int count)
        {
            if (count < 30) return null;
            string chunk = System.Text.Encoding.ASCII.GetString(h, 12, 4);
            switch (chunk)
            {
                case "VP8 ":
                    // Lossy: 14-bit width and height after the frame tag and start code.
                    return new ImageHeader("webp", LittleEndian16(h, 26) & 0x3FFF, LittleEndian16(h, 28) & 0x3FFF);
                case "VP8L":
                    // Lossless: after the 0x2F signature, 14 bits of width - 1 then 14 bits of height - 1.
                    int b0 = h[21], b1 = h[22], b2 = h[23], b3 = h[24];
                    return new ImageHeader("webp", 1 + (b0 | ((b1 & 0x3F) << 8)), 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0F) << 10)));
                case "VP8X":
                    // Extended: 24-bit canvas width - 1 and height - 1.
                    return new ImageHeader("webp", 1 + (h[24] | (h[25] << 8) | (h[26] << 16)), 1 + (h[27] | (h[28] << 8) | (h[29] << 16)));
                default:
                    return null;
            }
        }

        private static ImageHeader Jpeg(Stream stream)
        {
            stream.Position = 2;
            var buffer = new byte[8];
            while (true)
            {
                // Markers may be padded with fill bytes 0xFF.
                int b = stream.ReadByte();
                if (b < 0) return null;
                if (b != 0xFF) continue;
                int marker;
                do
                {
                    marker = stream.ReadByte();
                } while (marker == 0xFF);
                if (marker < 0) return null;
                if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
                if (marker == 0xD9 || marker == 0xDA) return null; // end of image or start of scan before any frame header
                if (ReadUpTo(stream, buffer, 0, 2) < 2) return null;
                int length = (buffer[0] << 8) | buffer[1];
                if (length < 2) return null;
                bool startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (startOfFrame)
                {
                    if (ReadUpTo(stream, buffer, 0, 5) < 5) return null;
                    return new ImageHeader("jpeg", (buffer[3] << 8) | buffer[4], (buffer[1] << 8) | buffer[2]);
                }
                stream.Seek(length - 2, SeekOrigin.Current);
            }
        }

        private static ImageHeader Tiff(Stream stream, bool little)
        {
            var b = new byte[12];
            stream.Position = 4;
            if (ReadUpTo(stream, b, 0, 4) < 4) return null;
            long ifd = (uint)Int32(b, 0, little);
            if (ifd <= 0 || ifd >= stream.Length) return null;
            stream.Position = ifd;
            if (ReadUpTo(stream, b, 0, 2) < 2) return null;
            int entries = Int16(b, 0, little);
            int width = -1, height = -1;
            for (int i = 0; i < entries && (width < 0 || height < 0); i++)
            {
                if (ReadUpTo(stream, b, 0, 12) < 12) return null;
                int tag = Int16(b, 0, little);
                int type = Int16(b, 2, little);
                int value = type == 3 ? Int16(b, 8, little) : Int32(b, 8, little);
                if (tag == 256) width = value;
                else if (tag == 257) height = value;
            }
            return width > 0 && height > 0 ? new ImageHeader("tiff", width, height) : null;
        }

        private static int ReadUpTo(Stream stream, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = stream.Read(buffer, offset + total, count - total);
                if (read == 0) break;
                total += read;
            }
            return total;
        }

        private static int BigEndian32(byte[] b, int i) => (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];

        private static int LittleEndian32(byte[] b, int i) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);

        private static int LittleEndian16(byte[] b, int i) => b[i] | (b[i + 1] << 8);

        private static int Int16(byte[] b, int i, bool little) => little ? LittleEndian16(b, i) : (b[i] << 8) | b[i + 1];

        private static int Int32(byte[] b, int i, bool little) => little ? LittleEndian32(b, i) : BigEndian32(b, i);
    }
}
