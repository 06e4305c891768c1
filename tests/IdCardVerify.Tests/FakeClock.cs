using IdCardVerify.Client;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>The rate controller's clock in a test, and the answers a test feeds it as time goes by.</summary>
internal sealed class FakeClock
{
    public TimeSpan Now { get; set; }

    public TimeSpan Read() => Now;

    public void Advance(double seconds) => Now += TimeSpan.FromSeconds(seconds);

    /// <summary>Answers <paramref name="count"/> requests over <paramref name="seconds"/>, each sent one latency earlier; every n-th a 429.</summary>
    public void Answer(RateController controller, int count, double seconds, int throttleEvery = 0, double latency = 0.1)
    {
        for (var i = 1; i <= count; i++)
        {
            Advance(seconds / count);
            var sentAt = Now - TimeSpan.FromSeconds(latency);
            if (throttleEvery > 0 && i % throttleEvery == 0)
            {
                controller.OnThrottled(sentAt, null);
            }
            else
            {
                controller.OnAnswered(sentAt);
            }
        }
    }
}
