using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.TestServer;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The client against the loopback emulator: real HTTP, real sockets.</summary>
[Collection("emulator")]
public class ClientOverHttpTests : IClassFixture<EmulatorFixture>
{
    private static readonly HttpMessageInvoker Http = new(new HttpClientHandler { AllowAutoRedirect = false });
    private readonly Emulator _emulator;

    public ClientOverHttpTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Options.Latency = TimeSpan.Zero;
    }

    private IdCardVerifyClient Client(string? token = null, TimeSpan? timeout = null, Uri? endpoint = null) =>
        new(Http, endpoint ?? _emulator.Endpoint, token ?? _emulator.Options.Token, timeout ?? TimeSpan.FromSeconds(10));

    [Fact]
    public async Task The_request_is_exactly_what_the_contract_says()
    {
        _emulator.ResetCounters();
        await Client().SendAsync("https://s.test/a.jpg", "{\"copy_warn\":true}", 1, CancellationToken.None);

        var last = _emulator.LastRequest!;
        Assert.Equal("POST", last.Method);
        Assert.Equal(Emulator.ApiPath, last.Path);
        Assert.Equal("Bearer " + _emulator.Options.Token, last.Authorization);
        Assert.Equal("application/json", last.Accept);
        Assert.StartsWith("application/json", last.ContentType);
        using var body = JsonDocument.Parse(last.Body);
        Assert.Equal("https://s.test/a.jpg", body.RootElement.GetProperty("image_url").GetString());
        Assert.Equal("{\"copy_warn\":true}", body.RootElement.GetProperty("config").GetString());
        Assert.Equal(1, _emulator.Calls);
    }

    [Fact]
    public async Task A_success_comes_back_as_a_result()
    {
        var r = Decisions.Judge(await Client().SendAsync("https://s.test/nomatch.jpg", null, 1, CancellationToken.None), "https://s.test/nomatch.jpg", 70);
        Assert.Equal(Verdict.NoMatch, r.Verdict);
        Assert.NotEmpty(r.IdNumber);
    }

    [Fact]
    public async Task A_business_failure_with_200_is_a_result_not_an_error()
    {
        var r = Decisions.Judge(await Client().SendAsync("https://s.test/fail-ImageBlur.jpg", null, 1, CancellationToken.None), "https://s.test/fail-ImageBlur.jpg", 70);
        Assert.Equal("FailedOperation.ImageBlur", r.Result);
        Assert.Equal(Verdict.Failed, r.Verdict);
    }

    [Theory]
    [InlineData("wrong-token", "InvalidToken", 401)]
    [InlineData("expired-token", "TokenExpired", 401)]
    [InlineData("used-up-token", "UsedUp", 403)]
    [InlineData("disabled-token", "Disabled", 403)]
    [InlineData("mismatched-token", "TokenMismatched", 400)]
    public async Task Token_errors_stop_the_run(string token, string errorId, int status)
    {
        var ex = await Assert.ThrowsAsync<IdCardVerifyApiException>(() =>
            Client(token).SendAsync("https://s.test/a.jpg", null, 1, CancellationToken.None));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(status, ex.StatusCode);
        Assert.True(ex.StopsRun);
        Assert.NotNull(ex.TraceId);
        Assert.DoesNotContain(token, ex.Message);
    }

    [Fact]
    public async Task An_unknown_path_is_no_api()
    {
        var ex = await Assert.ThrowsAsync<IdCardVerifyApiException>(() =>
            Client(endpoint: new Uri(_emulator.BaseAddress, "/wrong/path")).SendAsync("https://s.test/a.jpg", null, 1, CancellationToken.None));
        Assert.Equal("NoApi", ex.ErrorId);
        Assert.Equal(404, ex.StatusCode);
    }

    [Fact]
    public async Task A_slow_answer_is_a_timeout_error()
    {
        _emulator.Options.Latency = TimeSpan.FromSeconds(3);
        try
        {
            var ex = await Assert.ThrowsAsync<IdCardVerifyApiException>(() =>
                Client(timeout: TimeSpan.FromMilliseconds(300)).SendAsync("https://s.test/a.jpg", null, 1, CancellationToken.None));
            Assert.Equal("Timeout", ex.ErrorId);
            Assert.Equal(ApiFailureKind.Timeout, ex.Kind);
            Assert.Null(ex.StatusCode);
        }
        finally
        {
            _emulator.Options.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Cancellation_is_not_reported_as_a_timeout()
    {
        _emulator.Options.Latency = TimeSpan.FromSeconds(5);
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Client().SendAsync("https://s.test/a.jpg", null, 1, cancel.Token));
        }
        finally
        {
            _emulator.Options.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_refused_connection_is_connection_failed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<IdCardVerifyApiException>(() =>
            Client(endpoint: new Uri($"http://127.0.0.1:{port}/identity/idcard/check-1e")).SendAsync("https://s.test/a.jpg", null, 1, CancellationToken.None));
        Assert.Equal("ConnectionFailed", ex.ErrorId);
        Assert.Equal(ApiFailureKind.ConnectionFailed, ex.Kind);
        Assert.Contains("127.0.0.1", ex.Message);
    }

    [Fact]
    public async Task A_proxy_page_is_an_error_with_the_status()
    {
        var ex = await Assert.ThrowsAsync<IdCardVerifyApiException>(() =>
            Client().SendAsync("https://s.test/http-502.jpg", null, 1, CancellationToken.None));
        Assert.Equal("BadGateway", ex.ErrorId);
        Assert.Equal(502, ex.StatusCode);
    }

    [Theory]
    [InlineData("https://api.example.com", "https://api.example.com/identity/idcard/check-1e")]
    [InlineData("https://api.example.com/", "https://api.example.com/identity/idcard/check-1e")]
    [InlineData("https://gw.example.com/custom/path", "https://gw.example.com/custom/path")]
    public void A_bare_base_url_gets_the_api_path(string given, string expected)
    {
        Assert.Equal(expected, IdCardVerifyClient.NormalizeEndpoint(new Uri(given)).ToString());
    }
}
