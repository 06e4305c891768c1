using IdCardVerify.Bulk;
using Xunit;
using IdCardVerify.Resilience;
using IdCardVerify.Settings;

namespace IdCardVerify.Tests;

/// <summary>The outage breaker, on a fake clock: it trips on a sustained stretch of no answers, and an answer resets it.</summary>
public class OutageBreakerTests
{
    private TimeSpan _now;

    private OutageBreaker Breaker() => new(FuncTime.Monotonic(() => _now));

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
        Assert.Equal(counts, FailureClass.Of(new IdCardVerifyApiException("x") { Kind = kind, StatusCode = status }).NoAnswer);
    }
}

/// <summary>The run, in Bulk, stops itself at an outage: no PowerShell needed to see it.</summary>
public sealed class OutageStopTests
{
    private static VerificationRun Run(FakeClock clock) =>
        new VerificationRun(
            RunOptions.Resolve(new Dictionary<string, object> { ["Endpoint"] = new Uri("http://127.0.0.1:9/verify") }, new SettingsValues(), p => p, inputCount: null),
            CancellationToken.None,
            clock);

    private static IdCardVerifyApiException Refused() =>
        new IdCardVerifyApiException("Could not reach the API") { Kind = ApiFailureKind.ConnectionFailed, ErrorId = "ConnectionFailed", Attempts = 4 };

    [Fact]
    public void Ten_inputs_without_an_answer_over_30_s_stop_the_run_with_EndpointUnreachable_once()
    {
        var clock = new FakeClock();
        var run = Run(clock);
        var stoppedAt = -1L;
        for (var i = 1; i <= 40; i++)
        {
            if (run.NoteFailure(Refused(), i))
            {
                Assert.Equal(-1L, stoppedAt);
                stoppedAt = i;
            }

            clock.Advance(1);
        }

        Assert.Equal(31, stoppedAt);
        Assert.Equal("EndpointUnreachable", run.StoppedBy!.ErrorId);
        Assert.Contains("127.0.0.1:9", run.StoppedBy.Message, StringComparison.Ordinal);
        Assert.Contains("each tried 4 time(s)", run.StoppedBy.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gave up after", run.StoppedBy.Message, StringComparison.Ordinal);
        Assert.Equal(31, run.StoppedAt);
    }

    [Fact]
    public void An_answer_of_any_kind_starts_the_breaker_again()
    {
        var clock = new FakeClock();
        var run = Run(clock);
        for (var i = 1; i <= 60; i++)
        {
            var stops = i % 20 == 0
                ? run.NoteFailure(new IdCardVerifyApiException("500") { Kind = ApiFailureKind.Other, StatusCode = 500 }, i)
                : run.NoteFailure(Refused(), i);
            Assert.False(stops, $"input {i}");
            clock.Advance(1.6);
        }

        Assert.Null(run.StoppedBy);
    }
}
