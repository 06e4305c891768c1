using IdCardVerify.Client;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// The rate controller against a simulated API with a sliding-window limit, on a simulated clock: clients
/// that always have work send as fast as their controller lets them, each answer comes back one latency
/// later. What an admin relies on: the limit is found and used (at least 90%), few requests are refused,
/// two clients on one token each get a share. Deterministic (seeded), and not timed: a minute passes in
/// milliseconds.
/// </summary>
public class RateConvergenceTests
{
    private sealed class Client
    {
        public Client(RateController controller) => Controller = controller;

        public RateController Controller { get; }

        public int Accepted { get; set; }

        public int Throttled { get; set; }
    }

    private sealed class Simulation
    {
        private readonly PriorityQueue<Action, (double, long)> _events = new();
        private readonly Queue<double> _window = new();
        private readonly Random _random = new(11);
        private long _order;

        public Simulation(int limit, Func<double, double> latency, double noise = 0)
        {
            Limit = limit;
            Latency = latency;
            Noise = noise;
        }

        public double Now { get; private set; }

        public Action<string>? Log { get; set; }

        public int Limit { get; }

        public Func<double, double> Latency { get; }

        public double Noise { get; }

        public TimeSpan Clock() => TimeSpan.FromSeconds(Now);

        public void Start(Client client, double at = 0) => At(at, () => Reserve(client));

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

        private void Reserve(Client client)
        {
            var wait = client.Controller.Reserve().TotalSeconds;
            At(Now + Math.Max(wait, 0.0005), () => Send(client));
        }

        private void Send(Client client)
        {
            var sentAt = Clock();
            while (_window.Count > 0 && Now - _window.Peek() >= 1)
            {
                _window.Dequeue();
            }

            var throttled = _window.Count >= Limit || _random.NextDouble() < Noise;
            if (throttled) Log?.Invoke($"{Now:0.000} 429 window {_window.Count} oldest {(_window.Count > 0 ? _window.Peek() : 0):0.000} rate {client.Controller.CurrentRate:0.0}");
            if (_window.Count < Limit && throttled == false)
            {
                _window.Enqueue(Now);
            }

            At(Now + Latency(_random.NextDouble()), () =>
            {
                if (throttled)
                {
                    client.Throttled++;
                    client.Controller.OnThrottled(sentAt, null);
                }
                else
                {
                    client.Accepted++;
                    client.Controller.OnAnswered(sentAt);
                }
            });
            Reserve(client);
        }
    }

    [Theory]
    [InlineData(60, 1.0, 0.3, 0.01)]   // the API's limit, 1 s answers with 30% jitter
    [InlineData(20, 0.3, 0.0, 0.02)]   // a smaller plan
    [InlineData(35, 1.5, 0.3, 0.03)]   // a limit between the two, the slowest answers the design names
    public void One_client_finds_the_limit_and_uses_at_least_90_percent_of_it(int limit, double latency, double jitter, double maxShare)
    {
        var simulation = new Simulation(limit, dice => latency * (1 + (((dice * 2) - 1) * jitter)));
        var client = new Client(new RateController(60, simulation.Clock));
        simulation.Start(client);
        simulation.RunUntil(10);
        var (accepted, throttled) = (client.Accepted, client.Throttled);
        simulation.RunUntil(70);

        // Throughput once the limit is found; 429s over the whole run, the first seconds included.
        var rate = (client.Accepted - accepted) / 60.0;
        var share = (double)client.Throttled / (client.Accepted + client.Throttled);
        Assert.True(rate >= 0.9 * limit, $"{rate:0.0}/s of a {limit}/s limit.");
        Assert.True(share <= maxShare, $"{share:P1} of the requests were answered 429.");
    }

    [Fact]
    public void Two_clients_on_one_token_each_get_a_share_and_together_use_the_limit()
    {
        var simulation = new Simulation(60, dice => 0.3 + (0.2 * dice));
        var first = new Client(new RateController(60, simulation.Clock));
        var second = new Client(new RateController(60, simulation.Clock));
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
    public void Noise_over_an_unlimited_api_keeps_most_of_the_rate()
    {
        var simulation = new Simulation(int.MaxValue, _ => 0.1, noise: 0.1);
        var client = new Client(new RateController(60, simulation.Clock));
        simulation.Start(client);
        simulation.RunUntil(30);
        var sent = (client.Accepted + client.Throttled) / 30.0;
        Assert.True(sent >= 30, $"{sent:0.0} requests/s in the first 30 s under 10% noise, with a 60/s ceiling.");
        var before = client.Accepted + client.Throttled;
        simulation.RunUntil(60);
        var later = (client.Accepted + client.Throttled - before) / 30.0;
        Assert.True(later >= 54, $"{later:0.0} requests/s in the next 30 s under 10% noise, with a 60/s ceiling.");
    }
}
