using IdCardVerify.Pacing;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The check after a cut, on its own: a limit's 429s stop, noise keeps its share, congestion stays.</summary>
public sealed class CutCheckTests
{
    /// <summary>A check opened at 10 s after a cut that saw <paramref name="shareBefore"/> of <paramref name="answersBefore"/> answers refused.</summary>
    private static CutCheck Opened(double shareBefore, int answersBefore, out TimeSpan now, bool telling = true)
    {
        var check = new CutCheck();
        now = TimeSpan.FromSeconds(10);
        check.Begin(now, shareBefore, answersBefore, telling);
        return check;
    }

    private static bool? Feed(CutCheck check, int answers, int every, ref TimeSpan now, bool alone = true)
    {
        bool? verdict = null;
        for (var i = 1; i <= answers && verdict == null; i++)
        {
            now += TimeSpan.FromMilliseconds(50);
            verdict = check.Add(now, now - TimeSpan.FromMilliseconds(10), every > 0 && i % every == 0, alone);
        }

        return verdict;
    }

    [Fact]
    public void A_cut_that_clears_a_limit_is_not_noise_and_closes_early()
    {
        var check = Opened(0.2, 60, out var now);
        Assert.False(Feed(check, 200, every: 0, ref now));
        Assert.False(check.IsOpen);
    }

    [Fact]
    public void A_share_that_stays_the_same_after_the_cut_is_noise()
    {
        var check = Opened(0.1, 60, out var now);
        Assert.True(Feed(check, 400, every: 10, ref now));
        Assert.InRange(check.Share, 0.08, 0.12);
    }

    [Fact]
    public void A_share_noise_never_reaches_is_congestion()
    {
        var check = Opened(0.5, 60, out var now);
        Assert.False(Feed(check, 400, every: 2, ref now));
    }

    [Fact]
    public void Too_few_429s_to_call_noise_keep_the_check_open_while_alone_and_close_it_with_other_runs_in_sight()
    {
        // Three 429s in 40 answers at 10% before: the shares agree, but three are too few to call noise (issue 34).
        var alone = Opened(0.1, 40, out var now);
        Assert.Null(Feed(alone, 40, every: 13, ref now));
        Assert.True(alone.IsOpen);
        Assert.True(Feed(alone, 40, every: 10, ref now), "Eighty answers with seven 429s at 10% before were not noise.");

        var beside = Opened(0.1, 40, out now);
        Assert.False(Feed(beside, 40, every: 13, ref now, alone: false));
        Assert.False(beside.IsOpen);
    }

    [Fact]
    public void A_check_held_no_lower_than_what_the_api_accepts_cannot_find_noise()
    {
        // Held over a limit read high, the 429s go on at the share they had: not a sign of noise.
        var check = Opened(0.1, 60, out var now, telling: false);
        Assert.False(Feed(check, 400, every: 10, ref now));
    }

    [Fact]
    public void A_share_may_grow_by_a_standard_error_and_a_half_alone_but_not_with_other_runs_in_sight()
    {
        // 4 of 38 before, 8 of 40 after: grown by 9.5 points, 1.2 standard errors (a 40-answer sample of 10% noise).
        var alone = Opened(4.0 / 38, 38, out var now);
        Assert.True(Feed(alone, 40, every: 5, ref now));

        var beside = Opened(4.0 / 38, 38, out now);
        Assert.False(Feed(beside, 40, every: 5, ref now, alone: false));
    }

    [Fact]
    public void A_quarter_refused_before_and_after_is_a_limit_read_high_not_noise()
    {
        // A 10/s limit met in a run's first second reads as 13.7/s: held at 12.3/s, a quarter go on being refused, as
        // a quarter were before the cut. Noise that heavy is not learned (CutCheck.MostNoise).
        var check = Opened(3.0 / 13, 13, out var now);
        Assert.False(Feed(check, 400, every: 4, ref now));
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
