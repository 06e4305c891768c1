using System.Globalization;
using IdCardVerify.Staging;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// The signatures staging relies on, against published vectors: AWS's SigV4 examples for S3 (a presigned GET and a
/// header-signed GET), whose exact signatures are in the S3 API reference; and what an Azure read SAS allows.
/// (azurite checks the Azure signatures for real in LocalFiles.Tests.ps1.)
/// </summary>
public sealed class StagingSigningTests
{
    private static readonly StagingSecret AwsExample = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static readonly DateTime ExampleDate = new(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_presigned_get_matches_the_aws_reference_example()
    {
        // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", example for GET /test.txt.
        var url = SigV4.Presign(new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), AwsExample, "us-east-1", ExampleDate, TimeSpan.FromSeconds(86400));
        Assert.EndsWith("&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=86400", url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_signed_get_matches_the_aws_reference_example()
    {
        // "Signature Calculations for the Authorization Header", example GET Object with a Range header.
        var headers = SigV4.SignHeaders("GET", new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), new Dictionary<string, string> { ["Range"] = "bytes=0-9" }, Array.Empty<byte>(), AwsExample, "us-east-1", ExampleDate);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", headers["x-amz-content-sha256"]);
        Assert.Equal("20130524T000000Z", headers["x-amz-date"]);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            headers["authorization"]);
    }

