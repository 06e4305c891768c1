using IdCardVerify.Client;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>Runs on one token and endpoint in a process share one rate budget; other tokens, endpoints or limits do not.</summary>
public class RateBudgetsTests
{
    private static readonly Uri Endpoint = new("https://api.example.test/identity/idcard/check-1e");

    [Fact]
    public void Runs_on_one_token_and_endpoint_share_one_limiter()
    {
        var first = RateBudgets.For(Endpoint, "budget-token-1", 50);
        Assert.Same(first, RateBudgets.For(new Uri(Endpoint.AbsoluteUri), "budget-token-1", 50));

        // What one run learns from a 429, the other obeys.
        first.OnThrottled(null);
        Assert.Equal(first.CurrentRate, RateBudgets.For(Endpoint, "budget-token-1", 50).CurrentRate);
    }

    [Fact]
    public void Another_token_endpoint_or_limit_has_its_own()
    {
        var first = RateBudgets.For(Endpoint, "budget-token-2", 50);
        Assert.NotSame(first, RateBudgets.For(Endpoint, "budget-token-3", 50));
        Assert.NotSame(first, RateBudgets.For(new Uri("https://gateway.example.test/identity/idcard/check-1e"), "budget-token-2", 50));
        Assert.NotSame(first, RateBudgets.For(Endpoint, "budget-token-2", 20));
    }
}
