using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Client
{
    /// <summary>
    /// One verification with the politeness and persistence a bulk run needs: waits its turn at the
    /// rate limiter, retries what the policy says is worth retrying, and tells the limiter about 429s.
    /// Every wait takes the run's cancellation token.
    /// </summary>
    internal sealed class ResilientSender
    {
        private readonly IdCardVerifyClient _client;
        private readonly RetryPolicy _policy;
        private readonly RateLimiter _limiter;
        private readonly Action<string> _log;

        public ResilientSender(IdCardVerifyClient client, RetryPolicy policy, RateLimiter limiter, Action<string> log)
        {
            _client = client;
            _policy = policy;
            _limiter = limiter;
            _log = log;
        }

        public async Task<ApiAnswer> SendAsync(string imageUrl, string? configJson, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            for (var attempt = 1; ; attempt++)
            {
                await _limiter.WaitAsync(cancellation).ConfigureAwait(false);
                try
                {
                    var answer = await _client.SendAsync(imageUrl, configJson, attempt, cancellation).ConfigureAwait(false);
                    _limiter.OnSuccess();
                    return answer;
                }
                catch (IdCardVerifyApiException failure) when (!cancellation.IsCancellationRequested)
                {
                    failure.Attempts = attempt;
                    if (failure.Kind == ApiFailureKind.RateLimited)
                    {
                        _limiter.OnThrottled(failure.RetryAfter);
                    }

                    var delay = _policy.NextDelay(attempt, failure, clock.Elapsed);
                    if (delay == null)
                    {
                        throw;
                    }

                    _log(string.Format(
                        CultureInfo.InvariantCulture,
                        "'{0}': attempt {1} failed with {2}{3}; retrying in {4:0.00} s{5}.",
                        ImageUrls.ForDisplay(imageUrl),
                        attempt,
                        failure.ErrorId,
                        failure.StatusCode.HasValue ? " (HTTP " + failure.StatusCode.Value + ")" : string.Empty,
                        delay.Value.TotalSeconds,
                        failure.RetryAfter.HasValue ? " as Retry-After asked" : string.Empty));
                    await Task.Delay(delay.Value, cancellation).ConfigureAwait(false);
                }
            }
        }
    }
}
