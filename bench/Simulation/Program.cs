using IdCardVerify.Client;
using IdCardVerify.Tests;
using IdCardVerify.Pacing;

// The rate controller against a simulated API (a sliding-window limit, latency with jitter, random 429 noise) on a
// simulated clock: each scenario of bench/README.md section 11 in milliseconds instead of minutes, deterministic
// (seeded). Run: dotnet run -c Release --project bench/Simulation [-- --seed0 N] (N shifts the seeds of the
// two-client scenarios, to see how much of a difference is chance); -- --trace LIMIT LATENCY [ROWS [NOISE]] and
// -- --trace-f3 SEED [START] print one run, or two on one token, every half second (for a trace, SIM_SEED, SIM_JITTER and
// SIM_SLOW=1, a 429 after the latency, vary the API; for --trace-f3, SIM_NOBOARD=1 keeps the runs out of each other's
// sight); -- --seeds runs every scenario over sequences 1-10 (bench/Run-Ablation.ps1 -Simulated); SIM_F7=1 prints F7's
// twenty sequences one by one. Two runs on one token see each
// other through the peer board every half second, as the module's runs in separate processes do. What it cannot show, the field benchmark
// (Run-Benchmarks.ps1 -Only Field) does: the engine's concurrency, real timers, Retry-After, HTTP.
var seed0 = args.Length > 1 && args[0] == "--seed0" ? int.Parse(args[1]) : 0;
if (args.Length > 2 && args[0] == "--trace")
{
    // --trace LIMIT LATENCY [ROWS [NOISE]]: one run's rate, limit found, accepted and 429s every half second.
    var limit = int.Parse(args[1]);
    var latency = double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    var noise = args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0;
    var simulation = new Simulation(limit, Simulation.Jittered(latency, double.Parse(Environment.GetEnvironmentVariable("SIM_JITTER") ?? "0.3", System.Globalization.CultureInfo.InvariantCulture)), noise, seed: int.TryParse(Environment.GetEnvironmentVariable("SIM_SEED"), out var traced) ? traced : 1) { SlowThrottle = Environment.GetEnvironmentVariable("SIM_SLOW") == "1" };
    var client = new SimClient(new RateController(60, simulation.Time)) { RowsLeft = args.Length > 3 && args[3] != "0" ? int.Parse(args[3]) : int.MaxValue };
    simulation.Start(client);
    var (accepted, throttled) = (0, 0);
    for (var t = 0.5; t <= 60 && (client.RowsLeft > 0 || t < client.LastAnswer + 1); t += 0.5)
    {
        simulation.RunUntil(t);
        Console.WriteLine($"{t,5:0.0} s  rate {client.Controller.CurrentRate,6:0.0}  found {client.Controller.FoundLimit,5:0.0}  noise {client.Controller.Noise,5:0.000}  accepted/s {(client.Accepted - accepted) * 2,4}  429s {client.Throttled - throttled,3}");
        (accepted, throttled) = (client.Accepted, client.Throttled);
    }

    return;
}

if (args.Length > 1 && args[0] == "--trace-f3")
{
    // --trace-f3 SEED [START]: F3's two runs (or, with START, two endless runs, the second starting then), every half second.
    var seed = int.Parse(args[1]);
    var endless = args.Length > 2;
    var simulation = new Simulation(60, Simulation.Jittered(0.3, 0.3), seed: seed);
    var a = new SimClient(new RateController(60, simulation.Time)) { RowsLeft = endless ? 100_000 : 2000 };
    var b = new SimClient(new RateController(60, simulation.Time)) { RowsLeft = endless ? 100_000 : 2000 };
    simulation.Start(a);
    simulation.Start(b, at: endless ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : (seed % 40) * 0.013);
    if (Environment.GetEnvironmentVariable("SIM_NOBOARD") != "1")
    {
        simulation.ShareBoard(new[] { a, b });
    }

    var (aa, ab, ta, tb) = (0, 0, 0, 0);
    for (var t = 0.5; t <= (endless ? 45 : 120) && (a.RowsLeft > 0 || b.RowsLeft > 0 || t < Math.Max(a.LastAnswer, b.LastAnswer) + 1); t += 0.5)
    {
        simulation.RunUntil(t);
        Console.WriteLine($"{t,5:0.0} s  A rate {a.Controller.CurrentRate,5:0.0} found {a.Controller.FoundLimit,5:0.0} noise {a.Controller.Noise:0.00} ok/s {(a.Accepted - aa) * 2,3} 429 {a.Throttled - ta,2} | B rate {b.Controller.CurrentRate,5:0.0} found {b.Controller.FoundLimit,5:0.0} noise {b.Controller.Noise:0.00} ok/s {(b.Accepted - ab) * 2,3} 429 {b.Throttled - tb,2}");
        (aa, ab, ta, tb) = (a.Accepted, b.Accepted, a.Throttled, b.Throttled);
    }

    Console.WriteLine($"A {2000 / a.LastAnswer:0.0} rows/s, B {2000 / b.LastAnswer:0.0}, together {4000 / Math.Max(a.LastAnswer, b.LastAnswer):0.0}");
    return;
}

