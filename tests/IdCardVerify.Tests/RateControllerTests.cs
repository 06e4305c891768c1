using IdCardVerify.Client;
using System.Collections.Generic;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The rate controller's logic on a fake clock: spacing, one cut per event, recovery, noise, Retry-After.</summary>
public class RateControllerTests
{
    private sealed class FakeClock
    {
        public TimeSpan Now { get; set; }

        public void Advance(double seconds) => Now += TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Answers <paramref name="count"/> requests over <paramref name="seconds"/>, sent one latency earlier; every n-th a 429.</summary>
    private static void Answer(RateController controller, FakeClock clock, int count, double seconds, int throttleEvery = 0, double latency = 0.1)
    {
        for (var i = 1; i <= count; i++)
        {
            clock.Advance(seconds / count);
            var sentAt = clock.Now - TimeSpan.FromSeconds(latency);
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

    [Fact]
    public void Spaces_requests_evenly_at_the_ceiling()
    {
        var clock = new FakeClock();
        var controller = new RateController(10, () => clock.Now);
        var waits = Enumerable.Range(0, 5).Select(_ => controller.Reserve().TotalMilliseconds).ToArray();
        Assert.Equal(new double[] { 0, 100, 200, 300, 400 }, waits);
    }

    [Fact]
    public void Idle_time_is_not_banked_into_a_burst()
    {
        var clock = new FakeClock();
        var controller = new RateController(10, () => clock.Now);
        controller.Reserve();
        clock.Now = TimeSpan.FromSeconds(10);
        Assert.Equal(TimeSpan.Zero, controller.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(100), controller.Reserve());
    }

    [Fact]
    public void A_burst_of_429s_is_one_event_cut_to_a_fraction_of_the_accepted_rate()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, () => clock.Now);
        // Two seconds of 40 answers a second: the API accepts 40/s.
        Answer(controller, clock, 80, 2);
        var sentBeforeTheCut = clock.Now - TimeSpan.FromSeconds(0.2);
        controller.OnThrottled(sentBeforeTheCut, null);
        Assert.InRange(controller.CurrentRate, 0.7 * 38, 0.7 * 42);
        Assert.InRange(controller.FoundLimit, 38, 42);
        var afterOne = controller.CurrentRate;

        // Thirty more 429s to requests that were already on the wire: the same event, no further cut.
        for (var i = 0; i < 30; i++)
        {
            controller.OnThrottled(sentBeforeTheCut, null);
        }

        Assert.Equal(afterOne, controller.CurrentRate, 6);
    }

    [Fact]
    public void After_a_cut_the_rate_regains_the_limit_in_seconds_then_probes_no_faster_than_answers_confirm()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, () => clock.Now);
        Answer(controller, clock, 100, 2);                 // 50/s accepted
        controller.OnThrottled(clock.Now, null);
        Assert.InRange(controller.CurrentRate, 33, 37);    // 0.7 x 50
        Assert.InRange(controller.FoundLimit, 49, 51);

        // CUBIC: K = cbrt(50 x 0.3 / 0.4) = 3.35 s to regain 50/s.
        clock.Advance(1.5);
        Assert.InRange(controller.CurrentRate, 46, 50);    // concave: most of the way back early
        clock.Advance(1.85);
        Assert.InRange(controller.CurrentRate, controller.FoundLimit - 0.5, controller.FoundLimit + 0.5); // the plateau at the limit it found

        // Beyond it the probe goes no further than 10% over what the API is seen to accept: with no answers, nowhere.
        clock.Advance(5);
        Assert.Equal(controller.FoundLimit, controller.CurrentRate, 6);

        // With answers at the rate in force, it climbs, up to the ceiling and never over.
        for (var second = 0; second < 30; second++)
        {
            var rate = (int)controller.CurrentRate;
            Answer(controller, clock, rate, 1);
        }

