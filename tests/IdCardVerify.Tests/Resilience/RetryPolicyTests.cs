using System.Net.Http.Headers;
using IdCardVerify.Client;
using Xunit;
using IdCardVerify.Resilience;

namespace IdCardVerify.Tests;

public class RetryPolicyTests
{
    private static IdCardVerifyApiException Failure(ApiFailureKind kind, int? status, TimeSpan? retryAfter = null) =>
        new("x") { Kind = kind, StatusCode = status, RetryAfter = retryAfter };

    [Theory]
    [InlineData(ApiFailureKind.RateLimited, 429, true)]
    [InlineData(ApiFailureKind.ServerError, 500, true)]
    [InlineData(ApiFailureKind.ServerError, 502, true)]
    [InlineData(ApiFailureKind.ServerError, 503, true)]
    [InlineData(ApiFailureKind.Timeout, 504, true)]
    [InlineData(ApiFailureKind.Timeout, null, true)]
    [InlineData(ApiFailureKind.ConnectionFailed, null, true)]
    [InlineData(ApiFailureKind.InvalidRequest, 400, false)]
    [InlineData(ApiFailureKind.Authentication, 401, false)]
    [InlineData(ApiFailureKind.Quota, 403, false)]
    [InlineData(ApiFailureKind.Forbidden, 403, false)]
    [InlineData(ApiFailureKind.NotFound, 404, false)]
    [InlineData(ApiFailureKind.Other, 200, false)]
    [InlineData(ApiFailureKind.Other, 418, false)]
    public void Retries_429_5xx_and_network_failures_only(ApiFailureKind kind, int? status, bool retryable)
    {
        Assert.Equal(retryable, FailureClass.Of(Failure(kind, status)).Retry);
    }

    [Fact]
    public void Stops_after_max_retries()
    {
        var policy = new RetryPolicy { MaxRetries = 2 };
        var failure = Failure(ApiFailureKind.ServerError, 500);
        Assert.NotNull(policy.NextDelay(1, failure, TimeSpan.Zero));
        Assert.NotNull(policy.NextDelay(2, failure, TimeSpan.Zero));
        Assert.Null(policy.NextDelay(3, failure, TimeSpan.Zero));
        Assert.Null(new RetryPolicy { MaxRetries = 0 }.NextDelay(1, failure, TimeSpan.Zero));
    }

    [Fact]
    public void Backoff_doubles_with_jitter_inside_its_band_and_is_capped()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var ceiling = Math.Min(100 * Math.Pow(2, attempt - 1), 1000);
            var samples = Enumerable.Range(0, 200).Select(_ => policy.Backoff(attempt).TotalMilliseconds).ToList();
            Assert.All(samples, ms => Assert.InRange(ms, ceiling / 2, ceiling));
            Assert.True(samples.Distinct().Count() > 50, "jitter should spread the waits");
        }
    }

    [Fact]
    public void Retry_after_is_honoured_and_capped_by_max_delay()
    {
        var policy = new RetryPolicy { MaxDelay = TimeSpan.FromSeconds(10) };
        Assert.Equal(TimeSpan.FromSeconds(3), policy.NextDelay(1, Failure(ApiFailureKind.RateLimited, 429, TimeSpan.FromSeconds(3)), TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.NextDelay(1, Failure(ApiFailureKind.RateLimited, 429, TimeSpan.FromMinutes(5)), TimeSpan.Zero));
    }

    [Fact]
    public void A_429_without_retry_after_waits_out_the_second_however_short_the_backoff()
    {
        // A limit counted per second refuses the rest of a second once full: quick retries would spend every attempt
        // of a row in it (an xUnit run of 2,000 rows against a fixed-window limit, backoff 20-200 ms, lost rows so).
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) };
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(policy.ThrottledMinDelay, policy.NextDelay(attempt, Failure(ApiFailureKind.RateLimited, 429, null), TimeSpan.Zero));
        }

        Assert.Equal(TimeSpan.FromSeconds(1), policy.ThrottledMinDelay);
        // Retry-After, when sent, is what counts (0 too); other failures keep the short backoff.
        Assert.Equal(TimeSpan.Zero, policy.NextDelay(1, Failure(ApiFailureKind.RateLimited, 429, TimeSpan.Zero), TimeSpan.Zero));
        Assert.True(policy.NextDelay(1, Failure(ApiFailureKind.ServerError, 503, null), TimeSpan.Zero) <= TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void No_retry_starts_past_the_total_time_bound()
    {
        var policy = new RetryPolicy { MaxRetries = 10, MaxTotal = TimeSpan.FromSeconds(5) };
        var failure = Failure(ApiFailureKind.RateLimited, 429, TimeSpan.FromSeconds(2));
        Assert.NotNull(policy.NextDelay(1, failure, TimeSpan.FromSeconds(2)));
        Assert.Null(policy.NextDelay(2, failure, TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void Retry_after_is_read_in_seconds_and_as_a_date()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterHeader.Parse(RetryConditionHeaderValue.Parse("7"), now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfterHeader.Parse(RetryConditionHeaderValue.Parse("Thu, 26 Nov 2026 12:00:30 GMT"), now));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(RetryConditionHeaderValue.Parse("Thu, 26 Nov 2026 11:00:00 GMT"), now));
        Assert.Null(RetryAfterHeader.Parse(null, now));
        Assert.Equal(TimeSpan.FromSeconds(4), RetryAfterHeader.Parse(new RetryConditionHeaderValue(TimeSpan.FromSeconds(4)), now));
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Parse(new RetryConditionHeaderValue(now.AddSeconds(90)), now));
    }
}
