using IdCardVerify.Client;
using System.Collections.Generic;
using Xunit;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>The rate controller's logic on a fake clock: spacing, one cut per event, recovery, noise, Retry-After.</summary>
public class RateControllerTests
{
    [Fact]
    public void A_burst_of_429s_is_one_event_cut_under_the_rate_that_drew_it()
    {
        var clock = new FakeClock();
        var controller = new RateController(100, clock);
        controller.Reserve();                              // the run begins (slow start: 25/s, doubling, at most twice what is accepted)
        clock.Answer(controller, 80, 2);                  // 40/s answered: the rate in force is 80/s
        var drew = controller.CurrentRate;
        var sentBeforeTheCut = clock.Now - TimeSpan.FromSeconds(0.2);
        FakeClock.RefuseUntilCut(controller, sentBeforeTheCut);
        // Few refused: the limit is just under the rate that drew the 429, and the cut is to 0.7 of it.
        Assert.InRange(controller.FoundLimit, 0.95 * drew - 0.5, 0.95 * drew + 0.5);
        Assert.InRange(controller.CurrentRate, 0.7 * controller.FoundLimit - 0.5, 0.7 * controller.FoundLimit + 0.5);
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
        var controller = new RateController(200, clock);
        controller.Reserve();
        clock.Answer(controller, 100, 2);
        FakeClock.RefuseUntilCut(controller, clock.Now);
        var found = controller.FoundLimit;
        Assert.InRange(controller.CurrentRate, 0.7 * found - 0.5, 0.7 * found + 0.5);

        // Until the answers to requests sent after the cut say what it did (noise or a limit), the curve regrows
        // to no more than Hold (0.9) of the limit: held there, however long they take.
        clock.Advance(5);
        Assert.InRange(controller.CurrentRate, (RateCurve.Hold * found) - 0.5, (RateCurve.Hold * found) + 0.01);

        // Twenty answers with no 429: the cut cleared a limit. On along the curve, as if never held.
        clock.Answer(controller, 20, 0.5, latency: 0);
        Assert.InRange(controller.CurrentRate, found - 0.5, found + 0.5);

        // CUBIC: K = cbrt(0.3 W / C), C = 0.4 x W / 60: 3.56 s to regain the limit, whatever it is.
        controller.OnThrottled(clock.Now, null);
        found = controller.FoundLimit;
        clock.Answer(controller, 20, 0.5, latency: 0);
        clock.Advance(1.0);
        Assert.InRange(controller.CurrentRate, 0.9 * found, found);   // concave: most of the way back early
        clock.Advance(2.06);
        Assert.InRange(controller.CurrentRate, found - 0.5, found + 0.5); // the plateau at the limit it found

        // Beyond it the probe goes no further than 20% over what the API is seen to accept: with no answers, nowhere.
        clock.Advance(5);
        Assert.Equal(found, controller.CurrentRate, 6);

        // With answers at the rate in force, it climbs, up to the ceiling and never over.
        for (var second = 0; second < 30; second++)
        {
            clock.Answer(controller, (int)controller.CurrentRate, 1);
        }

        Assert.Equal(200, controller.CurrentRate, 6);
    }

    [Fact]
    public void A_probe_that_meets_the_same_limit_cuts_a_little_and_a_limit_that_moved_cuts_deep()
    {
        var clock = new FakeClock();
        var controller = new RateController(200, clock);
        controller.Reserve();
        clock.Answer(controller, 100, 2);
        FakeClock.RefuseUntilCut(controller, clock.Now);
        var first = controller.FoundLimit;
        Assert.InRange(controller.CurrentRate, (RateCurve.Beta * first) - 0.5, (RateCurve.Beta * first) + 0.5);
        clock.Answer(controller, 20, 0.5, latency: 0);     // the check: the cut cleared a limit

        // Back at the limit and probing a little beyond it with answers to confirm, then a 429: the same line.
        for (var second = 0; second < 4; second++)
        {
            clock.Answer(controller, (int)controller.CurrentRate, 1, latency: 0);
        }

        var drew = controller.CurrentRate;
        Assert.InRange(drew, first, 1.1 * first);
        controller.OnThrottled(clock.Now, null);
        var again = controller.FoundLimit;
        Assert.InRange(again, 0.95 * first, 1.05 * first);
        Assert.InRange(controller.CurrentRate, (RateCurve.SteadyBeta * again) - 0.5, (RateCurve.SteadyBeta * again) + 0.5);
        clock.Answer(controller, 20, 0.5, latency: 0);

        // A 429 to a request sent well under that limit: the limit moved (a colleague's run began). CUBIC's deep cut
        // and fast convergence, which leave the newcomer room.
        var sentAt = clock.Now;
        var shown = RateCurve.Margin * controller.CurrentRate;
        Assert.True(shown < 0.9 * again);
        controller.OnThrottled(sentAt, null);
        Assert.InRange(controller.CurrentRate, (RateCurve.Beta * shown) - 0.5, (RateCurve.Beta * shown) + 0.5);
        Assert.True(controller.FoundLimit < shown);
    }

