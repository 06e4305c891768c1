using IdCardVerify.Client;
using IdCardVerify.Verification;

namespace IdCardVerify.Tests;

/// <summary>An answer body read by the wire parser and judged as a run judges it.</summary>
internal static class Judged
{
    public static VerificationResult Parse(string body, string imageUrl, double threshold) =>
        Decisions.Judge(ResponseParser.ParseAnswer(body), imageUrl, threshold);
}
