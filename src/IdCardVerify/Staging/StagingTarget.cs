using System;
using System.Globalization;
using System.Net;
using IdCardVerify.Client;

namespace IdCardVerify.Staging
{
    /// <summary>The kinds of store a file can be staged in.</summary>
    internal enum StoreKind
    {
        S3,
        AzureBlob,
    }

    /// <summary>
    /// Where files are staged, parsed from -StagingUri (and -StagingEndpoint, -StagingRegion):
    /// <c>s3://bucket/prefix</c> (AWS S3 and the S3-compatible stores: Tencent COS, Aliyun OSS, MinIO) or
    /// <c>https://account.blob.core.windows.net/container/prefix</c> (Azure Blob; the path-style form
    /// <c>http://127.0.0.1:10000/account/container/prefix</c> of azurite and Azure Stack too).
    /// </summary>
    internal sealed class StagingTarget
    {
        private StagingTarget(StoreKind kind, string bucket, string prefix, Uri baseUri, string region, string? account, Uri display)
        {
            Kind = kind;
            Bucket = bucket;
            Prefix = prefix;
            BaseUri = baseUri;
            Region = region;
            Account = account;
            Display = display;
        }

        public StoreKind Kind { get; }

        /// <summary>The bucket (S3) or container (Azure).</summary>
        public string Bucket { get; }

        /// <summary>The folder objects go in, decoded (the key's own characters): empty, or ending with '/'.</summary>
        public string Prefix { get; }

        /// <summary>The URL an object's name is appended to (…/bucket/ or https://bucket.host/).</summary>
        public Uri BaseUri { get; }

        public string Region { get; }

        /// <summary>The Azure storage account.</summary>
        public string? Account { get; }

        /// <summary>The store as a user names it, for messages (never holds a secret).</summary>
        public Uri Display { get; }

        /// <summary>
        /// The object's URL: the key (<see cref="Prefix"/> and the name, decoded) with each segment percent-encoded once as
        /// SigV4 and Azure want it (unreserved characters kept, everything else %XX), so the path on the wire is the
        /// canonical path that was signed.
        /// </summary>
        public Uri ObjectUri(string name) => new Uri(BaseUri.GetLeftPart(UriPartial.Authority) + BaseUri.AbsolutePath + EncodeKey(Prefix + name));

        /// <summary>A decoded key as a URL path: each '/'-separated segment encoded once (RFC 3986 unreserved kept).</summary>
        internal static string EncodeKey(string key)
        {
            var segments = key.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                segments[i] = SigV4.Encode(segments[i]);
            }

            return string.Join("/", segments);
        }

        /// <summary>Parses the settings; throws <see cref="ArgumentException"/> naming the bad one and the fix.</summary>
        public static StagingTarget Parse(Uri uri, Uri? endpoint, string? region)
        {
            var original = uri.OriginalString;
            if (Redaction.HasUserInfo(original) || original.IndexOfAny(new[] { '?', '#' }) >= 0 || (uri.IsAbsoluteUri && (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))))
            {
                // Refused before it is stored or used, and never echoed: a query or fragment there is a SAS or a signature.
                throw new ArgumentException(Text.Staging_UriCredentials);
            }

            if (!uri.IsAbsoluteUri)
            {
                throw new ArgumentException(Words.Format(Text.Staging_UriNotAbsolute, Redaction.Url(original)));
            }

            if (endpoint != null)
            {
                CheckEndpoint(endpoint);
            }

            if (string.Equals(uri.Scheme, "s3", StringComparison.OrdinalIgnoreCase))
            {
                return ParseS3(uri, endpoint, region);
            }

            if (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            {
                return ParseAzure(uri);
            }

            throw new ArgumentException(Words.Format(Text.Staging_UriKind, Redaction.Url(uri.OriginalString)));
        }

        /// <summary>
        /// Refuses a -StagingEndpoint that would carry a credential (user info, a query, a fragment): it is part of every
        /// read URL the API receives, so a password there would go to a third party. Never echoed.
        /// </summary>
        public static void CheckEndpoint(Uri endpoint)
        {
            var original = endpoint.OriginalString;
            if (Redaction.HasUserInfo(original) || original.IndexOfAny(new[] { '?', '#', '@' }) >= 0 || (endpoint.IsAbsoluteUri && !string.IsNullOrEmpty(endpoint.UserInfo)))
            {
                throw new ArgumentException(Text.Staging_EndpointCredentials);
            }
        }