        Assert.Equal(60, controller.CurrentRate, 6);
    }

    [Fact]
    public void A_429_after_the_cut_is_a_new_event_and_a_lower_limit_leaves_room_for_a_competitor()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, () => clock.Now);
        Answer(controller, clock, 100, 2);                 // 50/s
        controller.OnThrottled(clock.Now - TimeSpan.FromSeconds(0.1), null);
        Answer(controller, clock, 60, 2);                  // the cut worked: no 429 at the lower rate (30/s measured)
        controller.OnThrottled(clock.Now, null);           // sent after the cut: a new event
        // Accepted ~30/s, lower than the 50 found before: Wmax = 30 x (1 + 0.7) / 2 (CUBIC's fast convergence).
        Assert.InRange(controller.FoundLimit, 0.85 * 28, 0.85 * 32);
        Assert.InRange(controller.CurrentRate, 0.7 * 28, 0.7 * 32);
    }

    [Fact]
    public void Random_429_noise_is_learned_and_does_not_drive_the_rate_down()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, () => clock.Now);
        var random = new Random(7);
        var rates = new List<double>();
        // Two simulated minutes of answers at the rate in force, 10% of them 429s that have nothing to do with rate.
        for (var i = 0; i < 7200; i++)
        {
            var rate = controller.CurrentRate;
            clock.Advance(1.0 / rate);
            var sentAt = clock.Now - TimeSpan.FromSeconds(0.1);
            if (random.NextDouble() < 0.1)
            {
                controller.OnThrottled(sentAt, null);
            }
            else
            {
                controller.OnAnswered(sentAt);
            }

            rates.Add(rate);
        }

        Assert.InRange(controller.Noise, 0.05, 0.17);
        var late = rates.Skip(rates.Count / 2).ToList();
        Assert.True(late.Average() >= 54, $"The rate averaged {late.Average():0.0}/s in the second minute of 10% noise.");
        Assert.True(late.Min() >= 30, $"The rate fell to {late.Min():0.0}/s under 10% noise.");
    }

    [Fact]
    public void Over_the_noise_a_real_limit_is_still_congestion()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, () => clock.Now);
        // Half a minute of answers at the rate in force, every tenth a 429 whatever the rate: noise, learned as such.
        for (var second = 0; second < 30; second++)
        {
            Answer(controller, clock, (int)controller.CurrentRate, 1, throttleEvery: 10);
        }

        Assert.InRange(controller.Noise, 0.05, 0.15);
        Assert.True(controller.CurrentRate >= 54, $"{controller.CurrentRate:0.0}/s under 10% noise.");

        Answer(controller, clock, 120, 2, throttleEvery: 2);   // then half the answers are 429s: that is a limit
        Assert.True(controller.CurrentRate < 45, $"Still {controller.CurrentRate:0.0}/s with half the answers 429.");
    }

    [Fact]
    public void Without_a_ceiling_it_is_unlimited_until_the_first_429()
    {
        var clock = new FakeClock();
        var controller = new RateController(0, () => clock.Now);
        Assert.True(double.IsPositiveInfinity(controller.CurrentRate));
        for (var i = 0; i < 400; i++)
        {
            Assert.Equal(TimeSpan.Zero, controller.Reserve());
            controller.OnAnswered(clock.Now);
            clock.Now += TimeSpan.FromMilliseconds(2.5);      // 400/s
        }

        controller.OnThrottled(clock.Now, null);
        Assert.InRange(controller.CurrentRate, 0.7 * 360, 0.7 * 440);
    }

    [Fact]
    public void Retry_after_holds_every_caller_even_without_a_ceiling()
    {
        var clock = new FakeClock();
        foreach (var ceiling in new double[] { 0, 50 })
        {
            var controller = new RateController(ceiling, () => clock.Now);
            controller.OnThrottled(clock.Now, TimeSpan.FromSeconds(2));
            Assert.Equal(TimeSpan.FromSeconds(2), controller.Reserve());
        }
    }

    [Fact]
    public void Never_below_the_floor()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, () => clock.Now);
        for (var i = 0; i < 50; i++)
        {
            controller.OnThrottled(clock.Now, null);
            Answer(controller, clock, 20, 2, throttleEvery: 1);
        }

        Assert.True(controller.CurrentRate >= RateController.FloorRate);
    }
}
