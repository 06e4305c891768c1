using IdCardVerify.Client;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>
/// A clock a test moves by hand (a <see cref="TimeProvider"/>, as the module's every reading of time is), and the answers
/// a test feeds a rate controller as time goes by. Its monotonic time is <see cref="Now"/>; its wall time the epoch plus it.
/// Timers and delays are the system's (a test that needs them faked uses FakeTimeProvider).
/// </summary>
internal sealed class FakeClock : TimeProvider
{
    public static readonly DateTimeOffset Epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TimeSpan Now { get; set; }

    public override long GetTimestamp() => Now.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Epoch + Now;

    public void Advance(double seconds) => Now += TimeSpan.FromSeconds(seconds);

    /// <summary>
    /// 429s to requests sent at <paramref name="sentAt"/> until the controller cuts (the slow start goes on through a
    /// share of 429s noise could draw, SlowStart.LikeNoise): as a limit met in the slow start, whose refusals mount.
    /// </summary>
    public static void RefuseUntilCut(RateController controller, TimeSpan sentAt)
    {
        var before = controller.FoundLimit;
        for (var i = 0; i < 200 && controller.FoundLimit == before; i++)
        {
            controller.OnThrottled(sentAt, null);
        }
    }

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

/// <summary>A clock read from a test's own field: its monotonic time, or its wall time (a test that moves a value by hand).</summary>
internal sealed class FuncTime : TimeProvider
{
    private readonly Func<TimeSpan>? _monotonic;
    private readonly Func<DateTime>? _wall;

    private FuncTime(Func<TimeSpan>? monotonic, Func<DateTime>? wall)
    {
        _monotonic = monotonic;
        _wall = wall;
    }

    /// <summary>Monotonic time from <paramref name="now"/> (its wall time: the epoch plus it).</summary>
    public static FuncTime Monotonic(Func<TimeSpan> now) => new FuncTime(now, null);

    /// <summary>Wall time (UTC) from <paramref name="utcNow"/>.</summary>
    public static FuncTime Wall(Func<DateTime> utcNow) => new FuncTime(null, utcNow);

    public override long GetTimestamp() => _monotonic != null ? _monotonic().Ticks : _wall!().Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => _wall != null ? new DateTimeOffset(DateTime.SpecifyKind(_wall(), DateTimeKind.Utc)) : FakeClock.Epoch + _monotonic!();
}
