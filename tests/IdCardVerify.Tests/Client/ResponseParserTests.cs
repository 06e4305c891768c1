using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

public class ResponseParserTests
{
    private const string Documented =
        "{\"sim\": 99.76, \"result\": \"Success\", \"description\": \"成功\", \"name\": \"张三\", \"sex\": \"男\", \"nation\": \"汉\", " +
        "\"birth\": \"1990/01/01\", \"address\": \"北京市\", \"id_num\": \"11010119900101001X\", \"portrait\": \"/9j/4AAQ\", " +
        "\"warnings\": \"\", \"quality\": 0, \"encryption\": null}";

    [Fact]
    public void The_documented_answer_fills_every_property()
    {
        var r = Judged.Parse(Documented, "https://x.test/a.jpg", 70);
        Assert.Equal("https://x.test/a.jpg", r.ImageUrl);
        Assert.Equal(99.76, r.Similarity);
        Assert.Equal("Success", r.Result);
        Assert.True(r.IsSuccess);
        Assert.True(r.IsMatch);
        // The guide's sample number fails its own check character, so a person reviews the match.
        Assert.Equal(Verdict.Review, r.Verdict);
        Assert.Contains("check character", r.Inconsistencies);
        Assert.Equal("成功", r.Description);
        Assert.Equal("张三", r.Name);
        Assert.Equal("男", r.Sex);
        Assert.Equal("汉", r.Nation);
        Assert.Equal("1990/01/01", r.Birth);
        Assert.Equal("北京市", r.Address);
        Assert.Equal("11010119900101001X", r.IdNumber);
        Assert.True(r.HasPortrait);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 }, r.GetPortrait());
        Assert.Equal(IdCardWarning.None, r.Warnings);
        Assert.Equal(0, r.Quality);
        Assert.Null(r.Encryption);
    }

    [Fact]
    public void Numbers_sent_as_strings_are_read_as_numbers()
    {
        var r = Judged.Parse("{\"sim\":\"85.5\",\"quality\":\"42\",\"result\":\"Success\"}", "u", 70);
        Assert.Equal(85.5, r.Similarity);
        Assert.Equal(42, r.Quality);
    }

    [Theory]
    [InlineData("{\"result\":\"Success\"}")]
    [InlineData("{\"result\":\"Success\",\"sim\":null}")]
    [InlineData("{\"result\":\"Success\",\"sim\":\"n/a\"}")]
    public void Missing_or_unreadable_similarity_is_null_and_the_success_cannot_be_decided(string body)
    {
        var r = Judged.Parse(body, "u", 70);
        Assert.Null(r.Similarity);
        Assert.False(r.IsMatch);
        Assert.Equal(Verdict.Failed, r.Verdict);
    }

    [Theory]
    [InlineData("\"NaN\"", "not a number")]
    [InlineData("-1", "outside 0-100")]
    [InlineData("101", "outside 0-100")]
    [InlineData("\"101.5\"", "outside 0-100")]
    [InlineData("\"abc\"", "not a number")]
    public void A_similarity_outside_0_to_100_is_dropped_and_flagged(string sim, string reason)
    {
        var r = Judged.Parse("{\"result\":\"Success\",\"sim\":" + sim + "}", "u", 70);
        Assert.Null(r.Similarity);
        Assert.False(r.IsMatch);
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.Contains(reason, r.Inconsistencies);
    }

    [Theory]
    [InlineData("{\"result\":\"Success\",\"encryption\":null}", null)]
    [InlineData("{\"result\":\"Success\"}", null)]
    [InlineData("{\"result\":\"Success\",\"encryption\":{\"Iv\":\"x\",\"EncryptList\":[\"id_num\"]}}", "{\"Iv\":\"x\",\"EncryptList\":[\"id_num\"]}")]
    [InlineData("{\"result\":\"Success\",\"encryption\":[\"id_num\"]}", "[\"id_num\"]")]
    public void Encryption_is_kept_as_raw_json(string body, string? expected)
    {
        Assert.Equal(expected, Judged.Parse(body, "u", 70).Encryption);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var r = Judged.Parse("{\"result\":\"Success\",\"sim\":80,\"request_id\":\"x\",\"nested\":{\"a\":[1,2]},\"success\":true}", "u", 70);
        Assert.Equal(Verdict.Match, r.Verdict);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"Success\"")]
    public void A_body_that_is_not_an_object_is_rejected(string body)
    {
        Assert.ThrowsAny<JsonException>(() => Judged.Parse(body, "u", 70));
    }

    [Fact]
    public void Warnings_become_flags_and_unknown_codes_are_kept_raw()
    {
        var r = Judged.Parse("{\"result\":\"FailedOperation.OcrWarningOccurred\",\"sim\":0,\"warnings\":\"-9101|-9106|-7777\"}", "u", 70);
        Assert.Equal(IdCardWarning.BorderIncomplete | IdCardWarning.Tampered, r.Warnings);
        Assert.Equal("-9101|-9106|-7777", r.WarningCodes);
        Assert.Equal(Verdict.Warning, r.Verdict);
        Assert.False(r.IsSuccess);
    }

    [Theory]
    [InlineData("-9101", IdCardWarning.BorderIncomplete)]
    [InlineData("-9102", IdCardWarning.Photocopy)]
    [InlineData("-9103", IdCardWarning.Reshoot)]
    [InlineData("-9104", IdCardWarning.TemporaryId)]
    [InlineData("-9105", IdCardWarning.Covered)]
    [InlineData("-9106", IdCardWarning.Tampered)]
    [InlineData("-8001", IdCardWarning.Blurred)]
    public void Each_documented_warning_code_has_its_flag(string code, IdCardWarning flag)
    {
        Assert.Equal(flag, WarningCodes.Parse(code));
        Assert.Equal(code, WarningCodes.CodeOf(flag));
    }

    [Theory]
    [InlineData("Success", 70.0, 70.0, Verdict.Match)]
    [InlineData("success", 80.0, 70.0, Verdict.Match)]
    [InlineData("SUCCESS", 69.99, 70.0, Verdict.NoMatch)]
    [InlineData("Success", 79.0, 80.0, Verdict.NoMatch)]
    [InlineData("FailedOperation.IdNameMisMatch", 0.0, 70.0, Verdict.NoMatch)]
    [InlineData("FailedOperation.CompareLowSimilarity", 40.0, 70.0, Verdict.NoMatch)]
    [InlineData("FailedOperation.OcrWarningOccurred", 0.0, 70.0, Verdict.Warning)]
    [InlineData("FailedOperation.ImageNoIdCard", 0.0, 70.0, Verdict.Failed)]
    [InlineData("UnauthorizedOperation.Arrears", 0.0, 70.0, Verdict.Failed)]
    [InlineData("InternalError.Whatever", 0.0, 70.0, Verdict.Failed)]
    public void Verdict_follows_result_similarity_and_threshold(string result, double sim, double threshold, Verdict expected)
    {
        var body = "{\"result\":\"" + result + "\",\"sim\":" + sim.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
        var r = Judged.Parse(body, "u", threshold);
        Assert.Equal(expected, r.Verdict);
        Assert.Equal(expected == Verdict.Match, r.IsMatch);
        Assert.Equal(threshold, r.Threshold);
    }

    [Fact]
    public void A_portrait_that_is_not_base64_is_dropped_not_fatal()
    {
        var r = Judged.Parse("{\"result\":\"Success\",\"sim\":90,\"portrait\":\"not base64!\"}", "u", 70);
        Assert.False(r.HasPortrait);
        Assert.Null(r.GetPortrait());
    }

    [Theory]
    [InlineData("{\"success\":false,\"error\":{\"code\":\"invalid_token\",\"message\":\"bad\"},\"trace_id\":\"t1\"}", "invalid_token", "bad", "t1")]
    [InlineData("{\"error\":{\"code\":\"used_up\",\"message\":\"m\"},\"trace_id\":\"t2\"}", "used_up", "m", "t2")]
    [InlineData("{\"success\":false,\"error\":\"used_up\",\"trace_id\":\"t3\"}", "used_up", null, "t3")]
    [InlineData("{\"error\":\"Something went wrong, sorry.\"}", null, "Something went wrong, sorry.", null)]
    [InlineData("{\"success\":false,\"error\":null,\"trace_id\":\"t4\"}", null, null, "t4")]
    [InlineData("{\"success\":false,\"trace_id\":\"t5\"}", null, null, "t5")]
    [InlineData("<html><body>502 Bad Gateway</body></html>", null, null, null)]
    [InlineData("", null, null, null)]
    [InlineData("[1]", null, null, null)]
    public void Error_bodies_of_every_shape_parse(string body, string? code, string? message, string? trace)
    {
        var (c, m, t) = ResponseParser.ParseError(body);
        Assert.Equal(code, c);
        Assert.Equal(message, m);
        Assert.Equal(trace, t);
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":\"invalid_token\"}}", true)]
    [InlineData("{\"result\":\"Success\",\"error\":null}", false)]
    [InlineData("{\"result\":\"Success\"}", false)]
    public void An_error_envelope_inside_a_200_is_recognised(string body, bool isError)
    {
        var parsed = ResponseParser.TryParseAnswer(System.Text.Encoding.UTF8.GetBytes(body), out var result);
        Assert.Equal(isError, !parsed);
        Assert.Equal(isError, result == null);
    }
}
