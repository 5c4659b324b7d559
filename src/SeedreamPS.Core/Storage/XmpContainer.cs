using System;
using System.Collections.Generic;
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

    /// <summary>Puts an XMP packet into a PNG or JPEG while it streams from the network to disk: it looks at the file's
    /// first chunks or segments only (holding at most one small chunk), writes the packet before the image data, or
    /// merges it into the packet already there, and from then on passes every buffer through untouched. The pixels
    /// are never decoded. Other formats pass through unchanged.</summary>
    internal sealed class XmpInjector
    {
        private enum State { Start, PngSignature, PngChunkHeader, PngText, JpegMarker, JpegLength, JpegApp1, Pass }

        private readonly EmbeddedMetadata _metadata;
        private readonly List<ArraySegment<byte>> _out = new List<ArraySegment<byte>>(4);
        private State _state = State.Start;
        private byte[] _hold = new byte[16];
        private int _held;
        private int _need = 2;
        private long _skip;

        public XmpInjector(EmbeddedMetadata metadata)
        {
            _metadata = metadata ?? throw new ArgumentNullException(nameof(metadata));
        }

        /// <summary>Whether the packet went into the file (false for other formats, or a file whose layout was not recognised).</summary>
        public bool Embedded { get; private set; }

        /// <summary>The bytes to write for <paramref name="count"/> bytes of <paramref name="buffer"/>, in order. Slices of
        /// <paramref name="buffer"/> are among them, so they must be written before the buffer is reused.</summary>
        public IReadOnlyList<ArraySegment<byte>> Process(byte[] buffer, int count)
        {
            _out.Clear();
            int i = 0;
            int run = -1;
            while (i < count)
            {
                if (_state == State.Pass)
                {
                    if (run < 0) run = i;
                    i = count;
                    break;
                }
                if (_skip > 0)
                {
                    if (run < 0) run = i;
                    int skip = (int)Math.Min(_skip, count - i);
                    i += skip;
                    _skip -= skip;
                    continue;
                }
                if (run >= 0)
                {
                    _out.Add(new ArraySegment<byte>(buffer, run, i - run));
                    run = -1;
                }
                int take = Math.Min(_need, count - i);
                Hold(buffer, i, take);
                i += take;
                _need -= take;
                if (_need == 0) Decide();
            }
            if (run >= 0) _out.Add(new ArraySegment<byte>(buffer, run, i - run));
            return _out;
        }

        /// <summary>Bytes still held at the end of the body (a file that ended inside its first chunks).</summary>
        public IReadOnlyList<ArraySegment<byte>> Complete()
        {
            _out.Clear();
            EmitHeld();
            _state = State.Pass;
            return _out;
        }

        private void Hold(byte[] buffer, int offset, int count)
        {
            if (_held + count > _hold.Length) Array.Resize(ref _hold, Math.Max(_hold.Length * 2, _held + count));
            Buffer.BlockCopy(buffer, offset, _hold, _held, count);
            _held += count;
        }

        private void EmitHeld()
        {
            if (_held == 0) return;
            var copy = new byte[_held];
            Buffer.BlockCopy(_hold, 0, copy, 0, _held);
            _out.Add(new ArraySegment<byte>(copy));
            _held = 0;
            // A large held chunk is not kept for the rest of the file.
            if (_hold.Length > 64 * 1024) _hold = new byte[16];
        }

        private void Emit(byte[] bytes)
        {
            _out.Add(new ArraySegment<byte>(bytes));
            Embedded = true;
        }

        private void GiveUp()
        {
            EmitHeld();
            _state = State.Pass;
        }

        private void Next(State state, int need)
        {
            _state = state;
            _need = need;
        }

        private void Decide()
        {
            switch (_state)
            {
                case State.Start:
                    if (_hold[0] == 0x89 && _hold[1] == 0x50) Next(State.PngSignature, 6);
                    else if (_hold[0] == 0xFF && _hold[1] == 0xD8)
                    {
                        EmitHeld();
                        Next(State.JpegMarker, 2);
                    }
                    else GiveUp();
                    break;

                case State.PngSignature:
                    if (!XmpContainer.StartsWith(_hold, 0, _held, XmpContainer.PngSignature))
                    {
                        GiveUp();
                        break;
                    }
                    EmitHeld();
                    Next(State.PngChunkHeader, 8);
                    break;

                case State.PngChunkHeader:
                {
                    long length = XmpContainer.ReadBigEndian(_hold, 0);
                    string type = Encoding.ASCII.GetString(_hold, 4, 4);
                    if (length > int.MaxValue || type == "IEND")
                    {
                        GiveUp();
                    }
                    else if (type == "IDAT")
                    {
                        // The image data begins: no packet so far, so ours goes here, and the rest streams through.
                        Emit(XmpContainer.PngChunk(_metadata.ToPacket()));
                        GiveUp();
                    }
                    else if (type == "iTXt" && length <= XmpContainer.MaxHeldChunk)
                    {
                        Next(State.PngText, (int)length + 4);
                    }
                    else
                    {
                        EmitHeld();
                        _skip = length + 4;
                        Next(State.PngChunkHeader, 8);
                    }
                    break;
                }

                case State.PngText:
                {
                    var existing = XmpContainer.PacketOfPngText(_hold, 8, _held - 12);
                    var merged = existing == null ? null : _metadata.ToPacket(existing);
                    if (merged == null)
                    {
                        // Not XMP, or XMP that is not readable XML: kept as it is.
                        EmitHeld();
                        Next(State.PngChunkHeader, 8);
                        break;
                    }
                    _held = 0;
                    Emit(XmpContainer.PngChunk(merged));
                    _state = State.Pass;
                    break;
                }

                case State.JpegMarker:
                    if (_hold[0] != 0xFF)
                    {
                        GiveUp();
                    }
                    else if (_hold[1] == 0xFF)
                    {
                        // A fill byte before the marker: pass one on and look at the next.
                        _held = 1;
                        _out.Add(new ArraySegment<byte>(new byte[] { 0xFF }));
                        Next(State.JpegMarker, 1);
                    }
                    else if (XmpContainer.IsMetadataSegment(_hold[1]))
                    {
                        Next(State.JpegLength, 2);
                    }
                    else
                    {
                        // Tables, frame or scan: the metadata segments are over, and ours goes before them.
                        var segment = XmpContainer.JpegSegment(_metadata.ToPacket()) ?? XmpContainer.JpegSegment(_metadata.Essential().ToPacket());
                        if (segment != null) Emit(segment);
                        GiveUp();
                    }
                    break;

                case State.JpegLength:
                {
                    int length = (_hold[2] << 8) | _hold[3];
                    if (length < 2) GiveUp();
                    else if (_hold[1] == 0xE1 && length > 2) Next(State.JpegApp1, length - 2);
                    else
                    {
                        EmitHeld();
                        _skip = length - 2;
                        Next(State.JpegMarker, 2);
                    }
                    break;
                }

                case State.JpegApp1:
                {
                    byte[] merged = null, existingPacket = null;
                    if (XmpContainer.StartsWith(_hold, 4, _held - 4, XmpContainer.JpegXmpHeader))
                    {
                        int start = 4 + XmpContainer.JpegXmpHeader.Length;
                        var existing = new byte[_held - start];
                        Buffer.BlockCopy(_hold, start, existing, 0, existing.Length);
                        merged = _metadata.ToPacket(existing);
                        existingPacket = existing;
                    }
                    var segment = merged == null ? null : XmpContainer.JpegSegment(merged) ?? XmpContainer.JpegSegment(_metadata.Essential().ToPacket(existingPacket));
                    if (segment == null)
                    {
                        // Exif, extended XMP, unreadable XMP, or a merge too large for one segment: kept as it is.
                        EmitHeld();
                        Next(State.JpegMarker, 2);
                        break;
                    }
                    _held = 0;
                    Emit(segment);
                    _state = State.Pass;
                    break;
                }
            }
        }
    }
}
