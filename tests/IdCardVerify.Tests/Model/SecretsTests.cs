using IdCardVerify.Client;
using IdCardVerify.Staging;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>Secrets scrubbed by value, in every form a server can quote them, and the shapes of a signed URL quoted without its scheme.</summary>
public sealed class SecretsTests
{
    private const string Signature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    [Theory]
    [InlineData("raw {0} here")]
    [InlineData("percent {1} here")]
    [InlineData("lower-case percent {2} here")]
    [InlineData("json {3} here")]
    [InlineData("json with slashes {4} here")]
    public void A_registered_secret_is_scrubbed_in_every_form(string shape)
    {
        var token = "Sess/ion+Token=" + Guid.NewGuid().ToString("N");
        Secrets.Register(token);
        var json = string.Concat(token.Select(c => char.IsLetterOrDigit(c) ? c.ToString() : "\\u" + ((int)c).ToString("x4")));
        var text = string.Format(shape, token, Uri.EscapeDataString(token), System.Text.RegularExpressions.Regex.Replace(Uri.EscapeDataString(token), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()), json, token.Replace("/", "\\/"));
        var scrubbed = Secrets.Scrub(text);
        Assert.DoesNotContain(token.Substring(15), scrubbed);
        Assert.Contains("***", scrubbed);
        Assert.StartsWith(shape.Substring(0, 4), scrubbed);
    }

    [Fact]
    public void A_leased_signature_is_scrubbed_while_it_lives_and_forgotten_after()
    {
        var signature = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var lease = Secrets.Lease(signature);
        Assert.Equal("sig ***", Secrets.Scrub("sig " + signature));
        lease.Dispose();
        Assert.Equal("sig " + signature, Secrets.Scrub("sig " + signature));
    }

    [Theory]
    [InlineData("Max retries exceeded with url: /scans/obj.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261206%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=" + Signature)]
    [InlineData("fetched https%3A%2F%2Fb.s3.amazonaws.com%2Fo.jpg%3FX-Amz-Signature%3D" + Signature)]
    [InlineData("{\"url\":\"https:\\/\\/b.s3.amazonaws.com\\/o.jpg?X-Amz-Signature=" + Signature + "\"}")]
    [InlineData("blob.core.windows.net/c/o.jpg?sv=2021-08-06&sp=r&sig=" + Signature)]
    public void A_signed_query_quoted_in_another_shape_loses_its_credentials(string text)
    {
        var shown = Redaction.Text(text);
        Assert.DoesNotContain(Signature, shown);
        Assert.DoesNotContain("AKIAEXAMPLE", shown);
    }

    [Fact]
    public void A_minted_read_url_leases_its_signature_until_the_object_is_removed()
    {
        var url = new Uri("http://127.0.0.1:9000/scans/o.jpg?X-Amz-Signature=" + Signature + "&X-Amz-Date=20261206T000000Z");
        var staged = new StagedImage("o.jpg", url.AbsoluteUri, Secrets.Lease(StagedImage.SignatureOf(url)));
        Assert.Equal("error: ***", Secrets.Scrub("error: " + Signature));
        staged.Lease!.Dispose();
        Assert.Contains(Signature, Secrets.Scrub("error: " + Signature));
    }

    [Theory]
    [InlineData("sv=2022-11-02&ss=b&srt=co&sp=rcwd&se=2030-01-01T00:00:00Z&sig=CanarySasSignatureValue%2Bxyz%3D")]
    [InlineData("?sv=2022-11-02&sp=racwdl&sig=AnotherCanary")]
    public void A_users_own_sas_is_refused_never_forwarded(string sas)
    {
        var target = StagingTarget.Parse(new Uri("https://acct.blob.core.windows.net/scans/in"), null, null);
        var refused = Assert.Throws<IdCardVerifyApiException>(() => StagingCredentials.Resolve(target, ("acct", sas, "-StagingCredential")));
        Assert.Equal("StagingNotConfigured", refused.ErrorId);
        Assert.Contains("account key", refused.Message);
        Assert.DoesNotContain("Canary", refused.Message);
        Assert.DoesNotContain("Canary", Secrets.Scrub("quoted: " + sas));
    }

    [Theory]
    [InlineData("s3://bucket/prefix#sig=CanarySig")]
    [InlineData("s3://bucket/p#Canary/x")]
    [InlineData("https://acct.blob.core.windows.net/c/p?sv=1&sig=CanarySig")]
    [InlineData("https://user:CanaryPw@acct.blob.core.windows.net/c/p")]
    [InlineData("bucket/prefix?sig=CanarySig")]
    public void A_staging_uri_that_would_carry_a_credential_is_refused_without_echoing_it(string uri)
    {
        var refused = Assert.Throws<ArgumentException>(() => StagingTarget.Parse(new Uri(uri, UriKind.RelativeOrAbsolute), null, null));
        Assert.DoesNotContain("Canary", refused.Message);
    }

    [Theory]
    [InlineData("http://user:CanaryPw@127.0.0.1:9000")]
    [InlineData("https://cos.example.com/?token=CanaryTok")]
    public void A_staging_endpoint_that_would_carry_a_credential_is_refused(string endpoint)
    {
        var refused = Assert.Throws<ArgumentException>(() => StagingTarget.Parse(new Uri("s3://bucket/p"), new Uri(endpoint), "us-east-1"));
        Assert.DoesNotContain("Canary", refused.Message);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("张三", "张三")]
    public void Text_read_off_a_card_never_becomes_a_formula(string read, string kept)
    {
        Assert.Equal(kept, Sanitizer.NotAFormula(read));
    }

    [Theory]
    [InlineData("card\u001b]0;PWNED\u0007.jpg", "card\\u001B]0;PWNED\\u0007.jpg")]
    [InlineData("a\u001b[2Jb", "a\\u001B[2Jb")]
    [InlineData("x\nWARNING: forged", "x\\u000AWARNING: forged")]
    [InlineData("rtl\u202Egpj.exe", "rtl\\u202Egpj.exe")]
    [InlineData("张三.jpg", "张三.jpg")]
    public void Control_characters_from_data_are_shown_escaped(string value, string shown)
    {
        Assert.Equal(shown, Shown.Escape(value));
    }
}
