using IdCardVerify.Client;
using IdCardVerify.Settings;
using Xunit;

namespace IdCardVerify.Tests;

public class InputAndTokenTests
{
    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("C:\\cards\\a.jpg", "names a file")]
    [InlineData("/home/me/a.jpg", "names a file")]
    [InlineData("\\\\server\\share\\a.jpg", "names a file")]
    [InlineData("./a.jpg", "names a file")]
    [InlineData("cards/a.jpg", "not an absolute URL")]
    [InlineData("a.jpg", "not an absolute URL")]
    [InlineData("file:///tmp/a.jpg", "names a file")]
    [InlineData("ftp://host/a.jpg", "'ftp:' scheme")]
    [InlineData("javascript:alert(1)", "'javascript:' scheme")]
    [InlineData("https://user:pass@host.test/a.jpg", "user name or password")]
    public void Unusable_urls_are_refused_with_the_reason(string? url, string reason)
    {
        Assert.Contains(reason, ImageUrls.Problem(url));
    }

    [Fact]
    public void A_very_long_url_is_refused()
    {
        Assert.Contains("characters long", ImageUrls.Problem("https://h.test/" + new string('a', 5000)));
    }

    [Theory]
    [InlineData("https://s.test/a.jpg")]
    [InlineData("http://s.test/a.jpg")]
    [InlineData("  https://s.test/a.jpg  ")]
    [InlineData("https://例子.测试/身份证.jpg")]
    [InlineData("https://s.test/a.jpg?sig=abc&exp=1")]
    public void Usable_urls_pass(string url)
    {
        Assert.Null(ImageUrls.Problem(url));
    }

    [Fact]
    public void Credentials_are_masked_for_display()
    {
        Assert.Equal("https://***@host.test/a.jpg", Redaction.ForDisplay("https://user:pass@host.test/a.jpg"));
    }

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
