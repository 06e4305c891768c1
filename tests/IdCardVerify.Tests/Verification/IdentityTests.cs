using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>Whose card it is: the card's ID number and name against the row's, as spreadsheets write them.</summary>
public sealed class IdentityTests
{
    private static readonly DateTime Today = new DateTime(2026, 12, 6);

    private static IdentityCheck Compare(string cardNumber, string cardName, string? number, string? name) =>
        Identity.Compare(cardNumber, cardName, new ExpectedPerson(number, name), Today, out _);

    [Theory]
    [InlineData("11010519491231002X", "11010519491231002X")]
    [InlineData("11010519491231002X", "11010519491231002x")]
    [InlineData("11010519491231002X", "１１０１０５１９４９１２３１００２Ｘ")]
    [InlineData("11010519491231002X", " 110105 19491231 002X ")]
    [InlineData("11010519491231002X", "110105491231002")]
    public void The_rows_number_as_a_sheet_writes_it_is_the_cards(string card, string row)
    {
        Assert.Equal(IdentityCheck.IdNumberOnly, Compare(card, string.Empty, row, null));
        Assert.Null(Identity.ExpectedNumberProblem(row, Today));
    }

    [Fact]
    public void A_relatives_card_is_another_persons_and_the_reason_names_no_value()
    {
        var check = Identity.Compare("11010519491231002X", "张三", new ExpectedPerson("110105194912310021", "张四"), Today, out var why);
        Assert.Equal(IdentityCheck.BothDiffer, check);
        Assert.DoesNotContain("1101", why, StringComparison.Ordinal);
        Assert.DoesNotContain("张", why, StringComparison.Ordinal);
        Assert.Equal(IdentityCheck.IdNumberDiffers, Compare("11010519491231002X", "张三", "110105194912310021", "张三"));
        Assert.Equal(IdentityCheck.NameDiffers, Compare("11010519491231002X", "张三", "11010519491231002X", "张四"));
    }

    [Theory]
    [InlineData("阿依古丽·买买提", "阿依古丽•买买提")]
    [InlineData("阿依古丽·买买提", "阿依古丽．买买提")]
    [InlineData("阿依古丽·买买提", "阿依古丽・买买提")]
    [InlineData("张三", " 张 三 ")]
    [InlineData("张三", "张\u3000三")]
    public void Names_compare_through_spaces_widths_and_middle_dots(string card, string row) =>
        Assert.Equal(IdentityCheck.NameOnly, Compare(string.Empty, card, null, row));

    [Theory]
    [InlineData("Zhang San")]
    [InlineData("john.smith")]
    [InlineData("张 San")]
    public void A_name_not_written_in_chinese_is_not_compared(string row)
    {
        Assert.True(new ExpectedPerson(null, row).NameNotComparable);
        Assert.Equal(IdentityCheck.NotChecked, Compare(string.Empty, "张三", null, row));
        // With a number, only the number decides.
        // Only the number was compared, and Identity says so (Same is for both).
        Assert.Equal(IdentityCheck.IdNumberOnly, Compare("11010519491231002X", "张三", "11010519491231002X", row));
    }

    [Theory]
    [InlineData("110105194912310022")]
    [InlineData("11010519491331002X")]
    [InlineData("1101051949123100")]
    [InlineData("110105491331002")]
    public void A_typo_in_the_rows_number_is_said_without_the_number(string row)
    {
        var problem = Identity.ExpectedNumberProblem(row, Today);
        Assert.NotNull(problem);
        Assert.Contains("typo", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(row.Substring(0, 10), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_to_compare_is_not_checked()
    {
        Assert.Equal(IdentityCheck.NotChecked, Compare(string.Empty, string.Empty, "11010519491231002X", "张三"));
        Assert.Equal(IdentityCheck.NotChecked, Compare("11010519491231002X", "张三", null, null));
        // A masked card (read back from a masked journal) is not compared again.
        Assert.Equal(IdentityCheck.NotChecked, Compare("110105********002X", "张*", "11010519491231002X", "张三"));
    }

    [Fact]
    public void A_match_on_another_persons_card_is_review_with_the_reason_and_the_next_step()
    {
        var answer = "{\"sim\":95,\"result\":\"Success\",\"description\":\"成功\",\"name\":\"张三\",\"sex\":\"女\",\"nation\":\"汉\",\"birth\":\"1949/12/31\",\"address\":\"北京\",\"id_num\":\"11010519491231002X\"}";
        var theirs = Decisions.Judge(Client.ResponseParser.ParseAnswer(answer), "https://x.test/a.jpg", 70, expected: new ExpectedPerson("110105194912310021", "张三"));
        Assert.Equal(Verdict.Review, theirs.Verdict);
        Assert.Equal(IdentityCheck.IdNumberDiffers, theirs.Identity);
        Assert.Contains("not the row's person", theirs.Inconsistencies, StringComparison.Ordinal);
        Assert.Contains("ask the applicant for their own card", theirs.Reason, StringComparison.Ordinal);

        var own = Decisions.Judge(Client.ResponseParser.ParseAnswer(answer), "https://x.test/a.jpg", 70, expected: new ExpectedPerson("11010519491231002x", "张三"));
        Assert.Equal(Verdict.Match, own.Verdict);
        Assert.Equal(IdentityCheck.Same, own.Identity);
        Assert.Contains("it is the row's person", own.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("张三丰", "張三豐")]
    [InlineData("买买提·艾力", "买买提艾力")]
    [InlineData("买买提·艾力", "艾力·买买提")]
    [InlineData("阿依古丽·买买提", "阿依古麗 買買提")]
    public void A_name_written_another_way_is_a_spelling_matter_not_another_person(string card, string row)
    {
        var check = Identity.Compare("11010519491231002X", card, new ExpectedPerson("11010519491231002X", row), Today, out var why);
        Assert.Equal(IdentityCheck.NameWrittenOtherwise, check);
        Assert.Contains("spelling", why);
        Assert.DoesNotContain(card, why);
    }

    [Theory]
    [InlineData("张三丰", "张三")]
    [InlineData("买买提·艾力", "买买提·艾买")]
    public void A_different_name_is_still_another_name(string card, string row)
    {
        Assert.Equal(IdentityCheck.NameDiffers, Compare("11010519491231002X", card, "11010519491231002X", row));
    }

    [Fact]
    public void Same_says_both_were_compared()
    {
        Assert.Equal(IdentityCheck.Same, Compare("11010519491231002X", "张三", "11010519491231002X", "张三"));
    }
}
