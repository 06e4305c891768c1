using IdCardVerify.Bulk;
using IdCardVerify.Client;
using Xunit;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>Requests in flight: the sizer (rate x latency, with headroom, within the bound) and the gate that admits them.</summary>
public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData(60, 1.0, 128, 91)]     // Little's law: 60/s x 1 s, x 1.5 headroom, + 1
    [InlineData(60, 0.1, 128, 10)]
    [InlineData(20, 0.3, 128, 10)]
    [InlineData(60, 1.5, 128, 128)]    // capped by the bound
    [InlineData(60, 1.0, 16, 16)]      // an explicit -ThrottleLimit stays an upper bound
    [InlineData(2, 0.1, 128, 4)]       // at least a few, so that a row waiting out a retry does not stall a slow run
    [InlineData(2, 0.1, 2, 2)]         // ... unless -ThrottleLimit says fewer
    public void Concurrency_is_rate_times_latency_with_headroom_within_the_bound(double rate, double latency, int bound, int expected)
    {
        var sizer = new ConcurrencySizer(bound, () => rate);
        sizer.Observe(TimeSpan.FromSeconds(latency));
        Assert.Equal(expected, sizer.Target);
    }

    [Fact]
    public void Before_any_answer_a_slow_api_is_not_held_to_a_handful_of_requests()
    {
        // The gate admits more only as answers free slots, so the first second of a run against a 1.5 s API (the
        // slowest the design plans for) needs room for all its sends: 15/s, the slow start's first rate at the
        // default ceiling, for 1.5 s.
        Assert.True(new ConcurrencySizer(128, () => 15).Target >= 15 * 1.5, "the first second would be cut short");
    }

    [Fact]
    public void Concurrency_follows_a_latency_that_changes_and_is_the_bound_when_no_rate_is_in_force()
    {
        var sizer = new ConcurrencySizer(128, () => 60);
        Assert.Equal((int)Math.Min(128, Math.Ceiling(60 * ConcurrencySizer.AssumedLatency.TotalSeconds * 1.5) + 1), sizer.Target);
        sizer.Observe(TimeSpan.FromMilliseconds(200));
        Assert.Equal(19, sizer.Target);

        // A longer time is followed fast: 1.2 s answers, 60/s, x 1.5.
        for (var i = 0; i < 20; i++)
        {
            sizer.Observe(TimeSpan.FromSeconds(1.2));
        }

        Assert.InRange(sizer.Target, 100, 110);

        // A shorter one slowly: a few quick answers must not forget the rows that waited out a retry.
        for (var i = 0; i < 5; i++)
        {
            sizer.Observe(TimeSpan.FromMilliseconds(200));
        }

        Assert.InRange(sizer.Target, 80, 100);
        for (var i = 0; i < 150; i++)
        {
            sizer.Observe(TimeSpan.FromMilliseconds(200));
        }

        Assert.InRange(sizer.Target, 19, 20);
        Assert.Equal(16, new ConcurrencySizer(16, () => double.PositiveInfinity).Target);
    }

    [Fact]
    public async Task The_gate_admits_up_to_its_limit_and_follows_a_limit_that_changes()
    {
        var limit = 2;
        var gate = new ConcurrencyGate(() => limit);
        await gate.WaitAsync(CancellationToken.None);
        await gate.WaitAsync(CancellationToken.None);
        var third = gate.WaitAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);

        limit = 1;
        gate.Release();                                      // 1 busy, limit 1: the third still waits
        Assert.False(third.IsCompleted);
        limit = 3;
        var fourth = gate.WaitAsync(CancellationToken.None); // queued behind the third, first come first served
        gate.Release();                                      // 0 busy, limit 3: both go
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        await fourth.WaitAsync(TimeSpan.FromSeconds(5));
        // Two busy under a limit of 3: one more goes at once, the next waits.
        Assert.True(gate.WaitAsync(CancellationToken.None).IsCompleted);
        Assert.False(gate.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue()
    {
        var gate = new ConcurrencyGate(() => 1);
        await gate.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.WaitAsync(cancel.Token);
        var next = gate.WaitAsync(CancellationToken.None);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        gate.Release();
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        // The cancelled wait took no place: one busy under a limit of 1, so another waits.
        Assert.False(gate.WaitAsync(CancellationToken.None).IsCompleted);
    }
}
