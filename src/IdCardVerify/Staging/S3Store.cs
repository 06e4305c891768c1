using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Staging
{
    /// <summary>An S3 bucket (or COS, OSS, MinIO): objects written with SigV4-signed requests, read through presigned URLs.</summary>
    internal sealed class S3Store : StagingStore
    {
        public S3Store(StagingTarget target, StagingSecret secret, HttpMessageInvoker http, TimeProvider? time = null)
            : base(target, secret, http, time)
        {
        }

        public override async Task PutAsync(string name, byte[] bytes, string contentType, CancellationToken cancellation)
        {
            var url = SigV4.WirePath(Target.ObjectUri(name));
            HttpRequestMessage Make()
            {
                var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                // Never public: the canned ACL is private whatever the bucket's default. Every header sent is signed.
                Sign(request, url, bytes, new Dictionary<string, string> { ["x-amz-acl"] = "private", ["content-type"] = request.Content.Headers.ContentType.ToString(), ["content-length"] = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                return request;
            }

            using var response = await SendAsync(Make, Text.Staging_WriteObject, cancellation).ConfigureAwait(false);
        }

        public override Uri ReadUrl(string name, TimeSpan lifetime) => SigV4.Presign(Target.ObjectUri(name), Secret, Target.Region, UtcNow, lifetime);

        public override async Task DeleteAsync(string name, CancellationToken cancellation)
        {
            var url = SigV4.WirePath(Target.ObjectUri(name));
            HttpRequestMessage Make()
            {
                var request = new HttpRequestMessage(HttpMethod.Delete, url);
                Sign(request, url, Array.Empty<byte>(), new Dictionary<string, string>());
                return request;
            }

            using var response = await SendAsync(Make, Text.Staging_DeleteObject, cancellation, goneIsDone: true).ConfigureAwait(false);
        }

        private void Sign(HttpRequestMessage request, Uri url, byte[] payload, Dictionary<string, string> headers)
        {
            foreach (var header in SigV4.SignHeaders(request.Method.Method, url, headers, payload, Secret, Target.Region, UtcNow))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }
}
