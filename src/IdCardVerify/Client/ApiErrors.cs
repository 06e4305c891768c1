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
                AdviceKey = advice;
            }

            public ApiFailureKind Kind { get; }

            public bool StopsRun { get; }

            /// <summary>The advice, in the thread's UI culture.</summary>
            public string Advice => Text.ResourceManager.GetString(AdviceKey, Text.Culture)!;

            public string AdviceKey { get; }
        }

        private static readonly Dictionary<string, Known> ByCode = new Dictionary<string, Known>(StringComparer.OrdinalIgnoreCase)
        {
            ["bad_request"] = new Known(ApiFailureKind.InvalidRequest, false, nameof(Text.Api_bad_request)),
            ["no_token"] = new Known(ApiFailureKind.Authentication, true, nameof(Text.Api_no_token)),
            ["token_mismatched"] = new Known(ApiFailureKind.Authentication, true, nameof(Text.Api_token_mismatched)),
            ["api_not_implemented"] = new Known(ApiFailureKind.NotFound, true, nameof(Text.Api_api_not_implemented)),
            ["invalid_token"] = new Known(ApiFailureKind.Authentication, true, nameof(Text.Api_invalid_token)),
            ["token_expired"] = new Known(ApiFailureKind.Authentication, true, nameof(Text.Api_token_expired)),
            ["used_up"] = new Known(ApiFailureKind.Quota, true, nameof(Text.Api_used_up)),
            ["disabled"] = new Known(ApiFailureKind.Authentication, true, nameof(Text.Api_disabled)),
            ["forbidden"] = new Known(ApiFailureKind.Forbidden, false, nameof(Text.Api_forbidden)),
            ["no_api"] = new Known(ApiFailureKind.NotFound, true, nameof(Text.Api_no_api)),
            ["too_many_requests"] = new Known(ApiFailureKind.RateLimited, false, nameof(Text.Api_too_many_requests)),
            ["rate_limited"] = new Known(ApiFailureKind.RateLimited, false, nameof(Text.Api_rate_limited)),
            ["api_error"] = new Known(ApiFailureKind.ServerError, false, nameof(Text.Api_api_error)),
            ["timeout"] = new Known(ApiFailureKind.Timeout, false, nameof(Text.Api_timeout)),
        };

        /// <summary>A proxy on the way asks for credentials: every later input would be refused the same way.</summary>
        private static readonly Known ProxyAuthentication = new Known(
            ApiFailureKind.Authentication,
            true,
            nameof(Text.Api_ProxyAuthentication));

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
                : status >= 500 ? Text.Api_GatewayServerError
                : Text.Api_GatewayOther;
            var errorId = status == 407 ? "ProxyAuthenticationRequired" : status == 429 ? "TooManyRequests" : code != null ? PascalCase(code) : ErrorIdForStatus(status);

            var message = Words.Format(
                Text.Api_Answered,
                status.ToString(CultureInfo.InvariantCulture),
                code != null ? Words.Format(Text.Api_AnsweredCode, code) : string.Empty,
                !string.IsNullOrWhiteSpace(apiMessage) ? Words.Format(Text.Api_AnsweredMessage, apiMessage!.Trim()) : fromGateway ? Text.Api_AnsweredGateway : string.Empty,
                Redaction.ForDisplay(imageUrl),
                advice,
                traceId != null ? Words.Format(Text.Api_TraceId, traceId) : string.Empty);
            return new IdCardVerifyApiException(message)
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
                ? Words.Format(Text.Api_NoAnswerInTime, timeout?.TotalSeconds.ToString(CultureInfo.InvariantCulture), Redaction.ForDisplay(imageUrl))
                : Words.Format(Text.Api_Unreachable, endpoint.GetLeftPart(UriPartial.Authority), Redaction.ForDisplay(imageUrl), Sentence(Innermost(inner).Message));
            return new IdCardVerifyApiException(what, inner)
            {
                Advice = kind == ApiFailureKind.Timeout ? Text.Api_NoAnswerInTimeAdvice : Text.Api_UnreachableAdvice,
                Attempts = attempts,
                ErrorId = kind == ApiFailureKind.Timeout ? "Timeout" : "ConnectionFailed",
                Kind = kind,
            };
        }

        /// <summary>A tunnel (CONNECT) the proxy refused with 407: the same stop as a 407 answer.</summary>
        public static IdCardVerifyApiException ProxyTunnelRefused(string imageUrl, int attempts, Exception inner) =>
            new IdCardVerifyApiException(Words.Format(Text.Api_ProxyTunnelRefused, Redaction.ForDisplay(imageUrl), ProxyAuthentication.Advice), inner)
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
                        : new Known(ApiFailureKind.Other, false, nameof(Text.Api_refused));
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
