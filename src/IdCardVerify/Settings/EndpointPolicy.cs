using System;
using System.Net;
using IdCardVerify.Client;

namespace IdCardVerify.Settings
{
    /// <summary>Endpoints must be https; plain http is allowed to loopback only (tests, local gateways).</summary>
    internal static class EndpointPolicy
    {
        /// <summary>Returns the endpoint to call, or throws <see cref="ArgumentException"/> saying what to fix.</summary>
        public static Uri Validate(Uri endpoint)
        {
            var normalized = IdCardVerifyClient.NormalizeEndpoint(endpoint);
            if (!string.IsNullOrEmpty(normalized.UserInfo) || Redaction.HasUserInfo(endpoint.OriginalString))
            {
                throw new ArgumentException(Text.Endpoint_Credentials, nameof(endpoint));
            }

            if (normalized.Scheme == Uri.UriSchemeHttp && !IsLoopback(normalized))
            {
                throw new ArgumentException(
                    Words.Format(Text.Endpoint_PlainHttp, Redaction.Url(normalized.GetLeftPart(UriPartial.Authority))),
                    nameof(endpoint));
            }

            return normalized;
        }

        public static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
    }
}
