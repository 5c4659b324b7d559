using System;
using System.IO;

namespace SeedreamPS.Core.References
{
    /// <summary>An image's format and size in pixels, read from its header without decoding it.</summary>
    public sealed class ImageHeader
    {
        private ImageHeader(string format, int width, int height, bool? hasAlpha = null)
        {
            Format = format;
            Width = width;
            Height = height;
            HasAlpha = hasAlpha;
        }

        /// <summary>png, jpeg, gif, webp, bmp, tiff, heic or heif.</summary>
        public string Format { get; }

        /// <summary>Width in pixels.</summary>
        public int Width { get; }

        /// <summary>Height in pixels.</summary>
        public int Height { get; }

        /// <summary>Whether the image has an alpha channel (transparency): known for PNG (an alpha colour type or a tRNS
        /// chunk), WebP (its alpha flag) and JPEG (never); null where the header does not say.</summary>
        public bool? HasAlpha { get; }

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
                    case "png": return count >= 26 ? new ImageHeader(format, BigEndian32(head, 16), BigEndian32(head, 20), PngAlpha(stream, head[25])) : null;
                    case "gif": return count >= 10 ? new ImageHeader(format, LittleEndian16(head, 6), LittleEndian16(head, 8)) : null;
                    case "bmp": return count >= 26 ? new ImageHeader(format, LittleEndian32(head, 18), Math.Abs(LittleEndian32(head, 22))) : null;
                    case "webp": return WebP(head, count);
                    case "jpeg": return Jpeg(stream);
                    case "tiff": return Tiff(stream, head[0] == 0x49);
                    case "heic":
                    case "heif":
                        stream.Position = 0;
                        return Heif(stream, format);
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
                    // Lossy: 14-bit width and height after the frame tag and start code; a simple lossy file has no alpha.
                    return new ImageHeader("webp", LittleEndian16(h, 26) & 0x3FFF, LittleEndian16(h, 28) & 0x3FFF, false);
                case "VP8L":
                    // Lossless: after the 0x2F signature, 14 bits of width - 1, 14 bits of height - 1, then the alpha hint bit.
                    int b0 = h[21], b1 = h[22], b2 = h[23], b3 = h[24];
                    return new ImageHeader("webp", 1 + (b0 | ((b1 & 0x3F) << 8)), 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0F) << 10)), (b3 & 0x10) != 0);
                case "VP8X":
                    // Extended: flags (0x10 is alpha), then 24-bit canvas width - 1 and height - 1.
                    return new ImageHeader("webp", 1 + (h[24] | (h[25] << 8) | (h[26] << 16)), 1 + (h[27] | (h[28] << 8) | (h[29] << 16)), (h[20] & 0x10) != 0);
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
                    return new ImageHeader("jpeg", (buffer[3] << 8) | buffer[4], (buffer[1] << 8) | buffer[2], false);
                }
                stream.Seek(length - 2, SeekOrigin.Current);
            }
        }

        // Colour types 4 and 6 carry alpha; a palette or grey image gets it from a tRNS chunk, which comes before IDAT.
        private static bool? PngAlpha(Stream stream, byte colourType)
        {
            if (colourType == 4 || colourType == 6) return true;
            stream.Position = 8;
            var header = new byte[8];
            while (ReadUpTo(stream, header, 0, 8) == 8)
            {
                long length = (uint)BigEndian32(header, 0);
                string type = System.Text.Encoding.ASCII.GetString(header, 4, 4);
                if (type == "tRNS") return true;
                if (type == "IDAT" || type == "IEND") return false;
                stream.Position += length + 4;
            }
            return null;
        }

        // HEIF keeps the image size in 'ispe' properties: meta > iprp > ipco > ispe. The primary image is the largest one
        // there (thumbnails and grid tiles are smaller), so the largest is taken instead of following pitm and ipma.
        private static ImageHeader Heif(Stream stream, string format)
        {
            long end = stream.Length;
            while (stream.Position + 8 <= end)
            {
                var (type, start, size) = NextBox(stream, end);
                if (type == "meta")
                {
                    stream.Position = start + 4; // a full box: version and flags
                    long metaEnd = start + size;
                    while (stream.Position + 8 <= metaEnd)
                    {
                        var (inner, innerStart, innerSize) = NextBox(stream, metaEnd);
                        if (inner == "iprp")
                        {
                            long iprpEnd = innerStart + innerSize;
                            while (stream.Position + 8 <= iprpEnd)
                            {
                                var (property, propertyStart, propertySize) = NextBox(stream, iprpEnd);
                                if (property == "ipco") return LargestIspe(stream, format, propertyStart + propertySize);
                                stream.Position = propertyStart + propertySize;
                            }
                            return null;
                        }
                        stream.Position = innerStart + innerSize;
                    }
                    return null;
                }
                stream.Position = start + size;
            }
            return null;
        }

        private static ImageHeader LargestIspe(Stream stream, string format, long end)
        {
            ImageHeader best = null;
            var bytes = new byte[12];
            while (stream.Position + 8 <= end)
            {
                var (type, start, size) = NextBox(stream, end);
                if (type == "ispe" && size >= 12 && ReadUpTo(stream, bytes, 0, 12) == 12)
                {
                    int width = BigEndian32(bytes, 4), height = BigEndian32(bytes, 8);
                    if (best == null || (long)width * height > (long)best.Width * best.Height) best = new ImageHeader(format, width, height);
                }
                stream.Position = start + size;
            }
            return best;
        }

        // One ISO box header: its type, where its content starts and how long the content is (bounded by the parent).
        private static (string Type, long ContentStart, long ContentSize) NextBox(Stream stream, long parentEnd)
        {
            var header = new byte[16];
            long boxStart = stream.Position;
            if (ReadUpTo(stream, header, 0, 8) < 8) throw new EndOfStreamException();
            long size = (uint)BigEndian32(header, 0);
            string type = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            int headerLength = 8;
            if (size == 1)
            {
                if (ReadUpTo(stream, header, 8, 8) < 8) throw new EndOfStreamException();
                size = ((long)(uint)BigEndian32(header, 8) << 32) | (uint)BigEndian32(header, 12);
                headerLength = 16;
            }
            else if (size == 0) size = parentEnd - boxStart;
            if (size < headerLength || boxStart + size > parentEnd) throw new EndOfStreamException();
            return (type, boxStart + headerLength, size - headerLength);
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
