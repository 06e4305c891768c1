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
                throw new ArgumentException("The endpoint must not carry a user name or password; pass the token with -Token.", nameof(endpoint));
            }

            if (normalized.Scheme == Uri.UriSchemeHttp && !IsLoopback(normalized))
            {
                throw new ArgumentException(
                    $"The endpoint '{Redaction.Url(normalized.GetLeftPart(UriPartial.Authority))}' uses plain http, which would send the token unencrypted. Use https (plain http is accepted for loopback addresses only).",
                    nameof(endpoint));
            }

            return normalized;
        }

        public static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
    }
}
