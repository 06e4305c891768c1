using Xunit;

namespace IdCardVerify.Tests;

/// <summary>Masking by content: ID numbers however written, phone numbers and e-mail addresses, names in other places.</summary>
public sealed class MaskingByContentTests
{
    [Theory]
    [InlineData("110101-19900307-0011")]
    [InlineData("110101 19900307 0011")]
    [InlineData("１１０１０１１９９００３０７００１１")]
    [InlineData("https://cards.test/%31%31%30%31%30%31%31%39%39%30%30%33%30%37%30%30%31%31.jpg")]
    [InlineData("scan_11010119900307001X_front.jpg")]
    public void An_id_number_is_masked_however_it_is_written(string text)
    {
        var masked = PersonalData.MaskIdNumbersIn(text);
        Assert.DoesNotContain("19900307", masked);
        Assert.DoesNotContain("１９９００３０７", masked);
        Assert.Contains("110101", masked);
    }

    [Theory]
    [InlineData("Notes", "call 13812345678 or mail zhang.san@example.com", "13812345678", "zhang.san@")]
    [InlineData("备注", "手机 +86 138-1234-5678", "1234-5", "138-1234")]
    public void Phone_numbers_and_e_mail_addresses_in_any_column_are_masked(string column, string value, string gone, string alsoGone)
    {
        var masked = (string)PersonalData.MaskColumn(column, value)!;
        Assert.DoesNotContain(gone, masked);
        Assert.DoesNotContain(alsoGone, masked);
    }

    [Theory]
    [InlineData("申请人")]
    [InlineData("Applicant")]
    [InlineData("持卡人")]
    public void A_name_column_the_module_did_not_know_is_masked(string column)
    {
        Assert.Equal("张**", PersonalData.MaskColumn(column, "张三丰"));
    }

    [Fact]
    public void The_rows_own_names_are_masked_inside_file_names_and_urls()
    {
        var names = new[] { "张三丰", "Zhang Sanfeng" };
        Assert.Equal("11010119900307001X_张**.jpg", PersonalData.MaskNamesIn("11010119900307001X_张三丰.jpg", names));
        Assert.DoesNotContain(Uri.EscapeDataString("张三丰"), PersonalData.MaskNamesIn("https://x.test/" + Uri.EscapeDataString("张三丰") + ".jpg", names));
        Assert.Equal("card of Z**** S******", PersonalData.MaskNamesIn("card of zhang sanfeng", names));
    }
}
