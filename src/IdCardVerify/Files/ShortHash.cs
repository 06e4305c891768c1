using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdCardVerify.Files
{
    /// <summary>A short name derived from a text that gives nothing of it away: the first bytes of its SHA-256, in lower-case hex.</summary>
    internal static class ShortHash
    {
        /// <summary>The first <paramref name="bytes"/> bytes of the SHA-256 of <paramref name="text"/> (UTF-8), as 2 x bytes hex digits.</summary>
        public static string Of(string text, int bytes)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var hex = new StringBuilder(2 * bytes);
            for (var i = 0; i < bytes; i++)
            {
                hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            }

            return hex.ToString();
        }
    }
}
