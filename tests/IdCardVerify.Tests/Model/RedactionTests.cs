using IdCardVerify.Client;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>What a URL or a message shows: no user info, no query value, whatever form the attacker writes them in.</summary>
public sealed class RedactionTests
{
    [Theory]
    [InlineData("https://b.s3.amazonaws.com/k/card.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIACANARY&X-Amz-Signature=CANARYSIG", "https://b.s3.amazonaws.com/k/card.jpg?X-Amz-Algorithm=***&X-Amz-Credential=***&X-Amz-Signature=***")]
    [InlineData("https://acct.blob.core.windows.net/c/card.jpg?sv=2022-11-02&sp=r&sig=CANARY%2Fsig%3D", "https://acct.blob.core.windows.net/c/card.jpg?sv=***&sp=***&sig=***")]
    [InlineData("https://b-125.cos.ap-guangzhou.myqcloud.com/card.jpg?q-sign-algorithm=sha1&q-signature=CANARY", "https://b-125.cos.ap-guangzhou.myqcloud.com/card.jpg?q-sign-algorithm=***&q-signature=***")]
    [InlineData("https://b.oss-cn-hangzhou.aliyuncs.com/card.jpg?OSSAccessKeyId=CANARYKEY&Expires=1&Signature=CANARY", "https://b.oss-cn-hangzhou.aliyuncs.com/card.jpg?OSSAccessKeyId=***&Expires=***&Signature=***")]
    [InlineData("https://h.test/card.jpg?token=CANARY;access_token=CANARY#frag=CANARY", "https://h.test/card.jpg?token=***;access_token=***#frag=***")]
    [InlineData("https://h.test/card.jpg?CANARYBARE", "https://h.test/card.jpg?***")]
    [InlineData("https://h.test/a/b/card.jpg", "https://h.test/a/b/card.jpg")]
    public void A_signed_url_shows_its_scheme_host_and_path_and_no_query_value(string url, string shown)
    {
        Assert.Equal(shown, Redaction.Url(url));
        Assert.DoesNotContain("CANARY", Redaction.ForDisplay(url), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://us%65r:S3CRET@h.test/a.jpg")]
    [InlineData("https://user:%53%33CRET@h.test/a.jpg")]
    [InlineData("https://user:S3CRET%zz@h.test/a.jpg")]
    [InlineData("https://user:S3 CRET@h.test/a.jpg")]
    [InlineData("https://user:S3CRET@@h.test/a.jpg")]
    [InlineData("https://user:S3\\CRET@h.test/a.jpg")]
    [InlineData("http://user:S3CRET@h.test")]
    public void User_info_is_hidden_on_the_raw_text_in_every_form(string url)
    {
        foreach (var shown in new[] { Redaction.Url(url), Redaction.ForDisplay(url), Redaction.ForDisplay(url, maskIdNumbers: false), Redaction.Text("failed for '" + url + "' today") })
        {
            Assert.DoesNotContain("S3", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("%53", shown, StringComparison.Ordinal);
            Assert.Contains("***@", shown, StringComparison.Ordinal);
            Assert.Contains("h.test", shown, StringComparison.Ordinal);
        }

        // And such a URL is refused before it is sent (the password would go to the API).
        Assert.NotNull(ImageUrls.Problem(url));
    }

    [Fact]
    public void A_proxy_password_in_a_message_is_hidden()
    {
        var message = "The proxy tunnel request to proxy 'http://proxyuser:PR0XYPASS@127.0.0.1:3128/' failed with status code '502'.";
        var cleaned = new Sanitizer("a-token-long-enough").Message(message)!;
        Assert.DoesNotContain("PR0XYPASS", cleaned, StringComparison.Ordinal);
        Assert.Contains("http://***@127.0.0.1:3128/", cleaned, StringComparison.Ordinal);
        Assert.Contains("-Proxy 'socks5://***@p.test:1080", ProxySettings.Problem(new Uri("socks5://u:PR0XYPASS@p.test:1080")), StringComparison.Ordinal);
        Assert.DoesNotContain("PR0XYPASS", ProxySettings.Problem(new Uri("socks5://u:PR0XYPASS@p.test:1080")), StringComparison.Ordinal);
        Assert.NotNull(ProxySettings.Problem(new Uri("http://u:PR0XYPASS@p.test:8080")));
    }

    [Fact]
    public void A_huge_url_is_cut_before_it_is_read()
    {
        // 200 MB of digits: an ID-number search over all of it took seconds; cut first, it reads 300 characters.
        var huge = "https://h.test/" + new string('1', 200_000_000);
        var shown = Redaction.ForDisplay(huge);
        Assert.True(shown.Length <= Redaction.ShownAtMost + 1);
        Assert.EndsWith("…", shown, StringComparison.Ordinal);
        Assert.Contains("200000015 characters long", ImageUrls.Problem(huge), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name", "张三丰", "张**")]
    [InlineData("姓名", "张三丰", "张**")]
    [InlineData("InputName", "Zhang Sanfeng", "Z**** S******")]
    [InlineData("身份证号", "11010519491231002X", "110105********002X")]
    [InlineData("IdNumber", "11010519491231002X", "110105********002X")]
    [InlineData("证件号码", "110105491231002", "110105*****1002")]
    [InlineData("Address", "北京市*朝阳区某路1号", "北京市…")]
    [InlineData("住址", "北京市朝阳区某路1号", "北京市…")]
    [InlineData("DateOfBirth", "1949-12-31", "1949-**-**")]
    [InlineData("出生日期", "1949年12月31日", "1949年**月**日")]
    [InlineData("Mobile", "13812345678", "138******78")]
    [InlineData("手机", "+86 138 1234 5678", "+86 1** **** **78")]
    [InlineData("Notes", "card 11010519491231002X front", "card 110105********002X front")]
    [InlineData("EmployeeId", "E-1001", "E-1001")]
    public void A_rows_own_column_is_masked_by_its_name_and_by_its_content(string column, string value, string masked)
    {
        Assert.Equal(masked, PersonalData.MaskColumn(column, value));
        // Masking a masked value changes nothing: nothing needs to be guessed "already masked".
        Assert.Equal(masked, PersonalData.MaskColumn(column, masked));
    }

    [Fact]
    public void A_number_that_is_an_id_number_is_masked_and_any_other_value_keeps_its_type()
    {
        Assert.Equal("110105*****1002", PersonalData.MaskColumn("Serial", 110105491231002L));
        Assert.Equal(42, PersonalData.MaskColumn("Age", 42));
        var hired = new DateTime(2020, 1, 2);
        Assert.Equal(hired, PersonalData.MaskColumn("HireDate", hired));
    }
}
