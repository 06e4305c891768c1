using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Resilience;
using IdCardVerify.Files;

namespace IdCardVerify.Staging
{
    /// <summary>
    /// A private store a file is staged in for the API to download: put an object, make a read URL that lives
    /// minutes, delete it. Failures are <see cref="IdCardVerifyApiException"/>s with a Staging… ErrorId that names the
    /// store and the fix, never a secret.
    /// </summary>
    internal abstract class StagingStore
    {
        protected StagingStore(StagingTarget target, StagingSecret secret, HttpMessageInvoker http, TimeProvider? time)
        {
            Target = target;
            Secret = secret;
            Http = http;
            Time = time ?? Clock.System;
        }

        public StagingTarget Target { get; }

        protected StagingSecret Secret { get; }

        protected HttpMessageInvoker Http { get; }

        /// <summary>How long one attempt of a store request may take, its answer's body included (the run's -TimeoutSec).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The most of a store's error body read: enough for its code and message; an endless body costs nothing more.</summary>
        public const int ErrorBodyBytes = 16 * 1024;

        /// <summary>The run's clock: signatures, expiry times, timeouts and backoff (a test passes its own).</summary>
        protected TimeProvider Time { get; }

        /// <summary>UTC now, on <see cref="Time"/>.</summary>
        protected DateTime UtcNow => Time.GetUtcNow().UtcDateTime;

        public abstract Task PutAsync(string name, byte[] bytes, string contentType, CancellationToken cancellation);

        /// <summary>A URL anyone holding it may GET the object through until <paramref name="lifetime"/> has passed.</summary>
        public abstract Uri ReadUrl(string name, TimeSpan lifetime);

        public abstract Task DeleteAsync(string name, CancellationToken cancellation);

        /// <summary>The object's URL with no signature: what anyone without the credentials could try.</summary>
        public Uri PlainUrl(string name) => Target.ObjectUri(name);

        /// <summary>Attempts of one store request: a put or a delete is idempotent (the same name, the same bytes), so a blip is retried.</summary>
        public const int Attempts = 3;

        /// <summary>
        /// The API's retry policy, with the store's bounds: the same classification of a failed attempt
        /// (<see cref="FailureClass"/>: a 429, a 5xx, no connection or no answer in time is worth another try; a refusal
        /// is not), the same backoff with jitter and Retry-After, <see cref="Attempts"/> in all.
        /// </summary>
        public RetryPolicy Retries { get; } = new RetryPolicy { MaxRetries = Attempts - 1, BaseDelay = TimeSpan.FromMilliseconds(400), MaxTotal = TimeSpan.FromMinutes(5) };

        /// <summary>
        /// Sends a request made (and signed) afresh by <paramref name="make"/> for each attempt, each within
        /// <see cref="Timeout"/>, its error body read to <see cref="ErrorBodyBytes"/>; a failure is classified and retried
        /// as the API's are (<see cref="Retries"/>); what is left becomes the Staging… error for <paramref name="what"/>.
        /// </summary>
        /// <param name="goneIsDone">A 404 is success (a delete of an object already gone).</param>
        protected async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, string what, CancellationToken cancellation, bool goneIsDone = false)
        {
            var started = Time.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                IdCardVerifyApiException failure;
                string body = string.Empty;
                DateTimeOffset? serverDate = null;
                using (var request = make())
                using (var timeout = Time.Within(cancellation, Timeout))
                {
                    // Each attempt has -TimeoutSec, its error body included: a store that stalls is "no answer in time".
                    try
                    {
                        var response = await Http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                        if (response.IsSuccessStatusCode || (goneIsDone && response.StatusCode == HttpStatusCode.NotFound))
                        {
                            return response;
                        }

                        using (response)
                        {
                            var status = (int)response.StatusCode;
                            serverDate = response.Headers.Date;
                            body = await ReadBoundedAsync(response, timeout.Token).ConfigureAwait(false);
                            failure = new IdCardVerifyApiException($"HTTP {status}")
                            {
                                StatusCode = status,
                                Kind = status == 429 ? ApiFailureKind.RateLimited : status == 401 ? ApiFailureKind.Authentication : status == 403 ? ApiFailureKind.Forbidden : status == 404 ? ApiFailureKind.NotFound : status >= 500 ? ApiFailureKind.ServerError : ApiFailureKind.Other,
                                RetryAfter = Client.RetryAfterHeader.Parse(response.Headers.RetryAfter, Time.GetUtcNow()),
                            };
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        failure = new IdCardVerifyApiException(Innermost(ex).Message, ex) { Kind = ApiFailureKind.ConnectionFailed };
                    }
                    catch (OperationCanceledException ex) when (!cancellation.IsCancellationRequested)
                    {
                        failure = new IdCardVerifyApiException(Text.Staging_NoAnswerInTime, ex) { Kind = ApiFailureKind.Timeout };
                    }
                }

                failure.Attempts = attempt;
                var delay = Retries.NextDelay(attempt, failure, Time.GetElapsedTime(started));
                if (delay == null)
                {
                    throw Final(failure, body, serverDate, what);
                }

                await Time.Delay(delay.Value, cancellation).ConfigureAwait(false);
            }
        }

