using IdCardVerify.Client;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

// A simulated API for the rate controller, on a simulated clock: a sliding-window limit that refuses arrivals at
// once (as a gateway does), latency with jitter, random 429 noise. Used by RateConvergenceTests and, linked, by
// bench/Simulation.

/// <summary>A run on the simulated API: its controller, what it got, and the rows it still has to send.</summary>
internal sealed class SimClient
{
    public SimClient(RateController controller) => Controller = controller;

    public RateController Controller { get; }

    public int Accepted { get; set; }

    public int Throttled { get; set; }

    /// <summary>Rows this run still has to send (a refused row goes back to be sent again); unlimited by default.</summary>
    public int RowsLeft { get; set; } = int.MaxValue;

    /// <summary>When its last answer came: the run's end, once its rows are done.</summary>
    public double LastAnswer { get; set; }

    /// <summary>Requests sent and not yet answered.</summary>
    public int InFlight { get; set; }

    /// <summary>Its rows are done and answered: the run has ended.</summary>
    public bool Ended => RowsLeft == 0 && InFlight == 0;

    /// <summary>The share of its requests answered 429.</summary>
    public double ThrottledShare => (double)Throttled / (Throttled + Accepted);
}

/// <summary>
/// The API and its clock: clients that always have work send as fast as their controller lets them (up to a number of
/// senders each), each answer comes back one latency later, a 429 at once. Deterministic (seeded).
/// </summary>
internal sealed class Simulation
{
    private readonly PriorityQueue<Action, (double, long)> _events = new();
    private readonly Queue<double> _window = new();
    private readonly Random _random;
    private long _order;

    public Simulation(int limit, Func<double, double> latency, double noise = 0, int seed = 11)
    {
        _random = new Random(seed);
        Limit = limit;
        Latency = latency;
        Noise = noise;
    }

    /// <summary>A latency of <paramref name="latency"/> seconds, up to <paramref name="jitter"/> of it either way, from the dice (0-1).</summary>
    public static Func<double, double> Jittered(double latency, double jitter) => dice => latency * (1 + (((dice * 2) - 1) * jitter));

    /// <summary>
    /// F7 (600 rows, 100 ms +-30%, 10% random 429s, no limit, a 60/s ceiling) on noise sequence <paramref name="sequence"/>:
    /// the noisy run's rows per second over the clean run's.
    /// </summary>
    public static double ShortNoisyRun(int sequence)
    {
        double RowsPerSecond(double noise) =>
            600 / new Simulation(int.MaxValue, Jittered(0.1, 0.3), noise: noise, seed: sequence).RunRows(600).LastAnswer;

        return RowsPerSecond(0.1) / RowsPerSecond(0);
    }

    /// <summary>
    /// One run of <paramref name="rows"/> rows under the module's 60/s ceiling, to its last answer (600 s at most).
    /// </summary>
    public SimClient RunRows(int rows)
    {
        var client = new SimClient(new RateController(60, Time)) { RowsLeft = rows };
        Start(client);
        RunUntil(600);
        return client;
    }

    public double Now { get; private set; }

    public int Limit { get; }

    /// <summary>A 429 comes back after the latency, as a server's that throttles behind its work (false: at once, as a gateway's).</summary>
    public bool SlowThrottle { get; init; }

    public Func<double, double> Latency { get; }

    public double Noise { get; }

    public TimeSpan Clock() => TimeSpan.FromSeconds(Now);

    /// <summary>The simulated clock as the module reads time: a controller made with it lives in simulated seconds.</summary>
    public TimeProvider Time => _time ??= new SimulatedTime(this);

    private TimeProvider? _time;

    private sealed class SimulatedTime : TimeProvider
    {
        private readonly Simulation _simulation;

        public SimulatedTime(Simulation simulation) => _simulation = simulation;

        public override long GetTimestamp() => _simulation.Clock().Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }

    /// <summary>Starts a client with <paramref name="workers"/> senders (requests in flight at most), each asking for a slot when it is free.</summary>
    public void Start(SimClient client, double at = 0, int workers = 128)
    {
        for (var i = 0; i < workers; i++)
        {
            At(at, () => Reserve(client));
        }
    }

    /// <summary>
    /// Runs in separate processes on one token that see each other (as the peer board lets them): every
    /// <paramref name="period"/> seconds each run still going reads what the others still going show.
    /// </summary>
    public void ShareBoard(IReadOnlyList<SimClient> clients, double period = 0.5)
    {
        At(Now + period, () =>
        {
            var live = clients.Select((client, i) => (Client: client, Id: "run " + i)).Where(run => !run.Client.Ended).ToList();
            var shown = live.Select(run => run.Client.Controller.Publish(run.Id)).ToList();
            for (var i = 0; i < live.Count; i++)
            {
                live[i].Client.Controller.OnPeers(shown.Where((_, j) => j != i).ToList());
            }

            ShareBoard(clients, period);
        });
    }

    public void RunUntil(double end)
    {
        while (_events.TryPeek(out _, out var key) && key.Item1 <= end)
        {
            _events.TryDequeue(out var action, out key);
            Now = key.Item1;
            action!();
        }

        Now = end;
    }

    private void At(double time, Action action) => _events.Enqueue(action, (time, _order++));

    private void Reserve(SimClient client)
    {
        // A sender asks for a slot; when none is due it sleeps until one is, then asks again.
        var wait = client.Controller.Reserve().TotalSeconds;
        if (wait > 0)
        {
            At(Now + wait + 0.0005, () => Reserve(client));
        }
        else if (client.RowsLeft > 0)
        {
            client.RowsLeft--;
            Send(client);
        }
    }

    private void Send(SimClient client)
    {
        var sentAt = Clock();
        while (_window.Count > 0 && Now - _window.Peek() >= 1)
        {
            _window.Dequeue();
        }

        var throttled = _window.Count >= Limit || _random.NextDouble() < Noise;
        if (_window.Count < Limit && throttled == false)
        {
            _window.Enqueue(Now);
        }

        // A 429 comes back at once, as an API gateway's does (after the latency with SlowThrottle); an answer after the work's latency.
        var answerAt = Now + (throttled && !SlowThrottle ? 0.02 : Latency(_random.NextDouble()));
        client.InFlight++;
        At(answerAt, () =>
        {
            client.InFlight--;
            if (throttled)
            {
                client.RowsLeft++;
                client.Throttled++;
                client.Controller.OnThrottled(sentAt, null);
            }
            else
            {
                client.Accepted++;
                client.LastAnswer = Now;
                client.Controller.OnAnswered(sentAt);
            }

            // The worker is free again: it asks for its next slot.
            Reserve(client);
        });
    }
}
