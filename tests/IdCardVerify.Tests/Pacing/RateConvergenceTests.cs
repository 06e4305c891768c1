using IdCardVerify.Client;
using Xunit;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>
/// The rate controller against a simulated API with a sliding-window limit, on a simulated clock: clients
/// that always have work send as fast as their controller lets them, each answer comes back one latency
/// later. What an admin relies on: the limit is found and used (90%), few requests are refused,
/// two clients on one token each get a share. Deterministic (seeded), and not timed: a minute passes in
/// milliseconds.
/// </summary>
public class RateConvergenceTests
{
    [Theory]
    [InlineData(60, 1.0, 0.3, 0.90, 0.01)]   // the API's limit, 1 s answers with 30% jitter
    [InlineData(20, 0.3, 0.0, 0.90, 0.02)]   // a smaller plan
    [InlineData(10, 0.1, 0.0, 0.90, 0.04)]   // a small plan, fast answers: each probe's 429 is a larger share
    // A limit far under the ceiling with the slowest answers the design names: one latency of overshoot per
    // probe; 89-92% over seeds 1-6, so the bar here is a little lower than 90%.
    [InlineData(35, 1.5, 0.3, 0.87, 0.04)]
    public void One_client_finds_the_limit_and_uses_most_of_it(int limit, double latency, double jitter, double minShare, double maxShare)
    {
        var simulation = new Simulation(limit, Simulation.Jittered(latency, jitter));
        var client = new SimClient(new RateController(60, simulation.Time));
        simulation.Start(client);
        simulation.RunUntil(10);
        var (accepted, throttled) = (client.Accepted, client.Throttled);
        simulation.RunUntil(70);

        // Throughput once the limit is found; 429s over the whole run, the first seconds included.
        var rate = (client.Accepted - accepted) / 60.0;
        var share = client.ThrottledShare;
        Assert.True(rate >= minShare * limit, $"{rate:0.0}/s of a {limit}/s limit.");
        Assert.True(share <= maxShare, $"{share:P1} of the requests were answered 429.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // a server that throttles behind its work: each 429 a latency late, a dozen more on the wire
    public void A_smaller_plan_draws_at_most_two_percent_429s_in_every_sequence(bool slowThrottle)
    {
        // F2 (issue 34): 1,000 rows at 300 ms +-30% under a 20/s limit, ten sequences: 18 rows/s with at most 2% 429s,
        // the slow start's overshoot included (with late 429s it drew 2.06% in sequence 2 before the slow start stopped
        // at 12% and read the limit right).
        foreach (var seed in Enumerable.Range(1, 10))
        {
            var simulation = new Simulation(20, Simulation.Jittered(0.3, 0.3), seed: seed) { SlowThrottle = slowThrottle };
            var client = simulation.RunRows(1000);
            var rowsPerSecond = 1000 / client.LastAnswer;
            Assert.True(client.ThrottledShare <= 0.02 && rowsPerSecond >= 18, $"Sequence {seed}: {rowsPerSecond:0.0} rows/s, {client.ThrottledShare:P2} 429s.");
        }
    }

    [Theory]
    [InlineData(20, 0.3)]   // a smaller plan: the slow start goes 15, 30/s
    [InlineData(35, 1.0)]   // a slow API: its answers tell of the limit a second late, while the rate doubles
    [InlineData(45, 0.5)]   // the third second of the slow start (15, 30, 60/s)
    [InlineData(20, 1.5)]   // the slowest answers the design plans for
    public void A_slow_start_that_meets_a_smaller_plan_reads_the_limit_from_what_the_second_before_the_429_carried(int limit, double latency)
    {
        // The slow start doubles the rate every second, so when the first 429 comes the rate in force is up to twice
        // the limit, and a plateau read from it would sit far over the limit (and be cut again, and read lower
        // still from a meter that lags the ramp). The limit found must be the limit, just under.
        var simulation = new Simulation(limit, Simulation.Jittered(latency, 0.3));
        var client = new SimClient(new RateController(60, simulation.Time));
        simulation.Start(client);
        for (var t = 0.01; client.Controller.FoundLimit >= 60 && t < 10; t += 0.01)
        {
            simulation.RunUntil(t);
        }

        Assert.InRange(client.Controller.FoundLimit, 0.85 * limit, limit);
    }

    [Fact]
    public void Two_clients_on_one_token_each_get_a_share_and_together_use_the_limit()
    {
        // Runs that cannot see each other (a temp folder that refuses the peer board's files): CUBIC alone shares.
        var simulation = new Simulation(60, dice => 0.3 + (0.2 * dice));
        var first = new SimClient(new RateController(60, simulation.Time));
        var second = new SimClient(new RateController(60, simulation.Time));
        simulation.Start(first);
        simulation.Start(second, at: 5);
        simulation.RunUntil(15);
        var before = (first.Accepted, second.Accepted);
        simulation.RunUntil(75);

        var one = (first.Accepted - before.Item1) / 60.0;
        var two = (second.Accepted - before.Item2) / 60.0;
        Assert.True(one + two >= 54, $"Together {one + two:0.0}/s ({one:0.0} + {two:0.0}) of 60/s.");
        Assert.True(one >= 20 && two >= 20, $"Shares {one:0.0}/s and {two:0.0}/s.");
    }

    [Fact]
    public void A_colleagues_run_starting_beside_one_at_full_speed_is_seldom_taken_for_noise()
    {
        // The second run's slow start doubles while the first run checks its cut: the first one's 429s then stay
        // at about the share they had, as noise's do. Taken for noise, it would keep its rate over the limit and
        // crowd the other out. Forty starts at staggered moments (deterministic seeds); the check that wants the
        // share not to have grown (by more than 3 points) took it for noise in 2 of them (the earlier check that
        // allowed it to double, in 7).
        var mistaken = 0;
        for (var seed = 1; seed <= 40; seed++)
        {
            var simulation = new Simulation(60, Simulation.Jittered(0.3, 0.3), seed: seed);
            var first = new SimClient(new RateController(60, simulation.Time));
            var second = new SimClient(new RateController(60, simulation.Time));
            simulation.Start(first);
            simulation.Start(second, at: 5 + (seed * 0.037));
            simulation.RunUntil(15);
            var before = first.Accepted + second.Accepted;
            simulation.RunUntil(45);
            var together = (first.Accepted + second.Accepted - before) / 30.0;
            Assert.True(together >= 54, $"Seed {seed}: together {together:0.0}/s of 60/s.");
            if (first.Controller.Noise > 0 || second.Controller.Noise > 0)
            {
                mistaken++;
            }
        }

        Assert.True(mistaken <= 2, $"A colleague's run was taken for noise in {mistaken} of 40 starts.");
    }

    [Fact]
    public void Noise_over_an_unlimited_api_keeps_most_of_the_rate()
    {
        var simulation = new Simulation(int.MaxValue, _ => 0.1, noise: 0.1);
        var client = new SimClient(new RateController(60, simulation.Time));
        simulation.Start(client);
        simulation.RunUntil(30);
        var sent = (client.Accepted + client.Throttled) / 30.0;
        Assert.True(sent >= 30, $"{sent:0.0} requests/s in the first 30 s under 10% noise, with a 60/s ceiling.");
        var before = client.Accepted + client.Throttled;
        simulation.RunUntil(60);
        var later = (client.Accepted + client.Throttled - before) / 30.0;
        Assert.True(later >= 54, $"{later:0.0} requests/s in the next 30 s under 10% noise, with a 60/s ceiling.");
    }

    [Fact]
    public void Noise_is_learned_in_seconds_over_every_noise_sequence_not_one()
    {
        // Issue 34: F7's case (10% random 429s, 100 ms, no limit, 60/s ceiling) over twenty noise sequences. Before the
        // fix, a check judged on a 40-answer sample took noise for congestion by hard bounds (the share "grew" over
        // 3 points, or "fell" by half) and a "cleared" read against 10 answers: a run sat at 6-10/s for up to 17 s
        // (median 30.3 requests/s over the first 30 s, worst 8.0); with the check judged in standard errors, 47.4 and 13.9.
        var first = Enumerable.Range(1, 20).Select(seed =>
        {
            var simulation = new Simulation(int.MaxValue, Simulation.Jittered(0.1, 0.3), noise: 0.1, seed: seed);
            var client = new SimClient(new RateController(60, simulation.Time));
            simulation.Start(client);
            simulation.RunUntil(30);
            return (client.Accepted + client.Throttled) / 30.0;
        }).OrderBy(r => r).ToList();
        var median = (first[9] + first[10]) / 2;
        Assert.True(median >= 40 && first[0] >= 12, $"Requests/s over the first 30 s, worst to best: {string.Join(", ", first.Select(r => r.ToString("0.0")))}.");
    }

    // F7 (600 rows, 100 ms +-30%, 10% random 429s, no limit, 60/s ceiling) on the noise sequences where the pacing of
    // issue 33 lost most: 0.31, 0.36, 0.42, 0.45 and 0.47 of the clean run. Each is a case of its own.
    [Theory]
    [InlineData(14)]
    [InlineData(20)]
    [InlineData(5)]
    [InlineData(1)]
    [InlineData(11)]
    public void A_short_noisy_run_keeps_half_the_clean_pace_on_the_sequences_that_lost_most(int sequence)
    {
        var kept = Simulation.ShortNoisyRun(sequence);
        Assert.True(kept >= 0.5, $"Noise sequence {sequence}: {kept:0.00} of the clean run's rows per second.");
    }

    [Fact]
    public void A_short_noisy_run_keeps_most_of_the_clean_pace_over_twenty_noise_sequences()
    {
        // Issue 34's bar: the worst sequence at least half the clean pace, the median three quarters (0.90 is the most
        // possible: a tenth of the requests are refused and sent again).
        var kept = Enumerable.Range(1, 20).Select(Simulation.ShortNoisyRun).OrderBy(r => r).ToList();
        var median = (kept[9] + kept[10]) / 2;
        Assert.True(kept[0] >= 0.5 && median >= 0.75, $"Of the clean pace, worst to best: {string.Join(", ", kept.Select(r => r.ToString("0.00")))}.");
    }

    [Theory]
    [InlineData(10, 0.1)]   // a probe overshoots a 10/s limit by a third before its 429 comes back: the limit is read high
    [InlineData(5, 0.3)]    // a 5/s limit: answers bunched by jitter make the accepted rate read over the limit
    [InlineData(10, 1.0)]
    public void A_limit_read_high_is_never_taken_for_noise(int limit, double latency)
    {
        // A check held over the limit goes on drawing 429s at a low share, noise's mark: it must not be judged so
        // (issue 34: with the check's growth bound eased, these drew 15-18% 429s). Over six sequences.
        foreach (var seed in Enumerable.Range(1, 6))
        {
            var simulation = new Simulation(limit, Simulation.Jittered(latency, 0.3), seed: seed);
            var client = new SimClient(new RateController(60, simulation.Time));
            simulation.Start(client);
            for (var t = 1; t <= 70; t++)
            {
                simulation.RunUntil(t);
                Assert.True(client.Controller.Noise == 0, $"Sequence {seed}: a {limit}/s limit was taken for {client.Controller.Noise:P0} noise at {t} s.");
            }
        }
    }

    [Fact]
    public void The_slow_start_goes_on_through_noise_to_the_ceiling_before_its_first_cut()
    {
        // 429s at a share noise could draw do not end the slow start below the ceiling: its first cut, and the check
        // that learns the noise, come at 60/s, where a check takes a second, not at the dozen per second of the
        // first second (issue 34: the check then took 3-4 s and often misjudged).
        foreach (var seed in Enumerable.Range(1, 10))
        {
            var simulation = new Simulation(int.MaxValue, Simulation.Jittered(0.1, 0.3), noise: 0.1, seed: seed);
            var client = new SimClient(new RateController(60, simulation.Time));
            simulation.Start(client);
            var (t, highest) = (0.0, 0.0);
            for (; client.Controller.FoundLimit >= 60 && client.Controller.Noise == 0 && t < 10; t += 0.01)
            {
                highest = Math.Max(highest, client.Controller.CurrentRate);
                simulation.RunUntil(t);
            }

            Assert.True(highest >= 0.95 * 60, $"Sequence {seed}: the first cut came at {t:0.00} s, the slow start having reached {highest:0.0}/s.");
        }
    }

    [Fact]
    public void Once_noise_is_learned_the_run_is_back_at_the_ceiling_in_a_few_seconds()
    {
        // The cuts made before the noise was learned were made on it: the slow start resumes from the rate before
        // the last cut, doubling every second (before issue 34 the curve probed up from there at 1.2 times what was
        // accepted, 8 s or more from 12/s to the 60/s ceiling).
        foreach (var seed in Enumerable.Range(1, 6))
        {
            var simulation = new Simulation(int.MaxValue, Simulation.Jittered(0.1, 0.3), noise: 0.1, seed: seed);
            var client = new SimClient(new RateController(60, simulation.Time));
            simulation.Start(client);
            var t = 0.0;
            while (client.Controller.Noise == 0 && t < 60)
            {
                simulation.RunUntil(t += 0.01);
            }

            // Back at the ceiling within 4 s (a window over the noise learned may cut again later: another matter).
            var (rateThen, learnedAt, highest) = (client.Controller.CurrentRate, t, 0.0);
            while (t < learnedAt + 4)
            {
                simulation.RunUntil(t += 0.01);
                highest = Math.Max(highest, client.Controller.CurrentRate);
            }

            Assert.True(highest >= 0.95 * 60, $"Sequence {seed}: noise learned at {learnedAt:0.00} s at {rateThen:0.0}/s, at most {highest:0.0}/s in the 4 s after.");
        }
    }


    [Fact]
    public void A_429_taken_for_noise_is_told_to_the_sender_so_it_uses_up_no_retry()
    {
        var simulation = new Simulation(int.MaxValue, _ => 0.1, noise: 0.1);
        var client = new SimClient(new RateController(60, simulation.Time));
        simulation.Start(client);
        simulation.RunUntil(60);
        Assert.True(client.Controller.Noise > 0, "10% random 429s were not learned as noise in 60 s.");
        Assert.True(client.Controller.OnThrottled(simulation.Clock(), null), "A 429 under learned noise was not taken for noise.");

        // A fresh controller has learned nothing: its first 429 is congestion, and counts as a retry.
        var fresh = new Simulation(20, _ => 0.1);
        var limited = new SimClient(new RateController(60, fresh.Time));
        fresh.Start(limited);
        fresh.RunUntil(10);
        Assert.False(limited.Controller.OnThrottled(fresh.Clock(), null));
    }
}