if (args.Length > 0 && args[0] == "--seeds")
{
    // --seeds: each scenario over noise and jitter sequences 1-10, median (range): what bench/Run-Ablation.ps1 -Simulated compares.
    Seeds.Run();
    return;
}

Board.Run(seed0);

internal static class Seeds
{
    private static string Spread(IEnumerable<double> values, string format)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var median = (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
        return $"{median.ToString(format)} ({sorted[0].ToString(format)}-{sorted[^1].ToString(format)})";
    }

    public static void Run()
    {
        var seeds = Enumerable.Range(1, 10).ToList();
        string Row(string name, Func<int, (double Value, double Share)> run, string format)
        {
            var runs = seeds.Select(run).ToList();
            return $"| {name} | {Spread(runs.Select(r => r.Value), format)} | {Spread(runs.Select(r => r.Share * 100), "0.00")} |";
        }

        (double, double) Rows(SimClient client, int rows) => (rows / client.LastAnswer, client.ThrottledShare);
        Console.WriteLine("| Scenario, 10 sequences | median (range) | 429s, % |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(Row("F1 1 s +-30%, 60/s, 3,000 rows: rows/s", seed => Rows(new Simulation(60, Simulation.Jittered(1.0, 0.3), seed: seed).RunRows(3000), 3000), "0.0"));
        Console.WriteLine(Row("F2 300 ms, 20/s, 1,000 rows: rows/s", seed => Rows(new Simulation(20, Simulation.Jittered(0.3, 0.3), seed: seed).RunRows(1000), 1000), "0.0"));
        Console.WriteLine(Row("F2, a 429 after the latency: rows/s", seed => Rows(new Simulation(20, Simulation.Jittered(0.3, 0.3), seed: seed) { SlowThrottle = true }.RunRows(1000), 1000), "0.0"));
        Console.WriteLine(Row("F3 two runs of 2,000 rows, 300 ms, 60/s: together rows/s", seed =>
        {
            var simulation = new Simulation(60, Simulation.Jittered(0.3, 0.3), seed: seed);
            var (a, b) = (new SimClient(new RateController(60, simulation.Time)) { RowsLeft = 2000 }, new SimClient(new RateController(60, simulation.Time)) { RowsLeft = 2000 });
            simulation.Start(a);
            simulation.Start(b, at: seed * 0.013);
            simulation.ShareBoard(new[] { a, b });
            simulation.RunUntil(600);
            return (4000 / Math.Max(a.LastAnswer, b.LastAnswer), (double)(a.Throttled + b.Throttled) / (a.Throttled + b.Throttled + a.Accepted + b.Accepted));
        }, "0.0"));
        Console.WriteLine(Row("F6 a second run joins at 5 s, 300 ms, 60/s: the worse of the two over a minute, rows/s", seed =>
        {
            var simulation = new Simulation(60, Simulation.Jittered(0.3, 0.3), seed: seed);
            var (a, b) = (new SimClient(new RateController(60, simulation.Time)), new SimClient(new RateController(60, simulation.Time)));
            simulation.Start(a);
            simulation.Start(b, at: 5 + (seed * 0.037));
            simulation.ShareBoard(new[] { a, b });
            simulation.RunUntil(15);
            var before = (a.Accepted, b.Accepted, a.Throttled + b.Throttled);
            simulation.RunUntil(75);
            var sent = a.Accepted + b.Accepted - before.Item1 - before.Item2 + a.Throttled + b.Throttled - before.Item3;
            return (Math.Min(a.Accepted - before.Item1, b.Accepted - before.Item2) / 60.0, (double)(a.Throttled + b.Throttled - before.Item3) / sent);
        }, "0.0"));
        Console.WriteLine(Row("F7 600 rows, 100 ms, 10% random 429s: noisy / clean", seed =>
        {
            var clean = new Simulation(int.MaxValue, Simulation.Jittered(0.1, 0.3), seed: seed).RunRows(600);
            var noisy = new Simulation(int.MaxValue, Simulation.Jittered(0.1, 0.3), noise: 0.1, seed: seed).RunRows(600);
            return (clean.LastAnswer / noisy.LastAnswer, noisy.ThrottledShare);
        }, "0.000"));
        foreach (var (limit, latency) in new[] { (10, 0.1), (5, 0.3), (10, 1.0) })
        {
            Console.WriteLine(Row($"A {limit}/s limit, {latency * 1000} ms +-30%, seconds 10-70: share of the limit used", seed =>
            {
                var simulation = new Simulation(limit, Simulation.Jittered(latency, 0.3), seed: seed);
                var client = new SimClient(new RateController(60, simulation.Time));
                simulation.Start(client);
                simulation.RunUntil(10);
                var accepted = client.Accepted;
                simulation.RunUntil(70);
                return ((client.Accepted - accepted) / 60.0 / limit, client.ThrottledShare);
            }, "0.000"));
        }
    }
}

internal static class Board
{
    /// <summary>One run of <paramref name="rows"/> rows: rows per second to the last answer, and 429s.</summary>
    private static (double RowsPerSecond, int Throttled, int Sent) Finite(int limit, Func<double, double> latency, int rows, int seed, bool slowThrottle = false)
    {
        var client = new Simulation(limit, latency, seed: seed) { SlowThrottle = slowThrottle }.RunRows(rows);
        return (rows / client.LastAnswer, client.Throttled, client.Throttled + client.Accepted);
    }

