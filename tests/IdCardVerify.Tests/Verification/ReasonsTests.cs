using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>Every verdict and warning in words with the next step, and the page's heading when no face was compared.</summary>
public sealed class ReasonsTests
{
    private static VerificationResult Judge(string result, double sim, string warnings = "") =>
        Decisions.Judge(
            Client.ResponseParser.ParseAnswer("{\"sim\":" + sim + ",\"result\":\"" + result + "\",\"description\":\"x\",\"name\":\"\",\"sex\":\"\",\"nation\":\"\",\"birth\":\"\",\"address\":\"\",\"id_num\":\"\",\"warnings\":\"" + warnings + "\"}"),
            "https://x.test/a.jpg",
            70);

    [Theory]
    [InlineData("Success", 90, "", Verdict.Match, "Next: accept")]
    [InlineData("Success", 40, "", Verdict.NoMatch, "does not match the authoritative photo closely enough")]
    [InlineData("FailedOperation.IdNameMisMatch", 0, "", Verdict.NoMatch, "do not belong together")]
    [InlineData("FailedOperation.OcrWarningOccurred", 0, "-9102", Verdict.Warning, "ask for a photo of the original card")]
    [InlineData("FailedOperation.OcrWarningOccurred", 0, "-9103", Verdict.Warning, "a photo of a screen")]
    [InlineData("FailedOperation.OcrWarningOccurred", 0, "-9101", Verdict.Warning, "border is cut off")]
    [InlineData("FailedOperation.OcrWarningOccurred", 0, "-9999", Verdict.Warning, "does not know")]
    [InlineData("FailedOperation.ImageNoIdCard", 0, "", Verdict.Failed, "not an ID card")]
    [InlineData("FailedOperation.DownLoadError", 0, "", Verdict.Failed, "could not download the image")]
    [InlineData("FailedOperation.SomethingNew", 0, "", Verdict.Failed, "the API answered FailedOperation.SomethingNew")]
    public void Each_verdict_has_a_reason_and_a_next_step(string result, double sim, string warnings, Verdict verdict, string words)
    {
        var r = Judge(result, sim, warnings);
        Assert.Equal(verdict, r.Verdict);
        Assert.StartsWith(verdict + ":", r.Reason, StringComparison.Ordinal);
        Assert.Contains(words, r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warning_says_the_face_was_not_compared_and_the_heading_does_not_say_similarity_0()
    {
        var r = Judge("FailedOperation.OcrWarningOccurred", 0, "-9102");
        Assert.Contains("the face was not compared", r.Reason, StringComparison.Ordinal);
        Assert.Equal("face not compared", Reasons.Heading(r));
        Assert.Equal("similarity 90 against threshold 70", Reasons.Heading(Judge("Success", 90)));
    }

    [Fact]
    public void Every_warning_flag_has_words()
    {
        foreach (var flag in Enum.GetValues<IdCardWarning>().Where(f => f != IdCardWarning.None))
        {
            Assert.Contains(Reasons.ForWarnings, w => w.Warning == flag);
        }
    }
}

/// <summary>README and the help carry the same table as the code: each warning's and result's words appear in both.</summary>
public sealed class ReasonsDocumentedTests
{

    [Fact]
    public void Readme_and_help_carry_every_reason_in_the_codes_words()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));
        var help = File.ReadAllText(Path.Combine(Repository.Root(), "en-US", "Invoke-IdCardVerification.md"));
        foreach (var text in Reasons.ForWarnings.Select(w => w.Text).Concat(Reasons.ForResults.Select(r => r.Text)))
        {
            Assert.Contains(text, readme, StringComparison.Ordinal);
            Assert.Contains(text, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_chinese_help_carries_every_reason_in_the_chinese_words()
    {
        var help = File.ReadAllText(Path.Combine(Repository.Root(), "zh-CN", "Invoke-IdCardVerification.md"));
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        try
        {
            foreach (var text in Reasons.ForWarnings.Select(w => w.Text).Concat(Reasons.ForResults.Select(r => r.Text)))
            {
                Assert.Matches(@"[\u4e00-\u9fff]", text);
                Assert.Contains(text, help, StringComparison.Ordinal);
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }
}
