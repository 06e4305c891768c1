using IdCardVerify.Client;
using System.Collections.Generic;
using Xunit;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>Send slots: spaced evenly at the rate, nothing reserved ahead or banked, never more than the ceiling in any second, served in turn.</summary>
public sealed class SlotQueueTests
{
    [Fact]
    public void Spaces_requests_evenly_at_the_ceiling_and_reserves_nothing_ahead()
    {
        var clock = new FakeClock();
        var controller = new RateController(10, clock);
        Assert.Equal(TimeSpan.Zero, controller.Reserve());
        // Asked again at once: the next slot is 100 ms away, and asking does not take it.
        Assert.Equal(TimeSpan.FromMilliseconds(100), controller.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(100), controller.Reserve());
        clock.Advance(0.1);
        Assert.Equal(TimeSpan.Zero, controller.Reserve());
        // A sender that wakes 30 ms late loses no rate: the slot after it is still due 100 ms after the last was.
        clock.Advance(0.13);
        Assert.Equal(TimeSpan.Zero, controller.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(70), controller.Reserve());
    }

    [Fact]
    public void Idle_time_is_not_banked_into_a_burst()
    {
        var clock = new FakeClock();
        var controller = new RateController(10, clock);
        controller.Reserve();
        clock.Now = TimeSpan.FromSeconds(10);
        Assert.Equal(TimeSpan.Zero, controller.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(100), controller.Reserve());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    public void Timers_that_wake_late_never_put_more_than_the_ceiling_into_any_second(int ceiling)
    {
        // A sender that wakes late lets the next slot fall due soon after (no rate lost), which bunches sends; a
        // limit of N per second, sliding or fixed, must still never see N + 1 in a second, with a little margin for
        // requests that arrive in another order than they left.
        var clock = new FakeClock();
        var controller = new RateController(ceiling, clock);
        var dice = new Random(7);
        var sends = new List<TimeSpan>();
        while (sends.Count < 40 * ceiling)
        {
            var wait = controller.Reserve();
            if (wait == TimeSpan.Zero)
            {
                sends.Add(clock.Now);
                controller.OnAnswered(clock.Now);   // all accepted, so the slow start reaches the ceiling
            }

            // The pump sleeps until the slot is due and wakes up to most of a spacing late.
            clock.Now += wait + TimeSpan.FromSeconds(dice.NextDouble() * 0.9 / ceiling);
        }

        var margin = SlotQueue.CeilingWindow - TimeSpan.FromSeconds(1);
        Assert.InRange(margin.TotalMilliseconds, 10, 50);
        for (var i = ceiling; i < sends.Count; i++)
        {
            Assert.True(sends[i] - sends[i - ceiling] >= SlotQueue.CeilingWindow, $"send {i} at {sends[i]} is the {ceiling + 1}th since {sends[i - ceiling]}");
        }

        // And the ceiling is nearly all used: no more is lost than the margin and the timers' lateness.
        var rate = (sends.Count - 1) / (sends[sends.Count - 1] - sends[0]).TotalSeconds;
        Assert.InRange(rate, 0.9 * ceiling, ceiling / SlotQueue.CeilingWindow.TotalSeconds);
    }

    [Fact]
    public async Task Waiting_senders_are_served_in_turn_at_the_rate()
    {
        var controller = new RateController(50);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var waits = Enumerable.Range(0, 11).Select(_ => controller.WaitAsync(CancellationToken.None)).ToList();
        while (!waits.All(w => w.IsCompleted))
        {
            // First come, first served: at any moment, the senders let through are the first ones.
            var done = waits.Select(w => w.IsCompleted).ToList();
            Assert.True(done.SkipWhile(d => d).All(d => !d), "A later sender went before an earlier one.");
            await Task.Delay(3);
        }

        // Eleven slots at 50/s span at least 200 ms (ten spacings); the first is at once.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(190), $"Eleven slots in {watch.Elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_turn()
    {
        var controller = new RateController(2);
        await controller.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = controller.WaitAsync(cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await controller.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