    public static void Run(int seed0)
    {
        Console.WriteLine("| Scenario | Result |");
        Console.WriteLine("|---|---|");
        var f1 = Enumerable.Range(1, 5).Select(seed => Finite(60, Simulation.Jittered(1.0, 0.3), 3000, seed)).ToList();
        Console.WriteLine($"| F1: 1 s +-30%, 60/s, 3,000 rows (5 seeds) | {f1.Average(r => r.RowsPerSecond):0.00} rows/s, {f1.Average(r => r.Throttled):0.0} 429s |");
        var f2 = Enumerable.Range(1, 5).Select(seed => Finite(20, Simulation.Jittered(0.3, 0.3), 1000, seed)).ToList();
        Console.WriteLine($"| F2: 300 ms +-30%, 20/s, 1,000 rows (5 seeds) | {f2.Average(r => r.RowsPerSecond):0.00} rows/s, {f2.Sum(r => r.Throttled) / (double)f2.Sum(r => r.Sent):P2} 429 |");
        var f2Slow = Enumerable.Range(1, 5).Select(seed => Finite(20, Simulation.Jittered(0.3, 0.3), 1000, seed, slowThrottle: true)).ToList();
        Console.WriteLine($"| F2, a 429 answered after the latency (5 seeds) | {f2Slow.Average(r => r.RowsPerSecond):0.00} rows/s, {f2Slow.Sum(r => r.Throttled) / (double)f2Slow.Sum(r => r.Sent):P2} 429 |");

        foreach (var (limit, latency, jitter) in new[] { (60, 1.0, 0.3), (20, 0.3, 0.0), (10, 0.1, 0.0), (35, 1.5, 0.3), (10, 1.0, 0.3), (5, 0.3, 0.3) })
        {
            var runs = Enumerable.Range(1, 6).Select(seed =>
            {
                var simulation = new Simulation(limit, Simulation.Jittered(latency, jitter), seed: seed);
                var client = new SimClient(new RateController(60, simulation.Time));
                simulation.Start(client);
                simulation.RunUntil(10);
                var accepted = client.Accepted;
                simulation.RunUntil(70);
                return (Use: (client.Accepted - accepted) / 60.0 / limit, Share: client.ThrottledShare);
            }).ToList();
            Console.WriteLine($"| One run, {limit}/s limit, {latency} s +-{jitter:P0} (6 seeds, seconds 10-70) | {runs.Average(r => r.Use):P1} of the limit (worst {runs.Min(r => r.Use):P1}), {runs.Average(r => r.Share):P2} 429 |");
        }

        foreach (var (noise, latency) in new[] { (0.05, 0.1), (0.1, 0.1), (0.2, 0.1), (0.1, 1.0) })
        {
            var runs = Enumerable.Range(1, 6).Select(seed =>
            {
                var simulation = new Simulation(int.MaxValue, Simulation.Jittered(latency, 0.3), noise: noise, seed: seed);
                var client = new SimClient(new RateController(60, simulation.Time));
                simulation.Start(client);
                simulation.RunUntil(30);
                var first = client.Accepted + client.Throttled;
                simulation.RunUntil(60);
                return (First: first / 30.0, Next: (client.Accepted + client.Throttled - first) / 30.0);
            }).ToList();
            Console.WriteLine($"| {noise:P0} random 429s, no limit, {latency} s (6 seeds) | {runs.Average(r => r.First):0.0} requests/s over the first 30 s, {runs.Average(r => r.Next):0.0} over the next 30 |");
        }

        var f7 = Enumerable.Range(1, 20).Select(Simulation.ShortNoisyRun).ToList();
        if (Environment.GetEnvironmentVariable("SIM_F7") == "1")
        {
            Console.WriteLine(string.Join(" ", f7.Select((r, i) => $"{i + 1}:{r:0.00}")));
        }

        f7 = f7.OrderBy(r => r).ToList();
        Console.WriteLine($"| F7: 600 rows, 100 ms +-30%, 10% random 429s, no limit (20 seeds) | noisy / clean: median {(f7[9] + f7[10]) / 2:0.000}, worst {f7[0]:0.000}, best {f7[19]:0.000} |");
        var (mistaken, under20, under10, worst) = (0, 0, 0, double.MaxValue);
        for (var seed = seed0 + 1; seed <= seed0 + 40; seed++)
        {
            var simulation = new Simulation(60, Simulation.Jittered(0.3, 0.3), seed: seed);
            var first = new SimClient(new RateController(60, simulation.Time));
            var second = new SimClient(new RateController(60, simulation.Time));
            simulation.Start(first);
            simulation.Start(second, at: 5 + ((seed % 40) * 0.037));
            simulation.ShareBoard(new[] { first, second });
            simulation.RunUntil(45);
            mistaken += first.Controller.Noise > 0 || second.Controller.Noise > 0 ? 1 : 0;
        }

        Console.WriteLine($"| A colleague's run joining one at full speed, 300 ms (40 seeds) | taken for noise in {mistaken} of 40 |");
        foreach (var latency in new[] { 0.3, 0.5, 1.0 })
        {
            for (var seed = seed0 + 1; seed <= seed0 + 40; seed++)
            {
                var simulation = new Simulation(60, dice => latency + (0.2 * dice), seed: seed);
                var first = new SimClient(new RateController(60, simulation.Time));
                var second = new SimClient(new RateController(60, simulation.Time));
                simulation.Start(first);
                simulation.Start(second, at: 5 + ((seed % 40) * 0.037));
                simulation.ShareBoard(new[] { first, second });
                simulation.RunUntil(15);
                var before = (first.Accepted, second.Accepted);
                simulation.RunUntil(75);
                var worse = Math.Min(first.Accepted - before.Item1, second.Accepted - before.Item2) / 60.0;
                worst = Math.Min(worst, worse);
                under20 += worse < 20 ? 1 : 0;
                under10 += worse < 10 ? 1 : 0;
            }
        }

        Console.WriteLine($"| The same, 0.3-1.2 s (120 starts): the worse of the two over a minute | under 20/s in {under20}, under 10/s in {under10}; worst {worst:0.0}/s |");
        var (worstEach, together, failed) = (double.MaxValue, 0.0, 0);
        for (var seed = seed0 + 1; seed <= seed0 + 40; seed++)
        {
            var simulation = new Simulation(60, Simulation.Jittered(0.3, 0.3), seed: seed);
            var first = new SimClient(new RateController(60, simulation.Time)) { RowsLeft = 2000 };
            var second = new SimClient(new RateController(60, simulation.Time)) { RowsLeft = 2000 };
            var offset = (seed % 40) * 0.013;
            simulation.Start(first);
            simulation.Start(second, at: offset);
            simulation.ShareBoard(new[] { first, second });
            simulation.RunUntil(600);
            var each = Math.Min(2000 / first.LastAnswer, 2000 / (second.LastAnswer - offset));
            var both = 4000 / Math.Max(first.LastAnswer, second.LastAnswer);
            worstEach = Math.Min(worstEach, each);
            together += both / 40;
            failed += each < 20 || both < 54 ? 1 : 0;
        }

        Console.WriteLine($"| F3: two runs of 2,000 rows started together, 300 ms +-30%, 60/s (40 seeds) | {together:0.0} rows/s together on average; worst run {worstEach:0.0}; {failed} of 40 under F3's bar |");
    }
}
