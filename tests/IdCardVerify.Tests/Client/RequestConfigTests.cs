using System.Text;
using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

public class RequestConfigTests
{
    [Fact]
    public void No_checks_sends_no_config()
    {
        Assert.Null(RequestConfig.Build(WarningChecks.None, ConfigKeyStyle.Documented));
    }

    [Theory]
    [InlineData(ConfigKeyStyle.Documented, "{\"copy_warn\":true,\"border_check_warn\":true,\"reshoot_warn\":true,\"detect_ps_warn\":true,\"temp_id_warn\":true,\"quality\":true}")]
    [InlineData(ConfigKeyStyle.Upstream, "{\"CopyWarn\":true,\"BorderCheckWarn\":true,\"ReshootWarn\":true,\"DetectPsWarn\":true,\"TempIdWarn\":true,\"Quality\":true}")]
    public void Every_check_is_spelled_in_the_chosen_style(ConfigKeyStyle style, string expected)
    {
        var all = WarningChecks.Copy | WarningChecks.BorderCheck | WarningChecks.Reshoot | WarningChecks.DetectPs | WarningChecks.TempId | WarningChecks.Quality;
        Assert.Equal(expected, RequestConfig.Build(all, style));
    }

    [Fact]
    public void Config_travels_as_a_json_string_not_an_object()
    {
        var body = RequestConfig.BuildBody("https://x.test/a.jpg", "{\"copy_warn\":true}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("https://x.test/a.jpg", doc.RootElement.GetProperty("image_url").GetString());
        Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("config").ValueKind);
        Assert.Equal("{\"copy_warn\":true}", doc.RootElement.GetProperty("config").GetString());
    }

    [Fact]
    public void Body_without_config_has_only_the_url()
    {
        var body = Encoding.UTF8.GetString(RequestConfig.BuildBody("https://x.test/a.jpg", null));
        Assert.Equal("{\"image_url\":\"https://x.test/a.jpg\"}", body);
    }

    [Theory]
    [InlineData("{\"copy_warn\":true}", (int)(WarningChecks.Copy))]
    [InlineData("{\"CopyWarn\":true,\"Quality\":true}", (int)(WarningChecks.Copy | WarningChecks.Quality))]
    [InlineData("{\"copy_warn\":false}", (int)(WarningChecks.None))]
    [InlineData("not json", (int)(WarningChecks.None))]
    public void Parse_reads_both_spellings(string json, int expected)
    {
        Assert.Equal((WarningChecks)expected, RequestConfig.Parse(json));
    }

    [Theory]
    [InlineData("{\"copy_warn\":true}", true)]
    [InlineData("[1,2]", false)]
    [InlineData("{copy_warn:true}", false)]
    public void Validate_accepts_only_json_objects(string json, bool valid)
    {
        Assert.Equal(valid, RequestConfig.Validate(json) == null);
    }
}