    [Fact]
    public void After_a_shallow_cut_the_probe_goes_at_half_the_pace_until_five_percent_over_then_at_cubics_own()
    {
        const double limit = 20;
        var k = CubicCurve.TimeToRegain(limit, RateCurve.SteadyBeta * limit);
        Assert.InRange(k, 2.5, 3.1);                                    // a shallow cut is regained in under 3 s
        Assert.Equal(limit, CubicCurve.At(limit, k, k, stretched: true), 6);

        // Two seconds into the probe, the stretched curve is where CUBIC's is after one: a line met again and again
        // is probed half as often.
        Assert.Equal(CubicCurve.At(limit, k, k + 1, stretched: false), CubicCurve.At(limit, k, k + 2, stretched: true), 6);
        Assert.True(CubicCurve.At(limit, k, k + 2, stretched: true) < limit * 1.02);

        // Past 5% over the limit (room opened: a colleague's run ended) it climbs as fast as CUBIC's, one second on.
        var toFivePercent = Math.Pow(0.05 * CubicCurve.ScaleReference / CubicCurve.Scale, 1.0 / 3);   // CUBIC's time to 5% over
        var knee = k + (CubicCurve.ProbeStretch * toFivePercent);
        Assert.InRange(CubicCurve.At(limit, k, knee, stretched: true), 1.0499 * limit, 1.0501 * limit);
        var stretchedGain = CubicCurve.At(limit, k, knee + 1, stretched: true) - CubicCurve.At(limit, k, knee, stretched: true);
        var cubicGain = CubicCurve.At(limit, k, k + toFivePercent + 1, stretched: false) - CubicCurve.At(limit, k, k + toFivePercent, stretched: false);
        Assert.Equal(cubicGain, stretchedGain, 6);
    }

