namespace IdCardVerify.TestServer;

/// <summary>The tokens the loopback emulator accepts, and special tokens that force each token error.</summary>
public sealed class SandboxTokens
{
    public SandboxTokens(string validToken)
    {
        ValidToken = validToken;
    }

    public string ValidToken { get; }

    /// <summary>Returns null when the header carries the valid token, else the API error code the real service would send.</summary>
    public string? Check(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return "no_token";
        }

        if (!authorization!.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "invalid_token";
        }

        var token = authorization.Substring("Bearer ".Length);
        switch (token)
        {
            case "expired-token": return "token_expired";
            case "used-up-token": return "used_up";
            case "disabled-token": return "disabled";
            case "mismatched-token": return "token_mismatched";
        }

        return token == ValidToken ? null : "invalid_token";
    }
}