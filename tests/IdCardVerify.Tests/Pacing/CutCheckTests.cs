using IdCardVerify.Pacing;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The check after a cut, on its own: a limit's 429s stop, noise keeps its share, congestion stays.</summary>
public sealed class CutCheckTests
{
    private static bool? Feed(CutCheck check, int answers, int every, ref TimeSpan now)
    {
        bool? verdict = null;
        for (var i = 1; i <= answers && verdict == null; i++)
        {
            now += TimeSpan.FromMilliseconds(50);
            verdict = check.Add(now, now - TimeSpan.FromMilliseconds(10), every > 0 && i % every == 0);
        }

        return verdict;
    }

    [Fact]
    public void A_cut_that_clears_a_limit_is_not_noise_and_closes_early()
    {
        var check = new CutCheck();
        var now = TimeSpan.FromSeconds(10);
        check.Begin(now, shareBefore: 0.2, answersBefore: 60);
        Assert.False(Feed(check, 200, every: 0, ref now));
        Assert.False(check.IsOpen);
    }

    [Fact]
    public void A_share_that_stays_the_same_after_the_cut_is_noise()
    {
        var check = new CutCheck();
        var now = TimeSpan.FromSeconds(10);
        check.Begin(now, shareBefore: 0.1, answersBefore: 60);
        Assert.True(Feed(check, 400, every: 10, ref now));
        Assert.InRange(check.Share, 0.08, 0.12);
    }

    [Fact]
    public void A_share_noise_never_reaches_is_congestion()
    {
        var check = new CutCheck();
        var now = TimeSpan.FromSeconds(10);
        check.Begin(now, shareBefore: 0.5, answersBefore: 60);
        Assert.False(Feed(check, 400, every: 2, ref now));
    }

    [Fact]
    public void Answers_to_requests_sent_before_the_cut_do_not_count()
    {
        var check = new CutCheck();
        check.Begin(TimeSpan.FromSeconds(10), 0.1, 60);
        Assert.Null(check.Add(TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(9), throttled: true));
        Assert.Equal(0, check.Share);
    }
}
