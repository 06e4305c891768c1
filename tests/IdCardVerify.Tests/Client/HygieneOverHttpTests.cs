using System.Net.Http;
using IdCardVerify.Client;
using IdCardVerify.TestServer;
using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>What a careless server writes never reaches what the module keeps: the token in any JSON form, ID numbers in its messages.</summary>
[Collection("emulator")]
public class HygieneOverHttpTests
{
    // Characters a JSON writer escapes (+ / =) and ones it does not.
    private const string Token = "tok+en/With=signs-42";
    private static readonly HttpMessageInvoker Http = new(new HttpClientHandler { AllowAutoRedirect = false });

    private static string[] FormsOf(string token) => new[]
    {
        token,
        token.Replace("+", "\\u002B").Replace("/", "\\u002F").Replace("=", "\\u003D").Replace("-", "\\u002D"),
        token.Replace("+", "\\u002b").Replace("/", "\\/").Replace("=", "\\u003d"),
    };

    private static async Task<T> WithEmulator<T>(Func<IdCardVerifyClient, Task<T>> act)
    {
        await using var emulator = await Emulator.StartAsync(new EmulatorOptions { Token = Token });
        return await act(new IdCardVerifyClient(Http, emulator.Endpoint, Token, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_token_echoed_in_an_error_body_in_escaped_form_is_kept_nowhere()
    {
        var error = await WithEmulator(client => Assert.ThrowsAsync<IdCardVerifyApiException>(
            () => client.SendAsync("https://s.test/echotoken.jpg", null, 1, CancellationToken.None)));

        var kept = string.Join("\n", error.Message, error.ApiMessage, error.ResponseBody, error.ToString());
        Assert.Contains("***", error.ResponseBody);
        foreach (var form in FormsOf(Token).Append("tok+en").Append("With\\u003Dsigns"))
        {
            Assert.DoesNotContain(form, kept);
        }
    }

    [Fact]
    public async Task A_token_reflected_in_a_200_answer_is_taken_out_of_every_field()
    {
        var answer = await WithEmulator(client => client.SendAsync("https://s.test/echotoken-ok.jpg", null, 1, CancellationToken.None));
        var result = Decisions.Judge(answer, "https://s.test/echotoken-ok.jpg", 70);

        Assert.Equal(Verdict.Match, result.Verdict);
        var kept = string.Join("\n", result.Description, result.Name, result.Encryption);
        Assert.Contains("***", result.Description);
        foreach (var form in FormsOf(Token))
        {
            Assert.DoesNotContain(form, kept);
        }
    }

    [Fact]
    public async Task A_server_message_that_quotes_the_image_url_has_its_id_number_masked()
    {
        const string url = "https://s.test/110105194912310021/echourl.jpg";
        var error = await WithEmulator(client => Assert.ThrowsAsync<IdCardVerifyApiException>(
            () => client.SendAsync(url, null, 1, CancellationToken.None)));

        Assert.Contains("could not download", error.Message);
        foreach (var text in new[] { error.Message, error.ApiMessage!, error.ResponseBody!, error.ToString() })
        {
            Assert.DoesNotContain("110105194912310021", text);
        }

        Assert.Contains("110105********0021", error.ApiMessage);
    }

    [Fact]
    public async Task An_answer_that_starts_with_a_byte_order_mark_is_read_not_refused()
    {
        var answer = await WithEmulator(client => client.SendAsync("https://s.test/bom.jpg", null, 1, CancellationToken.None));
        Assert.Equal("Success", answer.Result);
        Assert.NotNull(answer.Similarity);
    }
}
