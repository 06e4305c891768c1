using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The card's own data against its ID number, on its own.</summary>
public sealed class CrossCheckTests
{
    private static List<string> Check(string idNumber, string birth, string sex) =>
        CrossCheck.Compare(new VerificationResult { IdNumber = idNumber, Birth = birth, Sex = sex }, new DateTime(2026, 12, 6)).ToList();

    [Fact]
    public void A_consistent_card_has_nothing_to_say() => Assert.Empty(Check("11010519491231002X", "1949/12/31", "女"));

    [Theory]
    [InlineData("1949/12/30", "女", "printed birth date differs")]
    [InlineData("1949年12月31日", "男", "printed sex differs")]
    [InlineData("31.12.1949", "女", "could not be read")]
    public void Each_disagreement_is_said_without_a_value(string birth, string sex, string words)
    {
        var found = Assert.Single(Check("11010519491231002X", birth, sex));
        Assert.Contains(words, found, StringComparison.Ordinal);
        Assert.DoesNotContain("1949", found, StringComparison.Ordinal);
        Assert.DoesNotContain("1101", found, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_check_character_is_said_and_a_masked_number_is_not_checked()
    {
        Assert.Contains(Check("110105194912310021", "1949/12/31", "女"), f => f.Contains("fails GB 11643", StringComparison.Ordinal));
        Assert.Empty(Check("110105********002X", "1949/12/30", "男"));
    }
}
