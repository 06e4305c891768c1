using IdCardVerify.Bulk;
using IdCardVerify.Client;
using Xunit;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>Budgets: one controller per token, endpoint and ceiling in the process, shown to other processes on the peer board, dropped when nobody holds it.</summary>
public sealed class RateBudgetsTests
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
}
