using IdCardVerify.Bulk;
using Xunit;
using IdCardVerify.Resilience;

namespace IdCardVerify.Tests;

/// <summary>The outage breaker, on a fake clock: it trips on a sustained stretch of no answers, and an answer resets it.</summary>
public class OutageBreakerTests
{
    private TimeSpan _now;

    private OutageBreaker Breaker() => new(() => _now);

    [Fact]
    public void Trips_only_after_enough_inputs_and_enough_time_without_an_answer()
    {
        var breaker = Breaker();
        for (var i = 1; i < OutageBreaker.Inputs; i++)
        {
            _now += TimeSpan.FromSeconds(10);
            Assert.False(breaker.NoAnswer(), $"{i} inputs are not yet an outage, however long they took");
        }

        _now += TimeSpan.FromSeconds(1);
        Assert.True(breaker.NoAnswer(), "the tenth input after more than 30 s trips it");
    }

    [Fact]
    public void Many_quick_failures_wait_for_the_stretch_to_last()
    {
        var breaker = Breaker();
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(breaker.NoAnswer());
            _now += TimeSpan.FromMilliseconds(20);
        }

        _now += TimeSpan.FromSeconds(10);
        Assert.True(breaker.NoAnswer());
    }

    [Fact]
    public void An_answer_resets_the_count_and_the_clock()
    {
        var breaker = Breaker();
        for (var i = 0; i < 20; i++)
        {
            breaker.NoAnswer();
            _now += TimeSpan.FromSeconds(2);
        }

        breaker.Answered();
        Assert.Equal(0, breaker.Count);
        for (var i = 0; i < OutageBreaker.Inputs - 1; i++)
        {
            Assert.False(breaker.NoAnswer());
            _now += TimeSpan.FromSeconds(5);
        }

        Assert.True(breaker.NoAnswer());
    }

    [Theory]
    [InlineData(ApiFailureKind.ConnectionFailed, null, true)]
    [InlineData(ApiFailureKind.Timeout, null, true)]
    [InlineData(ApiFailureKind.Timeout, 504, false)]
    [InlineData(ApiFailureKind.ServerError, 500, false)]
    [InlineData(ApiFailureKind.RateLimited, 429, false)]
    public void Only_failures_without_any_answer_count(ApiFailureKind kind, int? status, bool counts)
    {
        Assert.Equal(counts, OutageBreaker.IsNoAnswer(new IdCardVerifyApiException("x") { Kind = kind, StatusCode = status }));
    }
}
