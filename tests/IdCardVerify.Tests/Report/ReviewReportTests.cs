using IdCardVerify.Report;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The review page on its own (its rendering in a browser is Report.Tests.ps1's).</summary>
public sealed class ReviewReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Page(bool includePersonalData, params (VerificationResult Result, KeyValuePair<string, object?>[] Columns)[] rows)
    {
        using var report = new ReviewReport(new ReportOptions { IncludePersonalData = includePersonalData });
        foreach (var (result, columns) in rows)
        {
            report.Add(result, columns, DateTimeOffset.UtcNow);
        }

        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".html");
        report.WriteTo(path);
        return File.ReadAllText(path);
    }

    private static VerificationResult Result(string body, string url = "https://x.test/a.jpg?sig=SIGCANARY") => Judged.Parse(body, url, 70);

    private static KeyValuePair<string, object?>[] Row() => new[]
    {
        new KeyValuePair<string, object?>("工号", "E1"),
        new KeyValuePair<string, object?>("姓名", "欧阳金丝雀"),
        new KeyValuePair<string, object?>("Notes", "see 11010519491231002X"),
        new KeyValuePair<string, object?>("Address", "北京市*朝阳区金丝雀路9号"),
    };

    [Fact]
    public void The_rows_own_columns_are_masked_in_cards_and_in_the_matches_list_and_no_url_shows_a_credential()
    {
        var match = Result("{\"sim\":90,\"result\":\"Success\",\"name\":\"\",\"id_num\":\"\"}");
        var warning = Result("{\"sim\":0,\"result\":\"FailedOperation.OcrWarningOccurred\",\"warnings\":\"-9102\",\"name\":\"\",\"id_num\":\"\"}");
        var page = Page(false, (match, Row()), (warning, Row()));
        foreach (var canary in new[] { "欧阳金丝雀", "11010519491231002X", "金丝雀路", "SIGCANARY" })
        {
            Assert.DoesNotContain(canary, page, StringComparison.Ordinal);
        }

        Assert.Contains("欧****", page, StringComparison.Ordinal);
        Assert.Contains("E1", page, StringComparison.Ordinal);
        Assert.Contains("sig=***", page, StringComparison.Ordinal);
        Assert.Contains("face not compared", page, StringComparison.Ordinal);
        Assert.Contains("photo of the original card", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Asked_for_personal_data_the_person_shows_and_a_credential_still_does_not()
    {
        var warning = Result("{\"sim\":0,\"result\":\"FailedOperation.OcrWarningOccurred\",\"warnings\":\"-9102\",\"name\":\"\",\"id_num\":\"\"}");
        var page = Page(true, (warning, Row()));
        Assert.Contains("欧阳金丝雀", page, StringComparison.Ordinal);
        Assert.DoesNotContain("SIGCANARY", page, StringComparison.Ordinal);
    }
}
