using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.Client.Sandbox;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

public class SandboxSimulatorTests
{
    private static SimulatedResponse Ask(string url, string? config = null)
    {
        var body = System.Text.Encoding.UTF8.GetString(RequestConfig.BuildBody(url, config));
        return SandboxSimulator.Respond("POST", body);
    }

    private static VerificationResult Parse(SimulatedResponse response, string url)
    {
        Assert.Equal(200, response.Status);
        return Judged.Parse(response.Body, url, 70);
    }

    [Fact]
    public void The_same_url_gives_the_same_identity_every_time()
    {
        Assert.Equal(Ask("https://s.test/a.jpg").Body, Ask("https://s.test/a.jpg").Body);
        Assert.NotEqual(Ask("https://s.test/a.jpg").Body, Ask("https://s.test/b.jpg").Body);
    }

    [Fact]
    public void A_plain_url_is_a_match_with_a_full_fictional_identity()
    {
        var r = Parse(Ask("https://s.test/anyone.jpg"), "https://s.test/anyone.jpg");
        Assert.Equal(Verdict.Match, r.Verdict);
        Assert.InRange(r.Similarity!.Value, 80, 100);
        Assert.Contains("沙盒", r.Address);
        Assert.Matches(@"^\d{4}/\d{2}/\d{2}$", r.Birth);
        Assert.True(r.HasPortrait);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, r.GetPortrait()!.Take(2).ToArray());
    }

    [Fact]
    public void Generated_id_numbers_are_valid_gb11643_and_agree_with_birth_and_sex()
    {
        for (var i = 0; i < 200; i++)
        {
            var url = $"https://s.test/person{i}.jpg";
            var r = Parse(Ask(url), url);
            Assert.Equal(18, r.IdNumber.Length);
            Assert.Equal(ExpectedCheckCharacter(r.IdNumber.Substring(0, 17)), r.IdNumber[17]);
            Assert.Equal(r.Birth.Replace("/", ""), r.IdNumber.Substring(6, 8));
            Assert.Equal((r.IdNumber[16] - '0') % 2 == 1 ? "男" : "女", r.Sex);
        }
    }

    // Written independently of the simulator: weights 2^(17-i) mod 11, check table "10X98765432".
    private static char ExpectedCheckCharacter(string first17)
    {
        int[] weights = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return "10X98765432"[sum % 11];
    }

    [Fact]
    public void Nomatch_is_below_the_default_threshold()
    {
        var r = Parse(Ask("https://s.test/nomatch.jpg"), "u");
        Assert.Equal(Verdict.NoMatch, r.Verdict);
        Assert.True(r.IsSuccess);
        Assert.InRange(r.Similarity!.Value, 0, 69.99);
    }

    [Fact]
    public void Sim_keyword_forces_the_exact_similarity()
    {
        Assert.Equal(71.5, Parse(Ask("https://s.test/sim-71.5.jpg"), "u").Similarity);
    }

    [Theory]
    [InlineData("warn-border", (int)WarningChecks.BorderCheck, "-9101", IdCardWarning.BorderIncomplete)]
    [InlineData("warn-photocopy", (int)WarningChecks.Copy, "-9102", IdCardWarning.Photocopy)]
    [InlineData("warn-reshoot", (int)WarningChecks.Reshoot, "-9103", IdCardWarning.Reshoot)]
    [InlineData("warn-tempid", (int)WarningChecks.TempId, "-9104", IdCardWarning.TemporaryId)]
    [InlineData("warn-covered", (int)WarningChecks.BorderCheck, "-9105", IdCardWarning.Covered)]
    [InlineData("warn-tampered", (int)WarningChecks.DetectPs, "-9106", IdCardWarning.Tampered)]
    [InlineData("warn-blur", (int)WarningChecks.Quality, "-8001", IdCardWarning.Blurred)]
    public void A_warning_fires_only_when_its_check_was_asked_for(string keyword, int checkValue, string code, IdCardWarning flag)
    {
        var check = (WarningChecks)checkValue;
        var url = $"https://s.test/{keyword}.jpg";
        var asked = Parse(Ask(url, RequestConfig.Build(check, ConfigKeyStyle.Documented)), url);
        Assert.Equal("FailedOperation.OcrWarningOccurred", asked.Result);
        Assert.Equal(Verdict.Warning, asked.Verdict);
        Assert.Equal(0, asked.Similarity);
        Assert.Contains(code, asked.WarningCodes);
        Assert.True(asked.Warnings.HasFlag(flag));
        Assert.NotEmpty(asked.IdNumber);

        var upstreamSpelling = Parse(Ask(url, RequestConfig.Build(check, ConfigKeyStyle.Upstream)), url);
        Assert.Equal(Verdict.Warning, upstreamSpelling.Verdict);

        var notAsked = Parse(Ask(url), url);
        Assert.Equal(Verdict.Match, notAsked.Verdict);
        Assert.Equal(IdCardWarning.None, notAsked.Warnings);
    }

    [Fact]
    public void An_unknown_warning_code_is_passed_through()
    {
        var r = Parse(Ask("https://s.test/warn-unknown.jpg", "{\"copy_warn\":true}"), "u");
        Assert.Equal("-9999", r.WarningCodes);
        Assert.Equal(IdCardWarning.None, r.Warnings);
        Assert.Equal(Verdict.Warning, r.Verdict);
    }

    public static TheoryData<string> FailedOperations() => new(SandboxContract.FailedOperations.Keys);

    [Theory]
    [MemberData(nameof(FailedOperations))]
    public void Every_business_failure_can_be_forced_and_is_a_result(string code)
    {
        var url = $"https://s.test/fail-{code}.jpg";
        var r = Parse(Ask(url), url);
        Assert.Equal("FailedOperation." + code, r.Result);
        Assert.False(r.IsSuccess);
        Assert.False(r.IsMatch);
        Assert.NotEmpty(r.Description);
    }

    [Theory]
    [InlineData("UnauthorizedOperation.Arrears")]
    [InlineData("InternalError.Unknown")]
    [InlineData("InvalidParameter")]
    public void Codes_outside_failed_operation_can_be_forced(string code)
    {
        var r = Parse(Ask($"https://s.test/fail-{code}.jpg"), "u");
        Assert.Equal(code.Contains('.') ? code : "FailedOperation." + code, r.Result);
        Assert.Equal(Verdict.Failed, r.Verdict);
    }

    public static TheoryData<string, int> Errors()
    {
        var data = new TheoryData<string, int>();
        foreach (var pair in SandboxContract.ErrorStatus)
        {
            data.Add(pair.Key, pair.Value);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Every_http_error_of_the_contract_can_be_forced(string code, int status)
    {
        var response = Ask($"https://s.test/error-{code}.jpg");
        Assert.Equal(status, response.Status);
        var (c, _, trace) = ResponseParser.ParseError(response.Body);
        Assert.Equal(code, c);
        Assert.NotNull(trace);
    }

    [Theory]
    [InlineData("errorstring", "used_up", null)]
    [InlineData("errornull", null, null)]
    [InlineData("errormissing", null, null)]
    public void Error_body_shapes_can_be_forced(string shape, string? code, string? message)
    {
        var response = Ask($"https://s.test/error-used_up+{shape}.jpg");
        Assert.Equal(403, response.Status);
        var (c, m, trace) = ResponseParser.ParseError(response.Body);
        Assert.Equal(code, c);
        Assert.Equal(message, m);
        Assert.NotNull(trace);
    }

    [Fact]
    public void Nosuccessfield_leaves_the_success_flag_out()
    {
        Assert.Contains("\"success\":false", Ask("https://s.test/error-api_error.jpg").Body);
        Assert.DoesNotContain("success", Ask("https://s.test/error-api_error+nosuccessfield.jpg").Body);
    }

    [Fact]
    public void Http_keyword_answers_a_proxy_page_with_retry_after()
    {
        var response = Ask("https://s.test/http-503+retryafter-2.jpg");
        Assert.Equal(503, response.Status);
        Assert.Equal("text/html", response.ContentType);
        Assert.Equal("2", response.RetryAfter);
    }

    [Fact]
    public void Body_variants_can_be_forced()
    {
        var strings = Ask("https://s.test/numstrings.jpg", "{\"quality\":true}").Body;
        using (var doc = JsonDocument.Parse(strings))
        {
            Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("sim").ValueKind);
            Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("quality").ValueKind);
        }

        Assert.StartsWith("{", Parse(Ask("https://s.test/encobject.jpg"), "u").Encryption);
        Assert.StartsWith("[", Parse(Ask("https://s.test/encarray.jpg"), "u").Encryption);
        Assert.Contains("request_id", Ask("https://s.test/extrafields.jpg").Body);
        Assert.False(Parse(Ask("https://s.test/noportrait.jpg"), "u").HasPortrait);
        Assert.False(Parse(Ask("https://s.test/badportrait.jpg"), "u").HasPortrait);
    }

    [Fact]
    public void Quality_is_scored_only_when_asked_and_low_quality_warns()
    {
        Assert.Equal(0, Parse(Ask("https://s.test/quality-30.jpg"), "u").Quality);
        var asked = Parse(Ask("https://s.test/quality-30.jpg", "{\"quality\":true}"), "u");
        Assert.Equal(30, asked.Quality);
        Assert.Equal(IdCardWarning.Blurred, asked.Warnings);
        Assert.Equal(85, Parse(Ask("https://s.test/quality-85.jpg", "{\"quality\":true}"), "u").Quality);
    }

    [Theory]
    [InlineData("{\"image_url\":\"https://s.test/a.jpg\",\"config\":{\"copy_warn\":true}}")]
    [InlineData("{\"config\":\"{}\"}")]
    [InlineData("not json")]
    public void A_malformed_request_is_a_400(string body)
    {
        var response = SandboxSimulator.Respond("POST", body);
        Assert.Equal(400, response.Status);
        Assert.Equal("bad_request", ResponseParser.ParseError(response.Body).Code);
    }

    [Theory]
    [InlineData(null, "no_token")]
    [InlineData("Basic abc", "invalid_token")]
    [InlineData("Bearer wrong", "invalid_token")]
    [InlineData("Bearer expired-token", "token_expired")]
    [InlineData("Bearer used-up-token", "used_up")]
    [InlineData("Bearer disabled-token", "disabled")]
    [InlineData("Bearer mismatched-token", "token_mismatched")]
    [InlineData("Bearer good", null)]
    public void The_emulator_token_check_answers_each_token_error(string? header, string? expected)
    {
        Assert.Equal(expected, new IdCardVerify.TestServer.SandboxTokens("good").Check(header));
    }
}
