namespace SeedreamPS.Simulator;

/// <summary>Writes a real baseline JPEG of any size in one flat grey (the simplest image a decoder must accept): each
/// 8x8 block is its DC value and an end-of-block, entropy-coded with two tiny Huffman tables. ModelArk serves JPEG, so
/// the client's JPEG path (naming, integrity check, truncation) is exercised end to end.</summary>
internal static class JpegWriter
{
    public static byte[] Render(int width, int height, int seed, int paddingBytes)
    {
        using var output = new MemoryStream();
        void Marker(byte code) { output.WriteByte(0xFF); output.WriteByte(code); }
        void Segment(byte code, byte[] data)
        {
            Marker(code);
            output.WriteByte((byte)((data.Length + 2) >> 8));
            output.WriteByte((byte)((data.Length + 2) & 0xFF));
            output.Write(data);
        }

        Marker(0xD8); // SOI
        Segment(0xE0, new byte[] { (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 });
        // Room for a realistic file size, in comment segments (at most 65,533 bytes each).
        for (int left = paddingBytes; left > 0; left -= 65533)
        {
            var filler = new byte[Math.Min(left, 65533)];
            new Random(seed).NextBytes(filler);
            Segment(0xFE, filler);
        }
        Segment(0xDB, new byte[] { 0x00 }.Concat(Enumerable.Repeat((byte)1, 64)).ToArray()); // DQT: table 0, all ones
        Segment(0xC0, new byte[] { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0 }); // SOF0, one component
        // DC table 0: two codes of length 2 (category 0, and the first block's category); AC table 0: end-of-block only.
        int grey = 64 + seed * 8; // 64..184, never 128 (its DC is 0 and needs no category of its own)
        if (grey == 128) grey = 136;
        int dc = 8 * (grey - 128);
        int category = dc == 0 ? 0 : (int)Math.Floor(Math.Log2(Math.Abs(dc))) + 1;
        var dcTable = new byte[1 + 16 + 2];
        dcTable[0] = 0x00; dcTable[2] = 2; dcTable[17] = 0; dcTable[18] = (byte)category;
        Segment(0xC4, dcTable);
        var acTable = new byte[1 + 16 + 1];
        acTable[0] = 0x10; acTable[1] = 1; acTable[17] = 0x00;
        Segment(0xC4, acTable);
        Segment(0xDA, new byte[] { 1, 1, 0x00, 0, 63, 0 }); // SOS

        var bits = new BitWriter(output);
        int blocks = ((width + 7) / 8) * ((height + 7) / 8);
        for (int b = 0; b < blocks; b++)
        {
            if (b == 0 && category > 0)
            {
                bits.Write(0b01, 2); // the first block's category
                int value = dc > 0 ? dc : dc + (1 << category) - 1;
                bits.Write(value, category);
            }
            else bits.Write(0b00, 2); // no change from the block before
            bits.Write(0, 1); // end of block
        }
        bits.Flush();
        Marker(0xD9); // EOI
        return output.ToArray();
    }

    private sealed class BitWriter
    {
        private readonly Stream _output;
        private int _buffer;
        private int _count;

        public BitWriter(Stream output) => _output = output;

        public void Write(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            // Padded with 1-bits, as the standard says.
            while (_count != 0) Write(1, 1);
        }

        private void Emit()
        {
            _output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF) _output.WriteByte(0x00); // byte stuffing
            _buffer = 0;
            _count = 0;
        }
    }
}
