using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IdCardVerify.Client
{
    /// <summary>Turns an HTTP error answer into an <see cref="IdCardVerifyApiException"/> with a message a user can act on.</summary>
    internal static class ApiErrors
    {
        private const int MaxBodyKept = 2048;

        private sealed class Known
        {
            public Known(ApiFailureKind kind, bool stopsRun, string advice)
            {
                Kind = kind;
                StopsRun = stopsRun;
                Advice = advice;
            }

            public ApiFailureKind Kind { get; }

            public bool StopsRun { get; }

            public string Advice { get; }
        }

        private const string FixToken = "Set a valid token with Set-IdCardVerifyConfig -Token, -Token or $env:ACEDATACLOUD_API_TOKEN.";

        private static readonly Dictionary<string, Known> ByCode = new Dictionary<string, Known>(StringComparer.OrdinalIgnoreCase)
        {
            ["bad_request"] = new Known(ApiFailureKind.InvalidRequest, false, "The API could not read the request for this input; check the image URL."),
            ["no_token"] = new Known(ApiFailureKind.Authentication, true, "The request reached the API without a token. " + FixToken),
            ["token_mismatched"] = new Known(ApiFailureKind.Authentication, true, "The token does not belong to the ID card verification service. Use a token issued for it. " + FixToken),
            ["api_not_implemented"] = new Known(ApiFailureKind.NotFound, true, "The endpoint does not implement this API; check -Endpoint or Set-IdCardVerifyConfig -Endpoint."),
            ["invalid_token"] = new Known(ApiFailureKind.Authentication, true, "The token is wrong or revoked. " + FixToken),
            ["token_expired"] = new Known(ApiFailureKind.Authentication, true, "The token has expired. Renew it with the vendor, then " + char.ToLowerInvariant(FixToken[0]) + FixToken.Substring(1)),
            ["used_up"] = new Known(ApiFailureKind.Quota, true, "The account's balance or quota is used up. Top it up with the vendor, then run the command again."),
            ["disabled"] = new Known(ApiFailureKind.Authentication, true, "The credential or application is disabled. Ask the vendor's support, quoting the trace id."),
            ["forbidden"] = new Known(ApiFailureKind.Forbidden, false, "The API rejected this input (moderation)."),
            ["no_api"] = new Known(ApiFailureKind.NotFound, true, "The endpoint path is not registered; check -Endpoint or Set-IdCardVerifyConfig -Endpoint."),
            ["too_many_requests"] = new Known(ApiFailureKind.RateLimited, false, "The API's rate limit was exceeded; lower -RequestsPerSecond (the pace; -ThrottleLimit only caps requests in flight) or try again later."),
            ["rate_limited"] = new Known(ApiFailureKind.RateLimited, false, "The API's rate limit was exceeded; lower -RequestsPerSecond (the pace; -ThrottleLimit only caps requests in flight) or try again later."),
            ["api_error"] = new Known(ApiFailureKind.ServerError, false, "The API failed internally; try this input again later."),
            ["timeout"] = new Known(ApiFailureKind.Timeout, false, "The API's upstream timed out; try this input again later."),
        };

        /// <summary>A proxy on the way asks for credentials: every later input would be refused the same way.</summary>
        private static readonly Known ProxyAuthentication = new Known(
            ApiFailureKind.Authentication,
            true,
            "A proxy on the way asks for credentials: give them with -ProxyCredential (Get-Credential), or -ProxyUseDefaultCredentials to answer with the Windows logon; -NoProxy connects directly if the API is reachable without the proxy.");

        /// <summary>Builds the exception for an HTTP error answer.</summary>
        public static IdCardVerifyApiException FromResponse(int status, string? body, string imageUrl, int attempts)
        {
            var (code, apiMessage, traceId) = ResponseParser.ParseError(body);
            Known? known = null;
            if (status == 407)
            {
                known = ProxyAuthentication;
            }
            else if (status == 429)
            {
                // Judge rate limiting by status: the code varies (too_many_requests, rate_limited, ...).
                known = ByCode["too_many_requests"];
            }
            else if (code != null)
            {
                ByCode.TryGetValue(code, out known);
            }

            known ??= ByStatus(status);
            var fromGateway = code == null && LooksLikeHtml(body);
            var advice = !fromGateway || status == 429 || status == 407 ? known.Advice
                : status >= 500 ? "Try this input again later; if every input fails so, check -Endpoint and any proxy on the way."
                : "Check -Endpoint and any proxy on the way.";
            var errorId = status == 407 ? "ProxyAuthenticationRequired" : status == 429 ? "TooManyRequests" : code != null ? PascalCase(code) : ErrorIdForStatus(status);

            var message = new StringBuilder();
            message.Append("The API answered HTTP ").Append(status.ToString(CultureInfo.InvariantCulture));
            if (code != null)
            {
                message.Append(' ').Append(code);
            }

            if (!string.IsNullOrWhiteSpace(apiMessage))
            {
                message.Append(" (").Append(apiMessage!.Trim()).Append(')');
            }
            else if (fromGateway)
            {
                message.Append(" with a non-JSON page (a proxy or gateway answered, not the API)");
            }

            message.Append(" for '").Append(Redaction.ForDisplay(imageUrl)).Append("'. ").Append(advice);
            if (traceId != null)
            {
                message.Append(" Trace id: ").Append(traceId).Append('.');
            }

            return new IdCardVerifyApiException(message.ToString())
            {
                StatusCode = status,
                ErrorCode = code,
                ApiMessage = apiMessage,
                TraceId = traceId,
                Attempts = attempts,
                ErrorId = errorId,
                Kind = known.Kind,
                StopsRun = known.StopsRun,
                Advice = advice,
                ResponseBody = Truncate(body),
            };
        }

        /// <summary>The exception for a request that never got an answer.</summary>
        public static IdCardVerifyApiException Transport(ApiFailureKind kind, string imageUrl, Uri endpoint, int attempts, TimeSpan? timeout, Exception inner)
        {
            var what = kind == ApiFailureKind.Timeout
                ? $"The API did not answer within {timeout?.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s for '{Redaction.ForDisplay(imageUrl)}'. Raise -TimeoutSec or try again later."
                : $"Could not reach the API at {endpoint.GetLeftPart(UriPartial.Authority)} for '{Redaction.ForDisplay(imageUrl)}': {Sentence(Innermost(inner).Message)} Check the network, a proxy, or -Endpoint.";
            return new IdCardVerifyApiException(what, inner)
            {
                Advice = kind == ApiFailureKind.Timeout ? "Raise -TimeoutSec or try again later." : "Check the network, a proxy, or -Endpoint.",
                Attempts = attempts,
                ErrorId = kind == ApiFailureKind.Timeout ? "Timeout" : "ConnectionFailed",
                Kind = kind,
            };
        }

        /// <summary>A tunnel (CONNECT) the proxy refused with 407: the same stop as a 407 answer.</summary>
        public static IdCardVerifyApiException ProxyTunnelRefused(string imageUrl, int attempts, Exception inner) =>
            new IdCardVerifyApiException($"The proxy refused to connect to the API for '{Redaction.ForDisplay(imageUrl)}' (HTTP 407). {ProxyAuthentication.Advice}", inner)
            {
                StatusCode = 407,
                Attempts = attempts,
                ErrorId = "ProxyAuthenticationRequired",
                Kind = ApiFailureKind.Authentication,
                StopsRun = true,
                Advice = ProxyAuthentication.Advice,
            };

        /// <summary><c>invalid_token</c> to <c>InvalidToken</c>; <c>FailedOperation.X</c> keeps its dots out.</summary>
        public static string PascalCase(string code)
        {
            var builder = new StringBuilder(code.Length);
            var upper = true;
            foreach (var c in code)
            {
                if (c == '_' || c == '-' || c == '.' || c == ' ')
                {
                    upper = true;
                    continue;
                }

                if (!char.IsLetterOrDigit(c))
                {
                    continue;
                }

                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }

            return builder.Length == 0 ? "ApiError" : builder.ToString();
        }

        private static Known ByStatus(int status)
        {
            switch (status)
            {
                case 400:
                    return ByCode["bad_request"];
                case 401:
                    return ByCode["invalid_token"];
                case 403:
                    return ByCode["forbidden"];
                case 404:
                    return ByCode["no_api"];
                case 408:
                case 504:
                    return ByCode["timeout"];
                default:
                    return status >= 500
                        ? ByCode["api_error"]
                        : new Known(ApiFailureKind.Other, false, "The API refused this input.");
            }
        }

        private static string ErrorIdForStatus(int status)
        {
            switch (status)
            {
                case 400: return "BadRequest";
                case 401: return "Unauthorized";
                case 403: return "Forbidden";
                case 404: return "NotFound";
                case 408: return "RequestTimeout";
                case 500: return "ApiError";
                case 502: return "BadGateway";
                case 503: return "ServiceUnavailable";
                case 504: return "Timeout";
                default: return "HttpError" + status.ToString(CultureInfo.InvariantCulture);
            }
        }

        /// <summary>A text that ends as a sentence does, so that the next one does not run into it.</summary>
        private static string Sentence(string text)
        {
            var trimmed = text.Trim();
            return trimmed.Length == 0 || ".!?。".IndexOf(trimmed[trimmed.Length - 1]) >= 0 ? trimmed : trimmed + ".";
        }

        private static bool LooksLikeHtml(string? body) =>
            body != null && body.TrimStart().StartsWith("<", StringComparison.Ordinal);

        /// <summary>The response body as kept on an exception: at most 2,048 characters.</summary>
        internal static string? Truncate(string? body) =>
            body == null || body.Length <= MaxBodyKept ? body : body.Substring(0, MaxBodyKept) + "…";

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }
    }
}