    [Fact]
    public void A_session_token_is_signed_into_the_presigned_url()
    {
        var url = SigV4.Presign(new Uri("https://b.s3.us-east-1.amazonaws.com/idcv-x.jpg"), new StagingSecret("AKIA", "s", "TOKEN/+="), "us-east-1", ExampleDate, TimeSpan.FromMinutes(5));
        Assert.Contains("X-Amz-Security-Token=TOKEN%2F%2B%3D", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=300", url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void An_azure_read_sas_allows_reading_one_blob_for_the_lifetime_and_nothing_else()
    {
        var now = new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc);
        var sas = AzureSharedKey.ReadSas("acct", Convert.ToBase64String(new byte[32]), "scans/idcv-1.jpg", now.AddMinutes(-1), now.AddMinutes(5));
        var parts = sas.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("r", parts["sp"]);
        Assert.Equal("b", parts["sr"]);
        Assert.Equal(now.AddMinutes(5), DateTime.Parse(parts["se"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
        Assert.False(parts.ContainsKey("spr") && parts["spr"] == "http", "never an http-only SAS");
    }

    [Fact]
    public void An_azure_key_that_is_not_base64_is_refused_with_the_fix()
    {
        var ex = Assert.Throws<ArgumentException>(() => AzureSharedKey.ReadSas("acct", "not base64!", "c/b.jpg", DateTime.UtcNow, DateTime.UtcNow.AddMinutes(5)));
        Assert.Contains("Access keys", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://scans/hr/2026", null, "eu-west-1", "https://scans.s3.eu-west-1.amazonaws.com/", "hr/2026/")]
    [InlineData("s3://scans-1250000000", "https://cos.ap-guangzhou.myqcloud.com", "ap-guangzhou", "https://scans-1250000000.cos.ap-guangzhou.myqcloud.com/", "")]
    [InlineData("s3://scans/p", "https://oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou", "https://scans.oss-cn-hangzhou.aliyuncs.com/", "p/")]
    [InlineData("s3://scans/p/", "http://127.0.0.1:9000", null, "http://127.0.0.1:9000/scans/", "p/")]
    [InlineData("https://acct.blob.core.windows.net/scans/hr", null, null, "https://acct.blob.core.windows.net/scans/", "hr/")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/scans/a/b", null, null, "http://127.0.0.1:10000/devstoreaccount1/scans/", "a/b/")]
    public void A_staging_uri_is_addressed_as_its_store_wants(string uri, string? endpoint, string? region, string baseUri, string prefix)
    {
        var target = StagingTarget.Parse(new Uri(uri), endpoint == null ? null : new Uri(endpoint), region);
        Assert.Equal(baseUri, target.BaseUri.AbsoluteUri);
        Assert.Equal(prefix, target.Prefix);
        Assert.Equal(baseUri + prefix + "idcv-1.jpg", target.ObjectUri("idcv-1.jpg").AbsoluteUri);
    }

    [Theory]
    [InlineData("https://user:secret@acct.blob.core.windows.net/scans", "credentials")]
    [InlineData("https://acct.blob.core.windows.net/scans?sv=1&sig=x", "credentials")]
    [InlineData("https://acct.blob.core.windows.net/", "no container")]
    [InlineData("https://example.com/scans", "not an Azure Blob container")]
    [InlineData("ftp://x/y", "neither")]
    public void A_bad_staging_uri_is_refused_naming_the_fix(string uri, string why)
    {
        var ex = Assert.Throws<ArgumentException>(() => StagingTarget.Parse(new Uri(uri), null, null));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Object_names_are_random_and_say_nothing_of_the_file_and_a_ledger_names_nothing_else()
    {
        var a = StagingNames.New("image/jpeg");
        var b = StagingNames.New("image/jpeg");
        Assert.NotEqual(a, b);
        Assert.Matches("^idcv-[0-9a-f]{32}\\.jpg$", a);
        Assert.True(StagingNames.IsOurs(a));
        Assert.False(StagingNames.IsOurs("../../etc/passwd"));
        Assert.False(StagingNames.IsOurs("idcv-110105194912310021.jpg"));
        Assert.False(StagingNames.IsOurs("payroll/idcv-" + new string('a', 32) + ".jpg"));
    }

    [Fact]
    public void A_dead_runs_ledger_lists_what_it_left_and_a_live_ones_is_not_read()
    {
        var folder = Path.Combine(Path.GetTempPath(), "idcv-ledger-" + Guid.NewGuid().ToString("N"));
        var store = new Uri("s3://scans/p/");
        try
        {
            var live = StagingLedger.Begin(folder, store);
            var left = StagingNames.New("image/jpeg");
            var deleted = StagingNames.New("image/jpeg");
            live.Staging(left);
            live.Staging(deleted);
            live.Deleted(deleted);
            Assert.Empty(StagingLedger.Leftovers(folder, store));

            live.Dispose();
            var found = Assert.Single(StagingLedger.Leftovers(folder, store));
            Assert.Equal(new[] { left }, found.Names);
            Assert.Empty(StagingLedger.Leftovers(folder, new Uri("s3://other/")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_ledger_whose_objects_were_all_deleted_is_removed_at_the_end()
    {
        var folder = Path.Combine(Path.GetTempPath(), "idcv-ledger-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ledger = StagingLedger.Begin(folder, new Uri("s3://scans/"));
            var name = StagingNames.New("image/png");
            ledger.Staging(name);
            ledger.Deleted(name);
            ledger.Dispose();
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>
/// SigV4 as S3 specifies, checked against signers the module did not write: AWS's published example with a '$' in the
/// key, and AWS's own botocore (Debian's python3-botocore) over a table of the characters keys and prefixes hold.
/// </summary>
public sealed class IndependentSignerTests
{
    private static readonly StagingSecret Keys = new("AKIDEXAMPLEINDEPENDENT", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTime When = new(2026, 12, 6, 21, 30, 5, DateTimeKind.Utc);

    [Fact]
    public void Aws_example_with_a_dollar_in_the_key_matches()
    {
        // "Signature Calculations for the Authorization Header", example PUT Object: the key test$file.text.
        var url = SigV4.WirePath(new Uri("https://examplebucket.s3.amazonaws.com/test$file.text"));
        Assert.Equal("/test%24file.text", url.AbsolutePath);
        var headers = SigV4.SignHeaders(
            "PUT",
            url,
            new Dictionary<string, string> { ["Date"] = "Fri, 24 May 2013 00:00:00 GMT", ["x-amz-storage-class"] = "REDUCED_REDUNDANCY" },
            System.Text.Encoding.UTF8.GetBytes("Welcome to Amazon S3."),
            new StagingSecret("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "us-east-1",
            new DateTime(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc));
        Assert.EndsWith("Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd", headers["authorization"], StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> Keys_of_every_kind() => new[]
    {
        "scans/plain.jpg", "test$file.text", "a!b", "a&b=c", "it's (1).jpg", "star*plus+comma,semi;", "at@sign", "[bracketed]",
        "with space.jpg", "中文/张三.jpg", "literal%2Fslash", "tilde~dot.under_dash-", "deep/er/path/x.png", "q?mark#hash",
    }.Select(k => new object[] { k });

    [BotocoreTheory]
    [MemberData(nameof(Keys_of_every_kind))]
    public void A_request_is_signed_and_sent_as_botocore_signs_it(string key)
    {
        var target = StagingTarget.Parse(new Uri("s3://bucket/"), new Uri("http://127.0.0.1:9000"), "us-east-1");
        var url = SigV4.WirePath(target.ObjectUri(key));
        var payload = System.Text.Encoding.UTF8.GetBytes("image bytes");
        var headers = new Dictionary<string, string> { ["x-amz-acl"] = "private", ["content-type"] = "image/jpeg", ["content-length"] = payload.Length.ToString(CultureInfo.InvariantCulture) };
        var ours = SigV4.SignHeaders("PUT", url, headers, payload, Keys, "us-east-1", When);
        var presigned = SigV4.Presign(target.ObjectUri(key), Keys, "us-east-1", When, TimeSpan.FromSeconds(300));

        var theirs = Botocore.Sign(new
        {
            endpoint = "http://127.0.0.1:9000/bucket",
            key,
            method = "PUT",
            headers = new Dictionary<string, string> { ["x-amz-acl"] = "private", ["Content-Type"] = "image/jpeg", ["Content-Length"] = payload.Length.ToString(CultureInfo.InvariantCulture) },
            payload = "image bytes",
            access = Keys.AccessKey,
            secret = Keys.Secret,
            token = (string?)null,
            region = "us-east-1",
            amzdate = "20261206T213005Z",
            expires = 300,
        });

        // The path on the wire is the path botocore signs and sends; the signatures agree, header-signed and presigned.
        Assert.Equal(theirs.GetProperty("path").GetString(), url.AbsolutePath);
        Assert.Equal(SignatureOf(theirs.GetProperty("authorization").GetString()!), SignatureOf(ours["authorization"]));
        Assert.Equal(QueryValue(theirs.GetProperty("presigned").GetString()!, "X-Amz-Signature"), QueryValue(presigned.AbsoluteUri, "X-Amz-Signature"));
        Assert.Equal(new Uri(theirs.GetProperty("presigned").GetString()!).AbsolutePath, presigned.AbsolutePath);
    }

    private static string SignatureOf(string authorization) => authorization.Substring(authorization.IndexOf("Signature=", StringComparison.Ordinal) + 10);

    private static string QueryValue(string url, string name) =>
        new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == name)[1];
}

/// <summary>Runs tests/signers/botocore_sigv4.py with a Python that has botocore.</summary>
internal static class Botocore
{
    public static readonly string? Python = Find();

    public static System.Text.Json.JsonElement Sign(object @case)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "../../../../signers/botocore_sigv4.py");
        var start = new System.Diagnostics.ProcessStartInfo(Python!, "\"" + Path.GetFullPath(script) + "\"") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Write(System.Text.Json.JsonSerializer.Serialize(new[] { @case }));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "botocore failed: " + errors);
        return System.Text.Json.JsonDocument.Parse(output).RootElement[0].Clone();
    }

    private static string? Find()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(candidate, "-c \"import botocore\"") { RedirectStandardError = true, RedirectStandardOutput = true })!;
                process.WaitForExit();
                if (process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return null;
    }
}

/// <summary>A theory that needs botocore (Debian's python3-botocore, which .ci/run installs): skipped, and said so, without it.</summary>
public sealed class BotocoreTheoryAttribute : TheoryAttribute
{
    public BotocoreTheoryAttribute()
    {
        if (Botocore.Python == null)
        {
            Skip = "No Python with botocore (apt-get install python3-botocore): the independent signer is not here.";
        }
    }
}