    [Fact]
    public void Refused_at_the_ceiling_the_ceiling_is_the_limit_and_probes_stay_under_it()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, clock);
        clock.Answer(controller, 60, 2);                  // ramping up: 30/s answered so far, while 60/s is being sent
        controller.OnThrottled(clock.Now, null);
        // The meter lags the ramp; refused at the ceiling with no other 429, the ceiling itself is the limit.
        Assert.InRange(controller.FoundLimit, 56.9, 57.1);
        for (var second = 0; second < 30; second++)
        {
            clock.Answer(controller, (int)controller.CurrentRate, 1);
        }

        Assert.Equal(57, controller.CurrentRate, 6);       // 95% of the ceiling: no probe to draw the next 429
    }

    [Fact]
    public void Many_refused_the_limit_is_what_was_accepted_and_a_lower_one_leaves_room_for_a_competitor()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, clock);
        clock.Answer(controller, 100, 2);                 // 50/s
        controller.OnThrottled(clock.Now - TimeSpan.FromSeconds(0.1), null);
        var first = controller.FoundLimit;
        clock.Answer(controller, 60, 2);                  // the cut worked: no 429 at the lower rate
        // A colleague's run starts on the token: half the answers are 429s, 15/s accepted.
        clock.Answer(controller, 60, 2, throttleEvery: 2);
        // The limit is now what was accepted, lowered further (CUBIC's fast convergence) to leave the newcomer room.
        Assert.True(controller.FoundLimit < 0.9 * 30, $"Found {controller.FoundLimit:0.0}/s (first {first:0.0}/s).");
        Assert.InRange(controller.CurrentRate, 0.5, controller.FoundLimit);
    }

    [Fact]
    public void Random_429_noise_is_learned_and_does_not_drive_the_rate_down()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, clock);
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
        var controller = new RateController(60, clock);
        // Half a minute of answers at the rate in force, every tenth a 429 whatever the rate: noise, learned as such.
        for (var second = 0; second < 30; second++)
        {
            clock.Answer(controller, (int)controller.CurrentRate, 1, throttleEvery: 10);
        }

        Assert.InRange(controller.Noise, 0.05, 0.15);
        Assert.True(controller.CurrentRate >= 54, $"{controller.CurrentRate:0.0}/s under 10% noise.");

        clock.Answer(controller, 120, 2, throttleEvery: 2);   // then half the answers are 429s: that is a limit
        Assert.True(controller.CurrentRate < 45, $"Still {controller.CurrentRate:0.0}/s with half the answers 429.");
    }

    [Fact]
    public void One_429_among_the_first_few_answers_is_no_share_yet_and_three_are()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, clock);
        controller.Reserve();
        var start = controller.CurrentRate;                      // the slow start: a quarter of the ceiling
        clock.Answer(controller, 3, 0.2);
        controller.OnThrottled(clock.Now, null);
        Assert.Equal(start, controller.CurrentRate, 6);          // a run's first 429 among four answers: no cut
        Assert.Equal(60, controller.FoundLimit, 6);

        controller.OnThrottled(clock.Now, null);
        controller.OnThrottled(clock.Now, null);                 // three: the slow start met a limit
        Assert.True(controller.CurrentRate < 0.8 * start, $"{controller.CurrentRate:0.0}/s after three 429s at {start:0.0}/s.");
        Assert.True(controller.FoundLimit < 60);
    }

    [Fact]
    public void A_limit_found_long_ago_rises_to_what_is_accepted_since_so_a_lull_does_not_bring_it_back()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, clock);
        controller.Reserve();
        clock.Answer(controller, 20, 2);                        // the slow start, held to twice the 10/s accepted
        FakeClock.RefuseUntilCut(controller, clock.Now);        // 429s at 20/s: a limit of 19/s, as far as it knows
        clock.Answer(controller, 20, 2, latency: 0);            // the cut's check: no 429 at the lower rate
        Assert.InRange(controller.FoundLimit, 10, 25);

        // Then the API accepts all it is sent: the probes climb, no faster than the answers confirm.
        for (var second = 0; second < 30; second++)
        {
            clock.Answer(controller, (int)controller.CurrentRate, 1);
        }

        Assert.Equal(60, controller.CurrentRate, 6);
        Assert.True(controller.FoundLimit >= 0.9 * 57, $"The limit found is still {controller.FoundLimit:0.0}/s after 30 s accepted at 60/s.");

        // Three seconds with no answer (the run's rows wait on a slow one): the probes' meter empties, and the rate
        // stays at the limit confirmed, not at the 19/s met half a minute ago.
        clock.Advance(3);
        Assert.True(controller.CurrentRate >= 0.9 * 57, $"{controller.CurrentRate:0.0}/s after a lull.");
    }

    [Fact]
    public void Without_a_ceiling_it_is_unlimited_until_the_first_429()
    {
        var clock = new FakeClock();
        var controller = new RateController(0, clock);
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
    public void A_long_retry_after_at_a_congestion_event_holds_every_sender_even_without_a_ceiling()
    {
        var clock = new FakeClock();
        foreach (var ceiling in new double[] { 0, 50 })
        {
            var controller = new RateController(ceiling, clock);
            controller.OnThrottled(clock.Now, TimeSpan.FromSeconds(5));
            Assert.Equal(TimeSpan.FromSeconds(5), controller.Reserve());
        }
    }

    [Fact]
    public void A_short_retry_after_is_a_pace_not_a_pause_and_the_same_event_does_not_extend_it()
    {
        var clock = new FakeClock();
        var controller = new RateController(50, clock);
        controller.Reserve();
        clock.Advance(1);
        controller.OnThrottled(clock.Now, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, controller.Reserve());           // the cut slows the pace; nobody is held

        var held = new RateController(50, clock);
        held.OnThrottled(clock.Now, TimeSpan.FromSeconds(5));
        clock.Advance(1);
        held.OnThrottled(clock.Now - TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)); // sent before the cut: same event
        Assert.Equal(TimeSpan.FromSeconds(4), held.Reserve());
    }

    [Fact]
    public void Never_below_the_floor()
    {
        var clock = new FakeClock();
        var controller = new RateController(60, clock);
        for (var i = 0; i < 50; i++)
        {
            controller.OnThrottled(clock.Now, null);
            clock.Answer(controller, 20, 2, throttleEvery: 1);
        }

        // What the controller lets go, not what it reports: the slots it grants over the next 20 s of 429s.
        var granted = 0;
        for (var step = 0; step < 2000; step++)
        {
            if (controller.Reserve() == TimeSpan.Zero)
            {
                granted++;
                controller.OnThrottled(clock.Now, null);
            }

            clock.Advance(0.01);
        }

        Assert.True(granted >= RateCurve.FloorRate * 20 * 0.9, $"{granted} slots in 20 s under the floor of {RateCurve.FloorRate}/s");
    }
}
