using IdCardVerify.Client;
using IdCardVerify.Settings;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The token (normalised; parameter, then session, then environment) and the endpoints a token may be sent to.</summary>
public sealed class TokenChainTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("  abc\n", "abc")]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer   abc \r\n", "abc")]
    [InlineData("   ", null)]
    [InlineData("Bearer ", null)]
    [InlineData(null, null)]
    public void Tokens_are_normalised(string? given, string? expected)
    {
        Assert.Equal(expected, TokenChain.Normalize(given));
    }

    [Fact]
    public void The_chain_prefers_parameter_then_session_then_environment()
    {
        var saved = Environment.GetEnvironmentVariable(Defaults.TokenVariable);
        try
        {
            Environment.SetEnvironmentVariable(Defaults.TokenVariable, "from-env");
            var session = new SettingsValues { Token = TokenChain.ToSecure("from-session") };
            Assert.Equal(("from-param", TokenSource.Parameter), TokenChain.Resolve(TokenChain.ToSecure("from-param"), session));
            Assert.Equal(("from-session", TokenSource.Session), TokenChain.Resolve(null, session));
            Assert.Equal(("from-env", TokenSource.Environment), TokenChain.Resolve(null, new SettingsValues()));
            Environment.SetEnvironmentVariable(Defaults.TokenVariable, null);
            Assert.Equal(((string?)null, TokenSource.None), TokenChain.Resolve(null, new SettingsValues()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Defaults.TokenVariable, saved);
        }
    }

    [Theory]
    [InlineData("http://api.example.com")]
    [InlineData("http://10.0.0.5/x")]
    public void Plain_http_is_refused_except_on_loopback(string endpoint)
    {
        Assert.Throws<ArgumentException>(() => EndpointPolicy.Validate(new Uri(endpoint)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/identity/idcard/check-1e")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("https://api.acedata.cloud")]
    public void Https_and_loopback_are_accepted(string endpoint)
    {
        Assert.NotNull(EndpointPolicy.Validate(new Uri(endpoint)));
    }
}
