namespace SeedreamPS.Core.Storage
{
    /// <summary>Recognises image files by their first bytes (magic numbers), not by name or Content-Type.</summary>
    public static class ImageFormat
    {
        /// <summary>Bytes needed to recognise every supported format.</summary>
        public const int SignatureLength = 12;

        /// <summary>The format of a file starting with <paramref name="head"/>: png, jpeg, gif, webp, bmp, tiff, heic or heif;
        /// null for anything else.</summary>
        public static string Detect(byte[] head, int count)
        {
            if (head == null) return null;
            bool Starts(params byte[] magic)
            {
                if (count < magic.Length) return false;
                for (int i = 0; i < magic.Length; i++) if (head[i] != magic[i]) return false;
                return true;
            }
            if (Starts(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)) return "png";
            if (Starts(0xFF, 0xD8, 0xFF)) return "jpeg";
            if (Starts(0x47, 0x49, 0x46, 0x38, 0x37, 0x61) || Starts(0x47, 0x49, 0x46, 0x38, 0x39, 0x61)) return "gif";
            if (count >= 12 && Starts(0x52, 0x49, 0x46, 0x46) && head[8] == 0x57 && head[9] == 0x45 && head[10] == 0x42 && head[11] == 0x50) return "webp";
            if (Starts(0x42, 0x4D)) return "bmp";
            if (Starts(0x49, 0x49, 0x2A, 0x00) || Starts(0x4D, 0x4D, 0x00, 0x2A)) return "tiff";
            // ISO base media: a box of type ftyp whose major brand says HEVC-coded HEIF (heic) or another HEIF (heif).
            if (count >= 12 && head[4] == (byte)'f' && head[5] == (byte)'t' && head[6] == (byte)'y' && head[7] == (byte)'p')
            {
                string brand = System.Text.Encoding.ASCII.GetString(head, 8, 4);
                switch (brand)
                {
                    case "heic": case "heix": case "hevc": case "hevx": case "heim": case "heis": return "heic";
                    case "mif1": case "msf1": case "heif": return "heif";
                }
            }
            return null;
        }

        /// <summary>Whether a file of <paramref name="format"/> whose last bytes are <paramref name="tail"/> is complete:
        /// a PNG ends with its IEND chunk, a JPEG with its end-of-image marker. Other formats are not checked.</summary>
        public static bool HasCompleteEnding(string format, byte[] tail, int count)
        {
            if (format == "png")
            {
                byte[] iend = { 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 };
                return EndsWith(tail, count, iend);
            }
            if (format == "jpeg") return EndsWith(tail, count, new byte[] { 0xFF, 0xD9 });
            return true;
        }

        private static bool EndsWith(byte[] tail, int count, byte[] suffix)
        {
            if (count < suffix.Length) return false;
            for (int i = 0; i < suffix.Length; i++)
            {
                if (tail[count - suffix.Length + i] != suffix[i]) return false;
            }
            return true;
        }
    }
}
