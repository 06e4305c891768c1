using IdCardVerify.Client;
using IdCardVerify.Verification;

namespace IdCardVerify.Tests;

/// <summary>An answer body read by the wire parser and judged as a run judges it.</summary>
internal static class Judged
{
    public static VerificationResult Parse(string body, string imageUrl, double threshold) =>
        Decisions.Judge(ResponseParser.ParseAnswer(body), imageUrl, threshold);

    /// <summary>A Success answer with a fictional card (张测试, 11010119900101001X) at <paramref name="similarity"/>, judged at 70.</summary>
    public static VerificationResult Sample(string imageUrl, double similarity = 40) =>
        Parse("{\"sim\":" + similarity + ",\"result\":\"Success\",\"description\":\"成功\",\"name\":\"张测试\",\"sex\":\"男\",\"nation\":\"汉\",\"birth\":\"1990/01/01\",\"address\":\"沙盒省\",\"id_num\":\"11010119900101001X\",\"warnings\":\"\"}", imageUrl, 70);
}
