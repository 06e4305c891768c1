using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Files;

namespace IdCardVerify.Client
{
    /// <summary>One verification request over HTTP: builds it as the contract says and reads any answer.</summary>
    internal sealed class IdCardVerifyClient
    {
        /// <summary>The vendor's endpoint.</summary>
        public static readonly Uri DefaultEndpoint = Configuration.DefaultEndpoint;

        /// <summary>The path appended when an endpoint is given as a bare base URL.</summary>
        public const string ApiPath = "/identity/idcard/check-1e";

        /// <summary>Answers are tens of KB; anything past this is not the API talking.</summary>
        public const int MaxResponseBytes = 8 * 1024 * 1024;

        private readonly HttpMessageInvoker _http;
        private readonly Sanitizer _sanitizer;
        private readonly string? _authorization;

        private readonly TimeProvider _time;

        /// <param name="time">The run's clock: each request's timeout and the Retry-After date (<see cref="Clock.System"/> when none).</param>
        public IdCardVerifyClient(HttpMessageInvoker http, Uri endpoint, string? token, TimeSpan timeout, TimeProvider? time = null)
        {
            _time = time ?? Clock.System;
            _http = http;
            Endpoint = endpoint;
            _sanitizer = new Sanitizer(token);
            _authorization = token == null ? null : "Bearer " + token;
            Timeout = timeout;
        }

        public Uri Endpoint { get; }

        public TimeSpan Timeout { get; }

        /// <summary>
        /// Accepts a full API URL or a bare gateway base URL (<c>https://host</c>), to which the API path is added.
        /// </summary>
        public static Uri NormalizeEndpoint(Uri endpoint)
        {
            if (!endpoint.IsAbsoluteUri)
            {
                throw new ArgumentException(Words.Format(IdCardVerify.Text.Endpoint_NotAbsolute, endpoint, DefaultEndpoint), nameof(endpoint));
            }

            if (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException(Words.Format(IdCardVerify.Text.Endpoint_NotHttp, endpoint, DefaultEndpoint), nameof(endpoint));
            }

            return endpoint.AbsolutePath == "/" || endpoint.AbsolutePath.Length == 0
                ? new Uri(endpoint, ApiPath)
                : endpoint;
        }

        /// <summary>
        /// Sends one request. Returns what any 200 answer said; throws <see cref="IdCardVerifyApiException"/>
        /// for an HTTP error or a transport failure, and <see cref="OperationCanceledException"/> when
        /// <paramref name="cancellation"/> fires.
        /// </summary>
        public async Task<ApiAnswer> SendAsync(string imageUrl, string? configJson, int attempt, CancellationToken cancellation)
        {
            using var linked = _time.Within(cancellation, Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
            {
                Content = new ByteArrayContent(RequestConfig.BuildBody(imageUrl, configJson)),
            };
            // Pre-validated header values: header parsing is a large share of a request's CPU cost.
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            if (_authorization != null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", _authorization);
            }

            int status;
            ArraySegment<byte> body;
            TimeSpan? retryAfter;
            try
            {
                using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                retryAfter = RetryAfterHeader.Parse(response.Headers.RetryAfter, _time.GetUtcNow());
                body = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellation.IsCancellationRequested && linked.Token.IsCancellationRequested)
            {
                throw _sanitizer.Exception(ApiErrors.Transport(ApiFailureKind.Timeout, imageUrl, Endpoint, attempt, Timeout, ex));
            }
            catch (HttpRequestException ex) when (!cancellation.IsCancellationRequested && IsProxyRefusal(ex))
            {
                throw _sanitizer.Exception(ApiErrors.ProxyTunnelRefused(imageUrl, attempt, ex));
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested && (ex is HttpRequestException || ex is IOException))
            {
                throw _sanitizer.Exception(ApiErrors.Transport(ApiFailureKind.ConnectionFailed, imageUrl, Endpoint, attempt, null, ex));
            }

            if (status == 200)
            {
                try
                {
                    if (ResponseParser.TryParseAnswer(body, out var answer))
                    {
                        return _sanitizer.Answer(answer!);
                    }
                }
                catch (JsonException ex)
                {
                    var text = Text(body);
                    throw _sanitizer.Exception(new IdCardVerifyApiException(
                        Words.Format(IdCardVerify.Text.Api_NotAResult, Redaction.ForDisplay(imageUrl), ex.Message), ex)
                    {
                        StatusCode = status,
                        Attempts = attempt,
                        ErrorId = "InvalidResponse",
                        Kind = ApiFailureKind.Other,
                        ResponseBody = ApiErrors.Truncate(text),
                    });
                }
            }

            if (status >= 300 && status < 400)
            {
                throw new IdCardVerifyApiException(
                    Words.Format(IdCardVerify.Text.Api_Redirect, status, Redaction.ForDisplay(imageUrl)))
                {
                    StatusCode = status,
                    Attempts = attempt,
                    ErrorId = "Redirected",
                    Kind = ApiFailureKind.NotFound,
                    StopsRun = true,
                };
            }

            var failure = _sanitizer.Exception(ApiErrors.FromResponse(status, Text(body), imageUrl, attempt));
            failure.RetryAfter = retryAfter;
            throw failure;
        }

        private static string Text(ArraySegment<byte> body) => Encoding.UTF8.GetString(body.Array!, body.Offset, body.Count);

        private static async Task<ArraySegment<byte>> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellation)
        {
            var declared = response.Content.Headers.ContentLength;
            if (declared > MaxResponseBytes)
            {
                throw new IdCardVerifyApiException(Words.Format(IdCardVerify.Text.Api_AnswerTooLarge, declared, MaxResponseBytes))
                {
                    StatusCode = (int)response.StatusCode,
                    ErrorId = "ResponseTooLarge",
                };
            }

            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new MemoryStream(declared.HasValue && declared.Value > 0 ? (int)declared.Value : 4096);
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellation).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxResponseBytes)
                    {
                        throw new IdCardVerifyApiException(Words.Format(IdCardVerify.Text.Api_AnswerTooLong, MaxResponseBytes))
                        {
                            StatusCode = (int)response.StatusCode,
                            ErrorId = "ResponseTooLarge",
                        };
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        /// <summary>
        /// A tunnel the proxy refused with 407 (an https endpoint through a proxy that wants credentials):
        /// HttpRequestException.StatusCode on .NET 5 and later (read by reflection: netstandard2.0 cannot name it),
        /// else the status in its message.
        /// </summary>
        private static bool IsProxyRefusal(HttpRequestException ex)
        {
            var status = ex.GetType().GetProperty("StatusCode")?.GetValue(ex);
            return status is System.Net.HttpStatusCode code
                ? (int)code == 407
                : ex.Message.IndexOf("status code '407'", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }
}
