using System;
using System.Runtime.InteropServices;
using System.Security;

namespace SeedreamPS.Core.Http
{
    /// <summary>An API key that never shows itself: <see cref="ToString"/> and every property hide it,
    /// so it cannot leak into output, logs, errors or files.</summary>
    public sealed class SeedreamApiKey
    {
        private readonly string _value;

        /// <summary>Wraps a plain-text key.</summary>
        public SeedreamApiKey(string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw Requests.SeedreamValidationException.For("ApiKey", null, "The API key is empty: give the key itself to -ApiKey, or leave -ApiKey out to use Connect-Seedream's or SEEDREAM_API_KEY.");
            }
            _value = value.Trim();
        }

        /// <summary>Wraps a key held in a <see cref="SecureString"/>.</summary>
        public SeedreamApiKey(SecureString value) : this(Unprotect(value))
        {
        }

        /// <summary>A hint that identifies the key without revealing it: its length only.</summary>
        public string Hint => "(" + _value.Length + " characters)";

        internal string Reveal() => _value;

        /// <summary>Replaces every occurrence of the key in <paramref name="text"/> with <c>***</c>.</summary>
        public string Redact(string text) => string.IsNullOrEmpty(text) ? text : text.Replace(_value, "***");

        /// <inheritdoc />
        public override string ToString() => "***";

        private static string Unprotect(SecureString secure)
        {
            if (secure == null) throw new ArgumentNullException(nameof(secure));
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
