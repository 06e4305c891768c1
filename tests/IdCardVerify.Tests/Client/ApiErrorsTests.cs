using IdCardVerify.Client;
using Xunit;

namespace IdCardVerify.Tests;

public class ApiErrorsTests
{
    private static string Body(string code) =>
        "{\"success\":false,\"error\":{\"code\":\"" + code + "\",\"message\":\"msg\"},\"trace_id\":\"2efa9340-b21b-4e26-9e14-4aac95f343ab\"}";

    [Theory]
    [InlineData(400, "bad_request", "BadRequest", ApiFailureKind.InvalidRequest, false)]
    [InlineData(400, "no_token", "NoToken", ApiFailureKind.Authentication, true)]
    [InlineData(400, "token_mismatched", "TokenMismatched", ApiFailureKind.Authentication, true)]
    [InlineData(401, "token_mismatched", "TokenMismatched", ApiFailureKind.Authentication, true)]
    [InlineData(400, "api_not_implemented", "ApiNotImplemented", ApiFailureKind.NotFound, true)]
    [InlineData(401, "invalid_token", "InvalidToken", ApiFailureKind.Authentication, true)]
    [InlineData(401, "token_expired", "TokenExpired", ApiFailureKind.Authentication, true)]
    [InlineData(403, "used_up", "UsedUp", ApiFailureKind.Quota, true)]
    [InlineData(403, "disabled", "Disabled", ApiFailureKind.Authentication, true)]
    [InlineData(403, "forbidden", "Forbidden", ApiFailureKind.Forbidden, false)]
    [InlineData(404, "no_api", "NoApi", ApiFailureKind.NotFound, true)]
    [InlineData(429, "too_many_requests", "TooManyRequests", ApiFailureKind.RateLimited, false)]
    [InlineData(429, "rate_limited", "TooManyRequests", ApiFailureKind.RateLimited, false)]
    [InlineData(429, "slow_down_please", "TooManyRequests", ApiFailureKind.RateLimited, false)]
    [InlineData(500, "api_error", "ApiError", ApiFailureKind.ServerError, false)]
    [InlineData(504, "timeout", "Timeout", ApiFailureKind.Timeout, false)]
    public void Every_contract_error_maps_to_its_id_kind_and_scope(int status, string code, string errorId, ApiFailureKind kind, bool stopsRun)
    {
        var ex = ApiErrors.FromResponse(status, Body(code), "https://x.test/a.jpg", 1);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(stopsRun, ex.StopsRun);
        Assert.Equal("2efa9340-b21b-4e26-9e14-4aac95f343ab", ex.TraceId);
        Assert.Contains("2efa9340-b21b-4e26-9e14-4aac95f343ab", ex.Message);
        Assert.Contains("https://x.test/a.jpg", ex.Message);
        Assert.Equal("msg", ex.ApiMessage);
    }

    [Theory]
    [InlineData(400, "BadRequest", ApiFailureKind.InvalidRequest, false)]
    [InlineData(401, "Unauthorized", ApiFailureKind.Authentication, true)]
    [InlineData(403, "Forbidden", ApiFailureKind.Forbidden, false)]
    [InlineData(404, "NotFound", ApiFailureKind.NotFound, true)]
    [InlineData(429, "TooManyRequests", ApiFailureKind.RateLimited, false)]
    [InlineData(500, "ApiError", ApiFailureKind.ServerError, false)]
    [InlineData(502, "BadGateway", ApiFailureKind.ServerError, false)]
    [InlineData(503, "ServiceUnavailable", ApiFailureKind.ServerError, false)]
    [InlineData(504, "Timeout", ApiFailureKind.Timeout, false)]
    public void Without_a_code_the_status_decides(int status, string errorId, ApiFailureKind kind, bool stopsRun)
    {
        var ex = ApiErrors.FromResponse(status, "<html><body><h1>" + status + "</h1></body></html>", "u", 1);
        Assert.Null(ex.ErrorCode);
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(stopsRun, ex.StopsRun);
        Assert.Contains("non-JSON page", ex.Message);
    }

    [Fact]
    public void A_bare_string_error_is_read_as_the_code()
    {
        var ex = ApiErrors.FromResponse(403, "{\"error\":\"used_up\"}", "u", 1);
        Assert.Equal("UsedUp", ex.ErrorId);
        Assert.True(ex.StopsRun);
    }

    [Fact]
    public void An_unknown_code_becomes_a_pascal_case_error_id()
    {
        var ex = ApiErrors.FromResponse(418, Body("brand_new_code"), "u", 3);
        Assert.Equal("BrandNewCode", ex.ErrorId);
        Assert.Equal(3, ex.Attempts);
        Assert.False(ex.StopsRun);
    }

    [Theory]
    [InlineData("invalid_token", "InvalidToken")]
    [InlineData("FailedOperation.IdNameMisMatch", "FailedOperationIdNameMisMatch")]
    [InlineData("used_up", "UsedUp")]
    [InlineData("__", "ApiError")]
    public void PascalCase_of_codes(string code, string expected)
    {
        Assert.Equal(expected, ApiErrors.PascalCase(code));
    }
}
