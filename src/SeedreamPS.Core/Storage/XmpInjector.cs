using System;
using System.Collections.Generic;
using System.IO.Compression;
using System.Text;

namespace SeedreamPS.Core.Storage
{
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
