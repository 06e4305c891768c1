using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace IdCardVerify.Staging
{
    /// <summary>
    /// AWS Signature Version 4 for S3 (and the S3-compatible stores: COS, OSS, MinIO): a request signed in its
    /// Authorization header, and a presigned GET URL that lives a few minutes. Written here, not taken from
    /// AWSSDK.S3: the signing is 100 lines against AWS's published test vectors (StagingSigningTests), and the SDK's
    /// assemblies would clash with AWS.Tools modules loaded in the same PowerShell session.
    /// </summary>
    internal static class SigV4
    {
        public const string Algorithm = "AWS4-HMAC-SHA256";
        public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

        /// <summary>The presigned URL of a GET of <paramref name="url"/>, valid for <paramref name="lifetime"/> from <paramref name="now"/>.</summary>
        public static Uri Presign(Uri url, StagingSecret secret, string region, DateTime now, TimeSpan lifetime)
        {
            var amzDate = now.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var date = amzDate.Substring(0, 8);
            var scope = $"{date}/{region}/s3/aws4_request";
            var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["X-Amz-Algorithm"] = Algorithm,
                ["X-Amz-Credential"] = secret.AccessKey + "/" + scope,
                ["X-Amz-Date"] = amzDate,
                ["X-Amz-Expires"] = ((int)lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["X-Amz-SignedHeaders"] = "host",
            };
            if (secret.SessionToken != null)
            {
                query["X-Amz-Security-Token"] = secret.SessionToken;
            }

            var canonicalQuery = string.Join("&", query.Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
            var canonical = string.Join("\n", "GET", CanonicalPath(url), canonicalQuery, "host:" + HostHeader(url), string.Empty, "host", UnsignedPayload);
            var signature = Sign(secret.Secret, date, region, StringToSign(amzDate, scope, canonical));
            return new Uri(url.GetLeftPart(UriPartial.Authority) + CanonicalPath(url) + "?" + canonicalQuery + "&X-Amz-Signature=" + signature);
        }

        /// <summary>
        /// The headers that sign a request (x-amz-date, x-amz-content-sha256, Authorization, and the session token):
        /// <paramref name="headers"/> are signed too (lowercase names).
        /// </summary>
        public static IDictionary<string, string> SignHeaders(string method, Uri url, IDictionary<string, string> headers, byte[] payload, StagingSecret secret, string region, DateTime now)
        {
            var amzDate = now.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var date = amzDate.Substring(0, 8);
            var scope = $"{date}/{region}/s3/aws4_request";
            var payloadHash = Hex(Sha256(payload));
            var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var header in headers)
            {
                all[header.Key.ToLowerInvariant()] = header.Value.Trim();
            }

            all["host"] = HostHeader(url);
            all["x-amz-content-sha256"] = payloadHash;
            all["x-amz-date"] = amzDate;
            if (secret.SessionToken != null)
            {
                all["x-amz-security-token"] = secret.SessionToken;
            }

            var signedHeaders = string.Join(";", all.Keys);
            var canonicalHeaders = string.Concat(all.Select(h => h.Key + ":" + h.Value + "\n"));
            var canonicalQuery = CanonicalQuery(url.Query);
            var canonical = string.Join("\n", method, CanonicalPath(url), canonicalQuery, canonicalHeaders, signedHeaders, payloadHash);
            var signature = Sign(secret.Secret, date, region, StringToSign(amzDate, scope, canonical));
            all["authorization"] = $"{Algorithm} Credential={secret.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
            all.Remove("host");
            return all;
        }

        /// <summary>
        /// S3's canonical URI: the path's segments decoded, then each encoded once (RFC 3986 unreserved characters kept,
        /// every other byte %XX, '/' between segments kept); S3 does not encode twice. The request must go out with this
        /// same path (<see cref="WirePath"/>).
        /// </summary>
        internal static string CanonicalPath(Uri url)
        {
            var path = url.AbsolutePath;
            if (path.Length == 0)
            {
                return "/";
            }

            var segments = path.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                segments[i] = Encode(Uri.UnescapeDataString(segments[i]));
            }

            return string.Join("/", segments);
        }

        /// <summary>The URL the request goes to: <paramref name="url"/> with its path exactly the signed canonical path.</summary>
        internal static Uri WirePath(Uri url) => new Uri(url.GetLeftPart(UriPartial.Authority) + CanonicalPath(url) + url.Query);

        internal static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
            string.Join("\n", Algorithm, amzDate, scope, Hex(Sha256(Encoding.UTF8.GetBytes(canonicalRequest))));

        internal static string Sign(string secret, string date, string region, string stringToSign)
        {
            var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
            key = Hmac(key, region);
            key = Hmac(key, "s3");
            key = Hmac(key, "aws4_request");
            return Hex(Hmac(key, stringToSign));
        }

        /// <summary>RFC 3986 percent-encoding as SigV4 wants it (unreserved characters kept, '/' encoded).</summary>
        internal static string Encode(string value)
        {
            var builder = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                var c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                {
                    builder.Append(c);
                }
                else
                {
                    builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return builder.ToString();
        }

        private static string CanonicalQuery(string query)
        {
            if (string.IsNullOrEmpty(query) || query == "?")
            {
                return string.Empty;
            }

            return string.Join("&", query.TrimStart('?').Split('&')
                .Select(p => p.Split(new[] { '=' }, 2))
                .Select(p => (Key: Encode(Uri.UnescapeDataString(p[0])), Value: p.Length > 1 ? Encode(Uri.UnescapeDataString(p[1])) : string.Empty))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value));
        }

        private static string HostHeader(Uri url) => url.IsDefaultPort ? url.Host : url.Host + ":" + url.Port.ToString(CultureInfo.InvariantCulture);

        private static byte[] Hmac(byte[] key, string data)
        {
            using var hmac = new HMACSHA256(key);
            return hmac.ComputeHash(Encoding.UTF8.GetBytes(data));
        }

        private static byte[] Sha256(byte[] data)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(data);
        }

        internal static string Hex(byte[] bytes)
        {
            var builder = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }
    }
}
