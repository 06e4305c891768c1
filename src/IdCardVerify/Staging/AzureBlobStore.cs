using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Staging
{
    /// <summary>
    /// An Azure Blob container (or azurite's): blobs written with Shared Key (a SAS the user made is refused: StagingCredentials.SasRefused), read through a
    /// service SAS for that one blob, read-only, that lives minutes.
    /// </summary>
    internal sealed class AzureBlobStore : StagingStore
    {
        public AzureBlobStore(StagingTarget target, StagingSecret secret, HttpMessageInvoker http, TimeProvider? time = null)
            : base(target, secret, http, time)
        {
        }

        public override async Task PutAsync(string name, byte[] bytes, string contentType, CancellationToken cancellation)
        {
            HttpRequestMessage Make()
            {
                var request = new HttpRequestMessage(HttpMethod.Put, Target.ObjectUri(name)) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                Sign(request, bytes.LongLength, contentType, new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" });
                return request;
            }

            using var response = await SendAsync(Make, Text.Staging_WriteBlob, cancellation).ConfigureAwait(false);
        }

        public override Uri ReadUrl(string name, TimeSpan lifetime)
        {
            var url = Target.ObjectUri(name);
            var now = UtcNow;
            var blobPath = Target.Bucket + "/" + Target.Prefix + name;
            // Starts a minute back: the API's clock may be a little behind this one.
            return new Uri(url + "?" + AzureSharedKey.ReadSas(Target.Account!, Secret.Secret, blobPath, now.AddMinutes(-1), now + lifetime));
        }

        public override async Task DeleteAsync(string name, CancellationToken cancellation)
        {
            HttpRequestMessage Make()
            {
                var request = new HttpRequestMessage(HttpMethod.Delete, Target.ObjectUri(name));
                Sign(request, 0, null, new Dictionary<string, string>());
                return request;
            }

            using var response = await SendAsync(Make, Text.Staging_DeleteBlob, cancellation, goneIsDone: true).ConfigureAwait(false);
        }

        private void Sign(HttpRequestMessage request, long length, string? contentType, Dictionary<string, string> headers)
        {
            headers["x-ms-date"] = UtcNow.ToString("R", CultureInfo.InvariantCulture);
            headers["x-ms-version"] = AzureSharedKey.Version;
            foreach (var header in headers)
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Headers.TryAddWithoutValidation("Authorization", AzureSharedKey.Authorization(request.Method.Method, request.RequestUri!, Target.Account!, Secret.Secret, headers, length, contentType));
        }
    }
}
