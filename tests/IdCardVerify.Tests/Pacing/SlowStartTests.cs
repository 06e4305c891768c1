using IdCardVerify.Pacing;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>A run's start (TCP's slow start): a quarter of the ceiling, doubling each second, never past twice what is accepted; a 429 in it read from what the second before carried.</summary>
public sealed class SlowStartTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(100);

    [Theory]
    [InlineData(60, 0, 15)]
    [InlineData(60, 1, 30)]
    [InlineData(60, 2, 60)]
    [InlineData(60, 5, 60)]
    [InlineData(20, 0, 10)]
    [InlineData(20, 1, 20)]
    public void Begins_at_a_quarter_of_the_ceiling_at_least_ten_and_doubles_each_second_up_to_it(double ceiling, double seconds, double expected)
    {
        // The API accepts all it is sent: the cap on twice the accepted rate does not bite.
        Assert.Equal(expected, SlowStart.RateAt(ceiling, Start, Start + TimeSpan.FromSeconds(seconds), accepted: 1000), 6);
    }

    [Fact]
    public void Never_runs_ahead_of_twice_what_the_api_is_seen_to_accept()
    {
        // Two seconds in, the doubling would be at the ceiling; a slow API that has accepted 20/s holds it to 40/s.
        Assert.Equal(40, SlowStart.RateAt(100, Start, Start + TimeSpan.FromSeconds(2), accepted: 20), 6);
        // Before any answer (or under half the first rate), the first second's rate stands.
        Assert.Equal(25, SlowStart.RateAt(100, Start, Start + TimeSpan.FromSeconds(2), accepted: 0), 6);
    }

    [Fact]
    public void A_429_in_the_slow_start_is_read_from_the_second_before_it_not_the_doubled_rate()
    {
        // 40/s in force, 23 slots in the second up to the refused one (its own the last): the limit was 22/s.
        Assert.Equal(22, SlowStart.RefusedAt(40, Start + TimeSpan.FromSeconds(3), Start, 23), 6);
        // Half a second into the run, 11 sends before it: 22 per second.
        Assert.Equal(22, SlowStart.RefusedAt(40, Start + TimeSpan.FromSeconds(0.5), Start, 12), 6);
        // Too early (a tenth of a second) or with nothing known: the rate in force.
        Assert.Equal(40, SlowStart.RefusedAt(40, Start + TimeSpan.FromSeconds(0.1), Start, 3), 6);
        Assert.Equal(40, SlowStart.RefusedAt(40, Start + TimeSpan.FromSeconds(3), null, null), 6);
    }
}
