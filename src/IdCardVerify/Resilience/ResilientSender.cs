using IdCardVerify.Files;
using System.Globalization;
using System.Threading.Tasks;
using System.Threading;
using System;
using IdCardVerify.Client;
using IdCardVerify.Pacing;

namespace IdCardVerify.Resilience
{
    /// <summary>
    /// One verification with the politeness and persistence a bulk run needs: waits its turn at the
    /// rate controller, retries what the policy says is worth retrying, and tells the controller what
    /// each attempt got (an answer or a 429, and when its request went out). Every wait takes the run's
    /// cancellation token. <see cref="Held"/> hears how long each verification held its place, the wait
    /// for a send slot left out: the concurrency sizer's latency.
    /// </summary>
    internal sealed class ResilientSender
    {
        private readonly IdCardVerifyClient _client;
        private readonly RetryPolicy _policy;
        private readonly RateController _limiter;
        private readonly Action<string> _log;
        private readonly TimeProvider _time;

        /// <param name="time">The run's clock: every reading and wait here goes by it.</param>
        public ResilientSender(IdCardVerifyClient client, RetryPolicy policy, RateController limiter, Action<string> log, TimeProvider time)
        {
            _time = time;
            _client = client;
            _policy = policy;
            _limiter = limiter;
            _log = log;
        }

        /// <summary>
        /// A request on the wire is paid for: when true, stopping the run (the token every wait takes) stops what has not
        /// been sent, and an attempt already sent runs to its answer (bounded by -TimeoutSec), so the answer is kept.
        /// </summary>
        public bool KeepSent { get; set; }

        /// <summary>With <see cref="KeepSent"/>: what gives up a request on the wire (a stopped run's, after its settle bound).</summary>
        public CancellationToken Abandon { get; set; }

        /// <summary>Hears how long each verification held its place (latency and backoff, not the wait for a send slot).</summary>
        public Action<TimeSpan>? Held { get; set; }

        /// <param name="display">How messages name the image instead of its URL (a staged file's URL is a credential).</param>
        /// <param name="sending">Runs once, just before the first attempt goes on the wire (the journal's intent line).</param>
        public async Task<ApiAnswer> SendAsync(string imageUrl, string? configJson, CancellationToken cancellation, string? display = null, Action? sending = null)
        {
            var started = _time.GetTimestamp();
            var queued = TimeSpan.Zero;
            // Attempts that count against -MaxRetries: a 429 the controller takes for noise is retried within the
            // policy's time bound without using one up (a run with 10% random 429s loses no row to them).
            var counted = 0;
            for (var attempt = 1; ; attempt++)
            {
                var waitStart = _time.GetElapsedTime(started);
                await _limiter.WaitAsync(cancellation).ConfigureAwait(false);
                queued += _time.GetElapsedTime(started) - waitStart;
                var sentAt = _limiter.Now;
                try
                {
                    // Nothing goes out once the run is stopping; what goes out is awaited (KeepSent).
                    cancellation.ThrowIfCancellationRequested();
                    if (attempt == 1)
                    {
                        sending?.Invoke();
                    }

                    var answer = await _client.SendAsync(imageUrl, configJson, attempt, KeepSent ? Abandon : cancellation).ConfigureAwait(false);
                    _limiter.OnAnswered(sentAt);
                    Held?.Invoke(_time.GetElapsedTime(started) - queued);
                    return answer;
                }
                catch (IdCardVerifyApiException failure) when (!cancellation.IsCancellationRequested || KeepSent)
                {
                    failure.Attempts = attempt;
                    var what = FailureClass.Of(failure);
                    counted++;
                    if (what.Throttled && _limiter.OnThrottled(sentAt, failure.RetryAfter))
                    {
                        counted--;
                    }
                    else if (what.Answered)
                    {
                        // Any other answer is one the API let through.
                        _limiter.OnAnswered(sentAt);
                    }

                    var delay = _policy.NextDelay(Math.Max(counted, 1), failure, _time.GetElapsedTime(started));
                    if (delay == null)
                    {
                        Held?.Invoke(_time.GetElapsedTime(started) - queued);
                        if (display != null)
                        {
                            throw failure.Retold(failure.BaseMessage.Replace(Redaction.ForDisplay(imageUrl), display).Replace(imageUrl, display));
                        }

                        throw;
                    }

                    _log(string.Format(
                        CultureInfo.InvariantCulture,
                        Text.Retry_Failed,
                        display ?? Redaction.ForDisplay(imageUrl),
                        attempt,
                        failure.ErrorId,
                        failure.StatusCode.HasValue ? Words.Format(Text.Retry_Http, failure.StatusCode.Value) : string.Empty,
                        delay.Value.TotalSeconds,
                        failure.RetryAfter.HasValue ? Text.Retry_AsAsked : string.Empty));
                    await _time.Delay(delay.Value, cancellation).ConfigureAwait(false);
                }
            }
        }
    }
}
