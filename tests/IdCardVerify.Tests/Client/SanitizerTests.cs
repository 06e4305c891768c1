using IdCardVerify.Client;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The sanitizer on its own: the token out of everything a server wrote, in every JSON form; messages masked.</summary>
public sealed class SanitizerTests
{
    private const string Token = "tok/en+SECRET=42";

    [Theory]
    [InlineData("echo tok/en+SECRET=42 back")]
    [InlineData("echo tok\\/en+SECRET=42 back")]
    [InlineData("echo tok\\u002fen\\u002BSECRET\\u003d42 back")]
    [InlineData("echo \\u0074\\u006F\\u006b/en+SECRET=42 back")]
    public void The_token_goes_in_every_form_a_json_body_carries_it(string text)
    {
        var cleaned = new Sanitizer(Token).Message(text)!;
        Assert.Equal("echo *** back", cleaned);
    }

    [Fact]
    public void A_short_token_is_not_searched_for_and_id_numbers_are_masked_in_messages()
    {
        Assert.Equal("the t stays; 110105********002X", new Sanitizer("t").Message("the t stays; 11010519491231002X"));
    }

    [Fact]
    public void An_answer_keeps_its_id_number_but_loses_the_token_in_every_field()
    {
        var answer = ResponseParser.ParseAnswer("{\"result\":\"Success\",\"description\":\"tok/en+SECRET=42\",\"name\":\"张三\",\"id_num\":\"11010519491231002X\",\"sim\":90}");
        var cleaned = new Sanitizer(Token).Answer(answer);
        Assert.Equal("***", cleaned.Description);
        Assert.Equal("11010519491231002X", cleaned.IdNumber);
    }

    [Fact]
    public void An_exception_is_cleaned_down_to_its_inner_text_and_keeps_its_facts()
    {
        var raw = new IdCardVerifyApiException("failed for tok/en+SECRET=42 via http://u:PASS@proxy:1/", new InvalidOperationException("inner tok/en+SECRET=42"))
        {
            StatusCode = 502,
            ErrorId = "BadGateway",
            Attempts = 2,
        };
        var cleaned = new Sanitizer(Token).Exception(raw);
        Assert.DoesNotContain("SECRET", cleaned.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("PASS", cleaned.ToString(), StringComparison.Ordinal);
        Assert.Equal((502, "BadGateway", 2), (cleaned.StatusCode!.Value, cleaned.ErrorId, cleaned.Attempts));
    }
}
