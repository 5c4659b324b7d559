using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SeedreamPS.Core.Client
{
    /// <summary>A push parser for an answer that may carry images inline: a body of server-sent events, or one JSON
    /// body. Each <c>"b64_json"</c> value is decoded in chunks straight to a file of its own as its bytes arrive and left
    /// empty in the JSON, so a 15-image 4K batch never holds an image (let alone all) in memory, and the JSON that
    /// remains is small enough to parse as usual.</summary>
    internal sealed class InlineImageParser : IDisposable
    {
        private const int CharChunk = 64 * 1024;
        private static readonly byte[] Key = Encoding.ASCII.GetBytes("\"b64_json\"");

        private readonly string _staging;
        private readonly bool _events;
        private readonly MemoryStream _line = new MemoryStream();
        private readonly List<ServerEvent> _ready = new List<ServerEvent>();
        private string _eventName;
        private StringBuilder _data;
        private List<string> _files = new List<string>();
        // Inside a b64_json value: its characters go to the decoder, not to the line.
        private bool _inValue;
        private int _escape; // 0 none, 1 after a backslash, 2-5 reading the hex digits of \uXXXX
        private int _hex;
        private readonly char[] _chars = new char[CharChunk];
        private int _charCount;
        private FileStream _file;
        private string _filePath;
        private bool _stagingReady;

        /// <param name="staging">The folder the decoded images go to.</param>
        /// <param name="events">Server-sent events (true) or one JSON body.</param>
        public InlineImageParser(string staging, bool events)
        {
            _staging = staging;
            _events = events;
        }

        private const string PartialSuffix = ".partial";

        /// <summary>How old a half-decoded file must be to be taken for a crash's leftover: no answer takes a day.</summary>
        internal static readonly TimeSpan StalePartialAge = TimeSpan.FromDays(1);

        // A process killed inside an image leaves its half-decoded file, which no journal line names: removed here, later.
        private static void RemoveStalePartials(string folder)
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(folder, "inline-*.img" + PartialSuffix))
                {
                    if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow - StalePartialAge) File.Delete(file);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Tidying only; a leftover stays for the next stream to remove.
            }
        }

        /// <summary>Whether <paramref name="name"/> is a name this parser gives a decoded image (inline-&lt;32 hex&gt;.img),
        /// checked on the text alone. A journal line names a decoded file by this name, never by a path, so no line can
        /// point outside the journal's inline folder (wherever that folder is reached from), and reading one cannot throw.</summary>
        public static bool IsStagedName(string name)
        {
            const string prefix = "inline-", suffix = ".img";
            if (name == null || name.Length != prefix.Length + 32 + suffix.Length) return false;
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(suffix, StringComparison.Ordinal)) return false;
            for (int i = prefix.Length; i < prefix.Length + 32; i++)
            {
                char c = name[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return true;
        }

        /// <summary>Whether <paramref name="path"/> is a decoded image directly in <paramref name="folder"/> (as this process
        /// built it: no normalising, which could throw on .NET Framework): what a save may delete once the journal has it.</summary>
        public static bool IsStagedFileIn(string folder, string path)
        {
            if (folder == null || path == null) return false;
            int slash = path.LastIndexOfAny(Separators);
            return slash > 0 && IsStagedName(path.Substring(slash + 1)) &&
                Storage.FileClaims.PathComparer.Equals(path.Substring(0, slash), folder.TrimEnd(Separators));
        }

        private static readonly char[] Separators = { '/', '\\' };

        /// <summary>The folder inline images wait in until they are saved.</summary>
        public static string DefaultStaging => Path.Combine(Path.GetTempPath(), "SeedreamPS-inline");

        /// <summary>Takes the next bytes of the body.</summary>
        public void Feed(byte[] buffer, int count)
        {
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[i];
                if (_inValue)
                {
                    ValueByte(b);
                    continue;
                }
                if (_events && b == (byte)'\n')
                {
                    Line();
                    continue;
                }
                _line.WriteByte(b);
                if (b == (byte)'"' && EndsWithKey()) StartValue();
            }
        }

        /// <summary>The events complete so far (server-sent events only).</summary>
        public IReadOnlyList<ServerEvent> TakeEvents()
        {
            var events = _ready.ToArray();
            _ready.Clear();
            return events;
        }

        /// <summary>The JSON of a plain body with its inline values emptied, and the files they were decoded to, in order.</summary>
        public (string Json, IReadOnlyList<string> Files) Finish()
        {
            if (_inValue) throw new InvalidDataException("The answer ended inside an inline image.");
            var files = _files;
            _files = new List<string>();
            return (Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length), files);
        }

        // "b64_json" then optional blanks, a colon, optional blanks, and the value's opening quote just written.
        private bool EndsWithKey()
        {
            var bytes = _line.GetBuffer();
            int at = (int)_line.Length - 2;
            while (at >= 0 && (bytes[at] == ' ' || bytes[at] == '\t')) at--;
            if (at < 0 || bytes[at] != ':') return false;
            at--;
            while (at >= 0 && (bytes[at] == ' ' || bytes[at] == '\t')) at--;
            int start = at - Key.Length + 1;
            if (start < 0) return false;
            for (int k = 0; k < Key.Length; k++) if (bytes[start + k] != Key[k]) return false;
            return true;
        }

        private void StartValue()
        {
            if (!_stagingReady)
            {
                Directory.CreateDirectory(_staging);
                RemoveStalePartials(_staging);
                _stagingReady = true;
            }
            _filePath = Path.Combine(_staging, "inline-" + Guid.NewGuid().ToString("N") + ".img");
            // Decoded under a name no journal line can hold, and given its own only once whole and on disk.
            _file = new FileStream(_filePath + PartialSuffix, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 81920);
            _inValue = true;
            _charCount = 0;
            _escape = 0;
        }

        private void ValueByte(byte b)
        {
            if (_escape == 1)
            {
                // JSON may escape '/' as \/ and '+' as \u002B (System.Text.Json does).
                if (b == (byte)'u')
                {
                    _escape = 2;
                    _hex = 0;
                }
                else
                {
                    _escape = 0;
                    Char((char)b);
                }
                return;
            }
            if (_escape >= 2)
            {
                _hex = _hex * 16 + HexValue(b);
                if (++_escape == 6)
                {
                    _escape = 0;
                    Char((char)_hex);
                }
                return;
            }
            if (b == (byte)'\\')
            {
                _escape = 1;
                return;
            }
            if (b == (byte)'"')
            {
                EndValue();
                _line.WriteByte(b);
                return;
            }
            Char((char)b);
        }

        private static int HexValue(byte b)
        {
            if (b >= '0' && b <= '9') return b - '0';
            if (b >= 'a' && b <= 'f') return b - 'a' + 10;
            if (b >= 'A' && b <= 'F') return b - 'A' + 10;
            throw new InvalidDataException("A bad escape inside an inline image.");
        }

        private void Char(char c)
        {
            _chars[_charCount++] = c;
            // Whole groups of four characters decode on their own: a chunk at a time, never the whole image.
            if (_charCount == _chars.Length) Decode(_charCount);
        }

        private void Decode(int count)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64CharArray(_chars, 0, count);
            }
            catch (FormatException e)
            {
                // A malformed answer, not a local failure: reported as a broken answer.
                throw new InvalidDataException("An inline image is not valid base64.", e);
            }
            _file.Write(bytes, 0, bytes.Length);
            Array.Copy(_chars, count, _chars, 0, _charCount - count);
            _charCount -= count;
        }

        private void EndValue()
        {
            if (_charCount % 4 != 0) throw new InvalidDataException("An inline image is not whole base64.");
            if (_charCount > 0) Decode(_charCount);
            // On disk before the journal names it: a paid image that no URL can fetch again must survive a crash.
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            _file = null;
            File.Move(_filePath + PartialSuffix, _filePath);
            _files.Add(_filePath);
            _filePath = null;
            _inValue = false;
        }

        private void Line()
        {
            int length = (int)_line.Length;
            var bytes = _line.GetBuffer();
            if (length > 0 && bytes[length - 1] == '\r') length--;
            string line = Encoding.UTF8.GetString(bytes, 0, length);
            _line.SetLength(0);
            if (line.Length == 0)
            {
                // A blank line ends an event.
                if (_data != null) _ready.Add(new ServerEvent(_eventName, _data.ToString(), _files));
                _eventName = null;
                _data = null;
                _files = new List<string>();
                return;
            }
            if (line[0] == ':') return;
            int colon = line.IndexOf(':');
            string field = colon < 0 ? line : line.Substring(0, colon);
            string value = colon < 0 ? string.Empty : line.Substring(colon + 1);
            if (value.StartsWith(" ", StringComparison.Ordinal)) value = value.Substring(1);
            if (field == "event") _eventName = value;
            else if (field == "data")
            {
                if (_data == null) _data = new StringBuilder(value);
                else _data.Append('\n').Append(value);
            }
        }

        /// <summary>Deletes what no caller took: a value decoded half-way (the body broke off inside it), and whole images
        /// of an event or answer that never completed, which no journal line names. Never throws, so it cannot hide the
        /// failure that ended the reading (a full disk fails the flush of a file being closed, too).</summary>
        public void Dispose()
        {
            if (_file != null)
            {
                try
                {
                    _file.Dispose();
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                }
                _file = null;
                Storage.AtomicFile.TryDelete(_filePath + PartialSuffix);
            }
            foreach (var file in _files) Storage.AtomicFile.TryDelete(file);
            foreach (var pending in _ready) foreach (var file in pending.Files) Storage.AtomicFile.TryDelete(file);
            _files = new List<string>();
            _ready.Clear();
        }
    }
}
