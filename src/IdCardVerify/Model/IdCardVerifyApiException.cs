using System;
using System.Net;

namespace IdCardVerify
{
    /// <summary>
    /// An HTTP error answer of the API, or a transport failure on the way to it. Carries what the
    /// vendor's support asks for (<see cref="TraceId"/>) and what a script branches on
    /// (<see cref="StatusCode"/>, <see cref="ErrorCode"/>, <see cref="ErrorId"/>).
    /// </summary>
    [Serializable]
    public class IdCardVerifyApiException : Exception
    {
        public IdCardVerifyApiException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }

        /// <summary>The message, with the number of attempts when the request was retried.</summary>
        public override string Message =>
            Attempts > 1 ? base.Message + " (gave up after " + Attempts + " attempts)" : base.Message;

        /// <summary>What to do about it, for the error record's RecommendedAction.</summary>
        internal string? Advice { get; set; }

        /// <summary>The message without the attempts.</summary>
        internal string BaseMessage => base.Message;

        /// <summary>The HTTP status, or null when no answer arrived (connection failure, timeout).</summary>
        public int? StatusCode { get; set; }

        /// <summary>The API's error code as sent (<c>invalid_token</c>), or null when the body had none.</summary>
        public string? ErrorCode { get; set; }

        /// <summary>The API's own error message, when it sent one.</summary>
        public string? ApiMessage { get; set; }

        /// <summary>The <c>trace_id</c> of the answer: quote it to the vendor's support.</summary>
        public string? TraceId { get; set; }

        /// <summary>How many requests were made for this input before giving up.</summary>
        public int Attempts { get; set; } = 1;

        /// <summary>The stable PascalCase identifier used as the ErrorRecord's ErrorId (<c>InvalidToken</c>).</summary>
        public string ErrorId { get; set; } = "ApiError";

        /// <summary>What kind of failure this is; decides the PowerShell error category.</summary>
        public ApiFailureKind Kind { get; set; } = ApiFailureKind.Other;

        /// <summary>True when every later input would fail the same way (bad token, no balance), so a run stops.</summary>
        public bool StopsRun { get; set; }

        /// <summary>How long the API asked to wait (Retry-After), when it said.</summary>
        public TimeSpan? RetryAfter { get; set; }

        /// <summary>The raw response body (truncated), for ErrorDetails; never contains the request's token.</summary>
        public string? ResponseBody { get; set; }

        /// <summary>The same failure told with another message (a staged file named by its path, not its signed URL).</summary>
        internal IdCardVerifyApiException Retold(string message) => new IdCardVerifyApiException(message, InnerException)
        {
            Advice = Advice,
            StatusCode = StatusCode,
            ErrorCode = ErrorCode,
            ApiMessage = ApiMessage,
            TraceId = TraceId,
            Attempts = Attempts,
            ErrorId = ErrorId,
            Kind = Kind,
            StopsRun = StopsRun,
            RetryAfter = RetryAfter,
            ResponseBody = ResponseBody,
        };

        /// <summary>The status as an <see cref="HttpStatusCode"/>, when there was one.</summary>
        public HttpStatusCode? HttpStatus => StatusCode.HasValue ? (HttpStatusCode?)StatusCode.Value : null;
    }

    /// <summary>The families of failure the module tells apart.</summary>
    public enum ApiFailureKind
    {
        Other,
        Authentication,
        RateLimited,
        Quota,
        InvalidRequest,
        Forbidden,
        NotFound,
        ServerError,
        ConnectionFailed,
        Timeout,
    }
}
