using IdCardVerify.Bulk;
using IdCardVerify.Client;
using Xunit;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>One rate budget per token and endpoint in a process; concurrency sized from rate and latency; the gate that holds it.</summary>
public class BudgetAndSizingTests
{
    private static readonly Uri Endpoint = new("https://api.example.test/identity/idcard/check-1e");

    [Fact]
    public void Runs_on_one_token_and_endpoint_share_one_controller_while_any_holds_it()
    {
        using var first = RateBudgets.Acquire(Endpoint, "budget-token-1", 60);
        using (var second = RateBudgets.Acquire(new Uri(Endpoint.AbsoluteUri), "budget-token-1", 60))
        {
            Assert.Same(first.Controller, second.Controller);
        }

        // The second run ended; the first still holds the budget, so a third joins it.
        using var third = RateBudgets.Acquire(Endpoint, "budget-token-1", 60);
        Assert.Same(first.Controller, third.Controller);
    }

    [Fact]
    public void A_budget_shows_itself_on_its_board_sees_a_run_of_another_process_there_and_leaves_nothing_behind()
    {
        var token = "budget-token-board-" + Guid.NewGuid().ToString("N");
        var folder = RateBudgets.BoardFolder(Endpoint, token)!;
        var other = new PeerBoard(folder, "other-process", root: PeerBoard.BaseFolder());
        using (var lease = RateBudgets.Acquire(Endpoint, token, 60))
        {
            // Its own file, written at once and kept fresh by the budget's timer.
            Assert.True(SpinWait.SpinUntil(() => Directory.Exists(folder) && Directory.GetFiles(folder, "*.peer").Length == 1, TimeSpan.FromSeconds(10)));
            Assert.DoesNotContain(token, File.ReadAllText(Directory.GetFiles(folder, "*.peer")[0]), StringComparison.Ordinal);

            // A run on the same token in another process (its own board in the same folder): seen within a tick or two.
            other.Write(new PeerState("other-process", 20, 21));
            Assert.True(SpinWait.SpinUntil(() => lease.Controller.Peers == 1, TimeSpan.FromSeconds(10)));
            Assert.Equal(1, lease.Controller.MostPeers);
        }

        // The last run on the token in this process ended: its file is gone (the other's stays until it ends).
        Assert.Equal("other-process.peer", Path.GetFileName(Assert.Single(Directory.GetFiles(folder, "*.peer"))));
        other.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Budgets_on_one_token_with_other_ceilings_see_each_other_on_the_board_for_they_draw_on_one_limit()
    {
        var token = "budget-token-ceilings-" + Guid.NewGuid().ToString("N");
        using var full = RateBudgets.Acquire(Endpoint, token, 60);
        using var small = RateBudgets.Acquire(Endpoint, token, 10);
        Assert.NotSame(full.Controller, small.Controller);
        Assert.True(SpinWait.SpinUntil(() => full.Controller.Peers == 1 && small.Controller.Peers == 1, TimeSpan.FromSeconds(10)));
        using var otherToken = RateBudgets.Acquire(Endpoint, token + "-other", 60);
        Thread.Sleep(2 * PeerBoard.Period);
        Assert.Equal(0, otherToken.Controller.Peers);
        Assert.Equal(1, full.Controller.Peers);
    }

    [Fact]
    public void A_budget_nobody_holds_is_dropped_so_the_next_run_starts_afresh()
    {
        RateController before;
        using (var lease = RateBudgets.Acquire(Endpoint, "budget-token-2", 60))
        {
            before = lease.Controller;
            before.OnThrottled(before.Now, null);
        }

        using var next = RateBudgets.Acquire(Endpoint, "budget-token-2", 60);
        Assert.NotSame(before, next.Controller);
        Assert.Equal(60, next.Controller.FoundLimit);
    }

    [Fact]
    public void Another_token_endpoint_or_ceiling_has_its_own()
    {
        using var first = RateBudgets.Acquire(Endpoint, "budget-token-3", 60);
        using var otherToken = RateBudgets.Acquire(Endpoint, "budget-token-4", 60);
        using var otherEndpoint = RateBudgets.Acquire(new Uri("https://gateway.example.test/identity/idcard/check-1e"), "budget-token-3", 60);
        using var otherCeiling = RateBudgets.Acquire(Endpoint, "budget-token-3", 20);
        Assert.NotSame(first.Controller, otherToken.Controller);
        Assert.NotSame(first.Controller, otherEndpoint.Controller);
        Assert.NotSame(first.Controller, otherCeiling.Controller);
    }

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
