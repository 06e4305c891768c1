using System.Net.Http;
using IdCardVerify.Bulk;
using IdCardVerify.Client;
using IdCardVerify.TestServer;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using Xunit;
using IdCardVerify.Pacing;
using IdCardVerify.Resilience;

namespace IdCardVerify.Tests;

/// <summary>The engine, the resilient sender and the client together, over real HTTP, under faults.</summary>
[Collection("emulator")]
public sealed class BulkOverHttpTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly HttpMessageInvoker Http = new(new HttpClientHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 256 });
    private readonly Emulator _emulator;

    public BulkOverHttpTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.ClearFaults();
        _emulator.ResetCounters();
    }

    public void Dispose() => _emulator.ClearFaults();

    private (VerificationEngine Engine, List<string> Log) Build(int concurrency, RetryPolicy policy, double rate = 0, TimeSpan? timeout = null, CancellationToken cancel = default)
    {
        var log = new List<string>();
        var client = new IdCardVerifyClient(Http, _emulator.Endpoint, _emulator.Options.Token, timeout ?? TimeSpan.FromSeconds(10));
        var sender = new ResilientSender(client, policy, new RateController(rate), text => { lock (log) { log.Add(text); } }, TimeProvider.System);
        var verifier = new Verifier(sender, null, 70, null, null, false, new RunMessages());
        return (new VerificationEngine(verifier.VerifyAsync, concurrency, cancel), log);
    }

    private static List<Completion> Run(VerificationEngine engine, IEnumerable<string> urls)
    {
        var all = new List<Completion>();
        long index = 0;
        foreach (var url in urls)
        {
            all.AddRange(engine.Submit(new WorkItem(++index, index, url)));
        }

        all.AddRange(engine.Drain());
        return all;
    }

    [Fact]
    public void Two_thousand_rows_under_mixed_faults_give_exactly_one_outcome_each_in_order()
    {
        _emulator.Options.ErrorRate = 0.05;
        _emulator.Options.DropRate = 0.02;
        _emulator.Options.StallRate = 0.005;
        _emulator.Options.RateLimit = 400;
        _emulator.Options.RetryAfterSeconds = null;
        var policy = new RetryPolicy { MaxRetries = 5, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) };
        var (engine, log) = Build(16, policy, timeout: TimeSpan.FromMilliseconds(800));
        using (engine)
        {
            var urls = Enumerable.Range(1, 2000).Select(i => $"https://s.test/row{i}.jpg").ToList();
            urls[99] = "https://s.test/error-bad_request.jpg";
            urls[999] = "https://s.test/fail-ImageBlur.jpg";

            var all = Run(engine, urls);

            Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), all.Select(c => c.Item.Index));
            Assert.All(all, c => Assert.True((c.Result == null) != (c.Error == null)));
            Assert.All(all.Where(c => c.Result != null), c => Assert.Equal(urls[(int)c.Item.Index - 1], c.Result!.ImageUrl));
            Assert.All(all.Where(c => c.Result != null), c => Assert.Equal(c.Item.Index, c.Result!.InputObject));
            var badRequest = Assert.IsType<IdCardVerifyApiException>(all[99].Error);
            // A 400 ends the row at once (an earlier 429 or 5xx on that row may have been retried).
            Assert.Equal("BadRequest", badRequest.ErrorId);
            Assert.Equal("FailedOperation.ImageBlur", all[999].Result!.Result);
            Assert.True(_emulator.Faults > 50, $"faults were injected ({_emulator.Faults})");
            Assert.NotEmpty(log);
            // With 5 retries at an 8% fault rate, a row failing six times in a row is a one-in-a-million event.
            Assert.True(all.Count(c => c.Error != null) <= 3, string.Join("\n", all.Where(c => c.Error != null).Select(c => c.Error!.Message)));
        }
    }

    [Fact]
    public void A_permanent_500_gives_up_at_the_bound_with_the_attempt_count()
    {
        var (engine, log) = Build(2, new RetryPolicy { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10) });
        using (engine)
        {
            var completion = Run(engine, new[] { "https://s.test/error-api_error.jpg" }).Single();
            var error = Assert.IsType<IdCardVerifyApiException>(completion.Error);
            Assert.Equal(4, error.Attempts);
            Assert.Equal(4, _emulator.Calls);
            Assert.Contains("gave up after 4 attempts", error.Message);
            Assert.Equal(3, log.Count);
            Assert.Contains("attempt 1 failed with ApiError (HTTP 500)", log[0]);
        }
    }

    [Theory]
    [InlineData("error-bad_request")]
    [InlineData("error-forbidden")]
    [InlineData("fail-CompareFail")]
    [InlineData("nomatch")]
    public void Answers_that_are_not_retryable_are_asked_once(string keyword)
    {
        var (engine, _) = Build(2, new RetryPolicy { MaxRetries = 5, BaseDelay = TimeSpan.FromMilliseconds(10) });
        using (engine)
        {
            Run(engine, new[] { $"https://s.test/{keyword}.jpg" });
            Assert.Equal(1, _emulator.Calls);
        }
    }

    [Fact]
    public void A_flaky_input_succeeds_after_its_failures()
    {
        var (engine, log) = Build(2, new RetryPolicy { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10) });
        using (engine)
        {
            var completion = Run(engine, new[] { "https://s.test/flaky-2.jpg" }).Single();
            Assert.NotNull(completion.Result);
            Assert.Equal(3, _emulator.Calls);
            Assert.Equal(2, log.Count);
        }
    }

    [Fact]
    public void A_stall_past_the_timeout_is_retried_then_reported_as_timeout()
    {
        var (engine, _) = Build(2, new RetryPolicy { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) }, timeout: TimeSpan.FromMilliseconds(300));
        using (engine)
        {
            var error = Assert.IsType<IdCardVerifyApiException>(Run(engine, new[] { "https://s.test/stall.jpg" }).Single().Error);
            Assert.Equal("Timeout", error.ErrorId);
            Assert.Equal(2, error.Attempts);
        }
    }

    [Fact]
    public void A_dropped_connection_is_retried_then_reported_as_connection_failed()
    {
        var (engine, _) = Build(2, new RetryPolicy { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10) });
        using (engine)
        {
            var error = Assert.IsType<IdCardVerifyApiException>(Run(engine, new[] { "https://s.test/drop.jpg" }).Single().Error);
            Assert.Equal("ConnectionFailed", error.ErrorId);
            Assert.Equal(3, error.Attempts);
        }
    }

    [Fact]
    public void The_client_rate_limit_keeps_a_run_under_the_servers_limit()
    {
        _emulator.Options.RateLimit = 20;
        var (engine, _) = Build(8, new RetryPolicy { MaxRetries = 5 }, rate: 15);
        using (engine)
        {
            var all = Run(engine, Enumerable.Range(1, 30).Select(i => $"https://s.test/r{i}.jpg"));
            Assert.All(all, c => Assert.True(c.Result != null, c.Error?.Message));
            Assert.Equal(0, _emulator.Throttled);
        }
    }

    [Fact]
    public void Cancelling_ends_in_flight_requests_and_backoff_waits_at_once()
    {
        using var stop = new CancellationTokenSource();
        var (engine, _) = Build(4, new RetryPolicy { MaxRetries = 5, BaseDelay = TimeSpan.FromSeconds(20), MaxDelay = TimeSpan.FromSeconds(20) }, timeout: TimeSpan.FromMinutes(2), cancel: stop.Token);
        using (engine)
        {
            // Two stall on the wire, two sit in a 20 s backoff after a 500.
            var urls = new[] { "https://s.test/stall.jpg", "https://s.test/error-api_error.jpg", "https://s.test/stall.jpg", "https://s.test/error-api_error.jpg" };
            long index = 0;
            foreach (var url in urls)
            {
                Assert.Empty(engine.Submit(new WorkItem(++index, null, url)));
            }

            Assert.True(SpinWait.SpinUntil(() => _emulator.Calls >= 4, TimeSpan.FromSeconds(10)));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            stop.Cancel();
            // The engine either throws on its wait or hands back cancelled completions; never a result.
            var drained = new List<Completion>();
            try
            {
                drained.AddRange(engine.Drain());
            }
            catch (OperationCanceledException)
            {
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {watch.Elapsed}");
            Assert.All(drained, c => Assert.IsAssignableFrom<OperationCanceledException>(c.Error));
        }
    }
}