        private static StagingTarget ParseS3(Uri uri, Uri? endpoint, string? region)
        {
            var bucket = uri.Host;
            if (string.IsNullOrEmpty(bucket))
            {
                throw new ArgumentException(Words.Format(Text.Staging_NoBucket, Redaction.Url(uri.OriginalString)));
            }

            region = string.IsNullOrEmpty(region) ? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1" : region!;
            var prefix = PrefixOf(Uri.UnescapeDataString(uri.AbsolutePath));
            Uri baseUri;
            if (endpoint == null)
            {
                baseUri = new Uri($"https://{bucket}.s3.{region}.amazonaws.com/");
            }
            else if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException(Words.Format(Text.Staging_EndpointNotHttp, Redaction.Url(endpoint.OriginalString)));
            }
            else if (PathStyle(endpoint))
            {
                // An IP address, localhost or a port: MinIO and test servers, addressed as host/bucket/key.
                baseUri = new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/" + bucket + "/");
            }
            else
            {
                // COS, OSS and AWS itself: the bucket is part of the host name.
                var host = endpoint.Host.StartsWith(bucket + ".", StringComparison.OrdinalIgnoreCase) ? endpoint.Host : bucket + "." + endpoint.Host;
                baseUri = new Uri(endpoint.Scheme + "://" + host + "/");
            }

            return new StagingTarget(StoreKind.S3, bucket, prefix, baseUri, region, null, new Uri("s3://" + bucket + "/" + EncodeKey(prefix)));
        }

        private static StagingTarget ParseAzure(Uri uri)
        {
            var segments = uri.AbsolutePath.Trim('/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            string account;
            int first;
            if (PathStyle(uri))
            {
                // azurite, Azure Stack: http://127.0.0.1:10000/account/container/prefix.
                if (segments.Length < 2)
                {
                    throw new ArgumentException(Words.Format(Text.Staging_NoAccount, Redaction.Url(uri.OriginalString), uri.GetLeftPart(UriPartial.Authority)));
                }

                account = segments[0];
                first = 1;
            }
            else
            {
                var dot = uri.Host.IndexOf('.');
                if (dot <= 0 || uri.Host.IndexOf(".blob.", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    throw new ArgumentException(Words.Format(Text.Staging_NotAzure, Redaction.Url(uri.OriginalString)));
                }

                account = uri.Host.Substring(0, dot);
                first = 0;
            }

            if (segments.Length <= first)
            {
                throw new ArgumentException(Words.Format(Text.Staging_NoContainer, Redaction.Url(uri.OriginalString)));
            }

            var container = segments[first];
            var prefix = PrefixOf(Uri.UnescapeDataString(string.Join("/", segments, first + 1, segments.Length - first - 1)));
            var root = uri.GetLeftPart(UriPartial.Authority) + (first == 1 ? "/" + account : string.Empty) + "/" + container + "/";
            return new StagingTarget(StoreKind.AzureBlob, container, prefix, new Uri(root), string.Empty, account, new Uri(root + EncodeKey(prefix)));
        }

        /// <summary>Whether a host is addressed path-style (an IP address, localhost, or a port given).</summary>
        internal static bool PathStyle(Uri uri) =>
            IPAddress.TryParse(uri.Host.Trim('[', ']'), out _) || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase) || !uri.IsDefaultPort;

        private static string PrefixOf(string path)
        {
            var trimmed = path.Trim('/');
            return trimmed.Length == 0 ? string.Empty : trimmed + "/";
        }

        public override string ToString() => Display.ToString();

        internal string Describe() => Kind == StoreKind.S3
            ? string.Format(CultureInfo.InvariantCulture, Text.Staging_Bucket, Bucket, BaseUri.GetLeftPart(UriPartial.Authority), Region)
            : string.Format(CultureInfo.InvariantCulture, Text.Staging_Container, Bucket, Account, BaseUri.GetLeftPart(UriPartial.Authority));
    }
}
