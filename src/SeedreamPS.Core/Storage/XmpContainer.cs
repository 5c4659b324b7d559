using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace SeedreamPS.Core.Storage
{
    /// <summary>Where an XMP packet lives in a PNG (an <c>iTXt</c> chunk with keyword <c>XML:com.adobe.xmp</c>, before the
    /// image data) and a JPEG (an APP1 segment starting with the XMP namespace, after SOI and the APP segments already
    /// there): reading one from a file, and putting one into a file as it streams past.</summary>
    internal static class XmpContainer
    {
        internal static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        internal static readonly byte[] PngKeyword = Encoding.ASCII.GetBytes("XML:com.adobe.xmp\0");
        internal static readonly byte[] JpegXmpHeader = Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0");

        /// <summary>The most an APP1 segment can hold after its namespace header.</summary>
        internal const int JpegMaxPacket = 65535 - 2 - 29;

        /// <summary>iTXt chunks up to this size are held to see whether they are XMP; larger ones (never XMP in practice)
        /// stream through, so memory stays bounded whatever the file holds.</summary>
        internal const int MaxHeldChunk = 4 * 1024 * 1024;

        /// <summary>The PNG iTXt chunk (length, type, data, CRC) carrying <paramref name="packet"/> uncompressed, as the XMP
        /// specification asks.</summary>
        internal static byte[] PngChunk(byte[] packet)
        {
            // keyword\0, compression flag 0, method 0, empty language tag\0, empty translated keyword\0, text.
            int length = PngKeyword.Length + 2 + 1 + 1 + packet.Length;
            var chunk = new byte[12 + length];
            WriteBigEndian(chunk, 0, (uint)length);
            Encoding.ASCII.GetBytes("iTXt", 0, 4, chunk, 4);
            int at = 8;
            Buffer.BlockCopy(PngKeyword, 0, chunk, at, PngKeyword.Length);
            at += PngKeyword.Length + 4;
            Buffer.BlockCopy(packet, 0, chunk, at, packet.Length);
            WriteBigEndian(chunk, 8 + length, Crc32(chunk, 4, 4 + length));
            return chunk;
        }

        /// <summary>The JPEG APP1 segment carrying <paramref name="packet"/>; null when it does not fit in one segment.</summary>
        internal static byte[] JpegSegment(byte[] packet)
        {
            if (packet.Length > JpegMaxPacket) return null;
            var segment = new byte[4 + JpegXmpHeader.Length + packet.Length];
            segment[0] = 0xFF;
            segment[1] = 0xE1;
            int length = 2 + JpegXmpHeader.Length + packet.Length;
            segment[2] = (byte)(length >> 8);
            segment[3] = (byte)length;
            Buffer.BlockCopy(JpegXmpHeader, 0, segment, 4, JpegXmpHeader.Length);
            Buffer.BlockCopy(packet, 0, segment, 4 + JpegXmpHeader.Length, packet.Length);
            return segment;
        }

        /// <summary>The packet of a PNG iTXt chunk's data, or null when the chunk is not XMP.</summary>
        internal static byte[] PacketOfPngText(byte[] data, int offset, int count)
        {
            if (!StartsWith(data, offset, count, PngKeyword)) return null;
            int at = offset + PngKeyword.Length;
            int end = offset + count;
            if (at + 2 > end) return null;
            bool compressed = data[at] == 1;
            at += 2;
            // Skip the language tag and the translated keyword.
            for (int zeros = 0; zeros < 2; zeros++)
            {
                int nul = Array.IndexOf(data, (byte)0, at, end - at);
                if (nul < 0) return null;
                at = nul + 1;
            }
            if (!compressed)
            {
                var packet = new byte[end - at];
                Buffer.BlockCopy(data, at, packet, 0, packet.Length);
                return packet;
            }
            // The XMP specification forbids compressing it, but some tools do: zlib, whose 2-byte header Deflate skips.
            try
            {
                using (var z = new DeflateStream(new MemoryStream(data, at + 2, end - at - 2), CompressionMode.Decompress))
                using (var plain = new MemoryStream())
                {
                    z.CopyTo(plain);
                    return plain.ToArray();
                }
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        /// <summary>The XMP packet of a PNG or JPEG file: the first one before the image data. Null when there is none, or
        /// the file is neither format.</summary>
        internal static byte[] ReadPacket(string path)
        {
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096))
            {
                var head = new byte[8];
                if (!ReadExactly(file, head, 8)) return null;
                if (StartsWith(head, 0, 8, PngSignature))
                {
                    var header = new byte[8];
                    while (ReadExactly(file, header, 8))
                    {
                        long length = ReadBigEndian(header, 0);
                        string type = Encoding.ASCII.GetString(header, 4, 4);
                        if (type == "IDAT" || type == "IEND" || length > int.MaxValue) return null;
                        if (type == "iTXt" && length <= MaxHeldChunk)
                        {
                            var data = new byte[length];
                            if (!ReadExactly(file, data, (int)length)) return null;
                            var packet = PacketOfPngText(data, 0, data.Length);
                            if (packet != null) return packet;
                            file.Seek(4, SeekOrigin.Current);
                        }
                        else
                        {
                            file.Seek(length + 4, SeekOrigin.Current);
                        }
                    }
                    return null;
                }
                if (head[0] != 0xFF || head[1] != 0xD8) return null;
                file.Position = 2;
                var marker = new byte[4];
                while (ReadExactly(file, marker, 2))
                {
                    if (marker[0] != 0xFF) return null;
                    if (marker[1] == 0xFF)
                    {
                        file.Seek(-1, SeekOrigin.Current);
                        continue;
                    }
                    if (!IsMetadataSegment(marker[1])) return null;
                    if (!ReadExactly(file, marker, 2)) return null;
                    int length = (marker[0] << 8) | marker[1];
                    if (length < 2) return null;
                    var payload = new byte[length - 2];
                    if (!ReadExactly(file, payload, payload.Length)) return null;
                    if (StartsWith(payload, 0, payload.Length, JpegXmpHeader))
                    {
                        var packet = new byte[payload.Length - JpegXmpHeader.Length];
                        Buffer.BlockCopy(payload, JpegXmpHeader.Length, packet, 0, packet.Length);
                        return packet;
                    }
                }
                return null;
            }
        }

        /// <summary>APPn and COM: the segments that come before the tables and frame of a JPEG.</summary>
        internal static bool IsMetadataSegment(byte marker) => (marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE;

        internal static bool StartsWith(byte[] data, int offset, int count, byte[] prefix)
        {
            if (count < prefix.Length) return false;
            for (int i = 0; i < prefix.Length; i++) if (data[offset + i] != prefix[i]) return false;
            return true;
        }

        private static bool ReadExactly(Stream stream, byte[] buffer, int count)
        {
            int total = 0, read;
            while (total < count && (read = stream.Read(buffer, total, count - total)) > 0) total += read;
            return total == count;
        }

        internal static long ReadBigEndian(byte[] data, int at) =>
            ((long)data[at] << 24) | ((long)data[at + 1] << 16) | ((long)data[at + 2] << 8) | data[at + 3];

        private static void WriteBigEndian(byte[] data, int at, uint value)
        {
            data[at] = (byte)(value >> 24);
            data[at + 1] = (byte)(value >> 16);
            data[at + 2] = (byte)(value >> 8);
            data[at + 3] = (byte)value;
        }

        private static readonly uint[] CrcTable = BuildCrcTable();

        internal static uint Crc32(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFF;
            for (int i = offset; i < offset + count; i++) crc = CrcTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFF;
        }

        private static uint[] BuildCrcTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
