using IdCardVerify.Client;
using IdCardVerify.Settings;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The image URLs a run sends: what is refused and why, what passes, and how a URL is shown.</summary>
public sealed class ImageUrlsTests
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
}
