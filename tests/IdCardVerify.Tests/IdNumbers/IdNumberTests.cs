using IdCardVerify.Client;
using IdCardVerify.IdNumbers;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

public class IdNumberTests
{
    private static readonly DateTime Today = new(2026, 11, 26);

    [Theory]
    [InlineData("11010119900307803X")]
    [InlineData("11010119900307803x")]
    [InlineData("440308199901011234")]
    [InlineData("310104200002291236")]
    public void Valid_numbers_pass(string number)
    {
        var report = IdNumberValidator.Check(number, Today);
        Assert.True(report.IsValid, string.Join("; ", report.Reasons));
        Assert.Empty(report.Reasons);
    }

    [Fact]
    public void The_check_character_follows_iso_7064_mod_11_2()
    {
        // Worked example of GB 11643-1999: 11010519491231002 -> X.
        Assert.Equal('X', IdNumberValidator.CheckCharacter("11010519491231002"));
        Assert.Equal('4', IdNumberValidator.CheckCharacter("44052418800101001"));
    }

    [Theory]
    [InlineData("11010119900307803X", "男", "北京", "11", 1990, 3, 7)]
    [InlineData("440308199901011226", "女", "广东", "44", 1999, 1, 1)]
    public void Details_are_read_from_the_number(string number, string sex, string province, string code, int y, int m, int d)
    {
        var report = IdNumberValidator.Check(number, Today);
        Assert.Equal(sex, report.Sex);
        Assert.Equal(province, report.Province);
        Assert.Equal(code, report.ProvinceCode);
        Assert.Equal(new DateTime(y, m, d), report.BirthDate);
    }

    [Theory]
    [InlineData("110101199003078031", "check character is 1 but its first 17 digits call for X")]
    [InlineData("11010119900307803", "17 characters")]
    [InlineData("1101011990030780311", "19 characters")]
    [InlineData("", "0 characters")]
    [InlineData("11010119900230803X", "19900230 is not a real date")]
    [InlineData("110101203001018034", "is in the future")]
    [InlineData("990101199003078032", "province code 99")]
    [InlineData("1101011990A307803X", "not all digits")]
    [InlineData("11010119900307803Y", "neither a digit nor X")]
    public void Each_failure_has_its_reason(string number, string reason)
    {
        var report = IdNumberValidator.Check(number, Today);
        Assert.False(report.IsValid);
        Assert.Contains(report.Reasons, r => r.Contains(reason));
    }

    [Fact]
    public void Every_reason_is_given_not_just_the_first()
    {
        // Unknown province, impossible date and a wrong check character, all at once.
        var report = IdNumberValidator.Check("990101199002308031", Today);
        Assert.Equal(3, report.Reasons.Length);
    }

    [Fact]
    public void A_card_whose_fields_disagree_with_its_number_is_flagged_with_the_number_masked_and_no_values()
    {
        var body = "{\"result\":\"Success\",\"sim\":90,\"sex\":\"女\",\"birth\":\"1999/12/31\",\"id_num\":\"110101199003078030\"}";
        var r = Judged.Parse(body, "u", 70);
        Assert.Contains("fails GB 11643 (its check character)", r.Inconsistencies);
        Assert.Contains("printed birth date differs", r.Inconsistencies);
        Assert.Contains("printed sex differs", r.Inconsistencies);
        // No value, not even masked: the run's warning names the card once by its masked number.
        Assert.DoesNotContain("110101********8030", r.Inconsistencies);
        Assert.DoesNotContain("110101199003078030", r.Inconsistencies);

        // Neither date nor sex is printed: beside the masked number they would rebuild most of it.
        foreach (var value in new[] { "1999", "12-31", "1990", "03-07", "女", "男" })
        {
            Assert.DoesNotContain(value, r.Inconsistencies);
        }

        Assert.Equal(Verdict.Review, r.Verdict);
        Assert.True(r.IsMatch, "IsMatch stays the similarity decision");
    }

    [Fact]
    public void A_consistent_card_has_no_inconsistencies()
    {
        var body = "{\"result\":\"Success\",\"sim\":90,\"sex\":\"男\",\"birth\":\"1990/03/07\",\"id_num\":\"11010119900307803X\"}";
        Assert.Equal(string.Empty, Judged.Parse(body, "u", 70).Inconsistencies);
    }

    [Theory]
    [InlineData("11010119900101123X", "110101********123X")]
    [InlineData("", "")]
    [InlineData("1234", "****")]
    public void Id_numbers_are_masked(string number, string masked)
    {
        Assert.Equal(masked, PersonalData.MaskIdNumber(number));
    }

    [Fact]
    public void Id_numbers_inside_text_are_masked()
    {
        Assert.Equal("https://x.test/110101********123X.jpg and 110101********0015",
            PersonalData.MaskIdNumbersIn("https://x.test/11010119900101123X.jpg and 110101199001010015"));
        Assert.Equal("order 12345678901234567890", PersonalData.MaskIdNumbersIn("order 12345678901234567890"));
    }

    [Theory]
    [InlineData("https://x.test/110105194912310021front.jpg", "https://x.test/110105********0021front.jpg")]
    [InlineData("https://x.test/11010519491231002xback.jpg", "https://x.test/110105********002xback.jpg")]
    [InlineData("id=110105194912310021&side=a", "id=110105********0021&side=a")]
    [InlineData("scan_110105491231002_v2", "scan_110105*****1002_v2")]
    [InlineData("could not download https://x.test/110105194912310021/a.jpg", "could not download https://x.test/110105********0021/a.jpg")]
    public void Id_numbers_glued_to_letters_and_first_generation_numbers_are_masked(string text, string masked)
    {
        Assert.Equal(masked, PersonalData.MaskIdNumbersIn(text));
    }

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("Li Wei", "L* W**")]
    [InlineData("阿依古丽·买买提", "阿***·买**")]
    public void Names_are_masked(string name, string masked)
    {
        Assert.Equal(masked, PersonalData.MaskName(name));
    }
}
