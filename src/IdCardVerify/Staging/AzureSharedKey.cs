using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace IdCardVerify.Staging
{
    /// <summary>
    /// Azure Storage's Shared Key authorization of a Blob request, and a service SAS that lets one blob be read for a
    /// few minutes (the REST reference's "Authorize with Shared Key" and "Create a service SAS", version
    /// <see cref="Version"/>). Written here rather than taking Azure.Storage.Blobs and Azure.Core: two signatures,
    /// checked against azurite, and no assemblies to clash with the Az modules.
    /// </summary>
    internal static class AzureSharedKey
    {
        public const string Version = "2021-08-06";

        /// <summary>The Authorization header of a request with these x-ms- headers and content.</summary>
        public static string Authorization(string method, Uri url, string account, string key, IDictionary<string, string> msHeaders, long contentLength, string? contentType)
        {
            var canonicalHeaders = string.Concat(msHeaders
                .Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value.Trim()))
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => h.Key + ":" + h.Value + "\n"));
            var resource = "/" + account + url.AbsolutePath;
            var query = url.Query.TrimStart('?');
            if (query.Length > 0)
            {
                resource += string.Concat(query.Split('&')
                    .Select(p => p.Split(new[] { '=' }, 2))
                    .Select(p => (Key: Uri.UnescapeDataString(p[0]).ToLowerInvariant(), Value: p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty))
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => "\n" + p.Key + ":" + p.Value));
            }

            var toSign = string.Join(
                "\n",
                method,
                string.Empty, // Content-Encoding
                string.Empty, // Content-Language
                contentLength > 0 ? contentLength.ToString(CultureInfo.InvariantCulture) : string.Empty,
                string.Empty, // Content-MD5
                contentType ?? string.Empty,
                string.Empty, // Date (x-ms-date is sent)
                string.Empty, // If-Modified-Since
                string.Empty, // If-Match
                string.Empty, // If-None-Match
                string.Empty, // If-Unmodified-Since
                string.Empty) // Range
                + "\n" + canonicalHeaders + resource;
            return "SharedKey " + account + ":" + Hmac(key, toSign);
        }

        /// <summary>
        /// A service SAS (query string, no '?') that lets the blob at <paramref name="blobPath"/> (container/name) be
        /// read until <paramref name="expires"/>, and nothing else.
        /// </summary>
        public static string ReadSas(string account, string key, string blobPath, DateTime starts, DateTime expires)
        {
            var st = starts.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var se = expires.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var toSign = string.Join(
                "\n",
                "r",
                st,
                se,
                "/blob/" + account + "/" + blobPath,
                string.Empty, // signed identifier
                string.Empty, // signed IP
                string.Empty, // signed protocol
                Version,
                "b",
                string.Empty, // snapshot time
                string.Empty, // encryption scope
                string.Empty, // rscc
                string.Empty, // rscd
                string.Empty, // rsce
                string.Empty, // rscl
                string.Empty); // rsct
            return "sv=" + Version + "&st=" + Uri.EscapeDataString(st) + "&se=" + Uri.EscapeDataString(se) + "&sr=b&sp=r&sig=" + Uri.EscapeDataString(Hmac(key, toSign));
        }

        private static string Hmac(string key, string data)
        {
            byte[] keyBytes;
            try
            {
                keyBytes = Convert.FromBase64String(key);
            }
            catch (FormatException)
            {
                throw new ArgumentException(Text.Staging_KeyNotBase64);
            }

            using var hmac = new HMACSHA256(keyBytes);
            return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data)));
        }
    }
}