        /// <summary>The Staging… error of a request that failed for good: named by the store, the fix, and the clock when it is the clock.</summary>
        private IdCardVerifyApiException Final(IdCardVerifyApiException failure, string body, DateTimeOffset? serverDate, string what)
        {
            if (failure.StatusCode is not int status)
            {
                return Unavailable(what, failure.BaseMessage, failure.InnerException);
            }

            var code = Between(body, "<Code>", "</Code>") ?? Between(body, "\"code\":\"", "\"");
            var detail = $"HTTP {status}" + (code != null ? " " + Shown.Escape(code) : string.Empty);
            if (ClockProblem(code, serverDate) is string clock)
            {
                return Error("StagingAccessDenied", Words.Format(Text.Staging_RefusedClock, Target.Describe(), what, detail, clock), status);
            }

            if (status == 401 || status == 403)
            {
                return Error("StagingAccessDenied", Words.Format(Text.Staging_Denied, Target.Describe(), what, detail, CredentialSource, Target.Display), status);
            }

            if (status == 404)
            {
                return Error("StagingUnavailable", Words.Format(Text.Staging_Missing, Target.Describe(), detail, what), status);
            }

            return Error("StagingUnavailable", Words.Format(Text.Staging_Failed, Target.Describe(), what, detail), status);
        }

        private string CredentialSource => Secret.ToString();

        /// <summary>
        /// When the store says the request's time is off (S3's RequestTimeTooSkewed, Azure's authentication failure with a
        /// Date far from ours), the clock is named with the difference, never "credentials wrong".
        /// </summary>
        internal string? ClockProblem(string? code, DateTimeOffset? serverDate)
        {
            var skew = serverDate.HasValue ? UtcNow - serverDate.Value.UtcDateTime : (TimeSpan?)null;
            var skewed = string.Equals(code, "RequestTimeTooSkewed", StringComparison.OrdinalIgnoreCase)
                || (skew.HasValue && Math.Abs(skew.Value.TotalMinutes) >= 5 && (string.Equals(code, "AuthenticationFailed", StringComparison.OrdinalIgnoreCase) || string.Equals(code, "AccessDenied", StringComparison.OrdinalIgnoreCase) || string.Equals(code, "SignatureDoesNotMatch", StringComparison.OrdinalIgnoreCase)));
            if (!skewed)
            {
                return null;
            }

            var difference = skew.HasValue
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, skew.Value > TimeSpan.Zero ? Text.Staging_ClockAhead : Text.Staging_ClockBehind, Math.Abs(skew.Value.TotalMinutes))
                : Text.Staging_ClockDiffers;
            return difference + Text.Staging_ClockAdvice;
        }

        /// <summary>At most <see cref="ErrorBodyBytes"/> of an answer's body, as text.</summary>
        private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellation)
        {
            if (response.Content == null)
            {
                return string.Empty;
            }

            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[ErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellation).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }

        internal IdCardVerifyApiException Unavailable(string what, string why, Exception? inner = null) =>
            new IdCardVerifyApiException(Words.Format(Text.Staging_Unreachable, Target.Describe(), what, why), inner)
            {
                ErrorId = "StagingUnavailable",
                Kind = ApiFailureKind.ConnectionFailed,
                Advice = Text.Staging_UnreachableAdvice,
            };

        protected static IdCardVerifyApiException Error(string errorId, string message, int? status = null) =>
            new IdCardVerifyApiException(message)
            {
                ErrorId = errorId,
                StatusCode = status,
                Kind = errorId == "StagingAccessDenied" ? ApiFailureKind.Forbidden : ApiFailureKind.ConnectionFailed,
                Advice = message,
            };

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex is SocketException socket ? new Exception(socket.SocketErrorCode == SocketError.ConnectionRefused ? Text.Staging_ConnectionRefused : socket.Message) : ex;
        }

        private static string? Between(string text, string start, string end)
        {
            var i = text.IndexOf(start, StringComparison.Ordinal);
            if (i < 0)
            {
                return null;
            }

            i += start.Length;
            var j = text.IndexOf(end, i, StringComparison.Ordinal);
            return j > i && j - i < 80 ? text.Substring(i, j - i) : null;
        }
    }
}
