using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// Signs and checks journal lines with the user's journal key (<see cref="Settings.JournalKey"/>): HMAC-SHA256. A
    /// line is found by its URL's keyed hash, so the journal holds no signed URL, and believed only when its
    /// signature holds over the header it sits under, that hash and its exact bytes.
    /// </summary>
    internal sealed class JournalSigner
    {
        private readonly byte[] _key;

        public JournalSigner(byte[] key)
        {
            _key = key;
        }

        /// <summary>The keyed hash an input's entry is found by: 32 hex digits, nothing of the URL given away.</summary>
        public string UrlKey(string imageUrl) => Hex(Hash("url\n" + imageUrl), 16);

        public string Mac(string header, string urlKey, string entry) => Hex(Hash("entry\n" + header + "\n" + urlKey + "\n" + entry), 32);

        public bool Verify(string header, string urlKey, string entry, string mac)
        {
            var expected = Mac(header, urlKey, entry);
            if (expected.Length != mac.Length)
            {
                return false;
            }

            // In constant time: a wrong signature tells nothing of the right one.
            var difference = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                difference |= expected[i] ^ mac[i];
            }

            return difference == 0;
        }

        /// <summary>A 64-bit index of a URL key, for the in-memory offsets (the full key is compared on reading).</summary>
        public static ulong Index(string urlKey) =>
            urlKey.Length >= 16 && ulong.TryParse(urlKey.Substring(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var index) ? index : 0;

        private byte[] Hash(string text)
        {
            using var hmac = new HMACSHA256(_key);
            return hmac.ComputeHash(Encoding.UTF8.GetBytes(text));
        }

        private static string Hex(byte[] bytes, int count)
        {
            var hex = new StringBuilder(2 * count);
            for (var i = 0; i < count; i++)
            {
                hex.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            }

            return hex.ToString();
        }
    }
}
