using IdCardVerify.Bulk;
using Xunit;

namespace IdCardVerify.Tests;

public class EngineTests
{
    private static VerificationResult Result(WorkItem item) => new() { ImageUrl = item.ImageUrl };

    [Fact]
    public void Completions_come_back_in_input_order_whatever_order_they_finish_in()
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 200).Select(_ => random.Next(0, 15)).ToArray();
        using var engine = new VerificationEngine(async (item, cancel) =>
        {
            await Task.Delay(delays[item.Index - 1], cancel);
            return Result(item);
        }, concurrency: 8, CancellationToken.None);

        var seen = new List<long>();
        for (var i = 1; i <= 200; i++)
        {
            seen.AddRange(engine.Submit(new WorkItem(i, "input" + i, "u" + i)).Select(c => c.Item.Index));
        }

        seen.AddRange(engine.Drain().Select(c => c.Item.Index));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seen);
    }

    [Fact]
    public void Never_more_than_the_limit_in_flight()
    {
        var inFlight = 0;
        var peak = 0;
        using var engine = new VerificationEngine(async (item, cancel) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(5, cancel);
            Interlocked.Decrement(ref inFlight);
            return Result(item);
        }, concurrency: 3, CancellationToken.None);

        var count = Enumerable.Range(1, 60).Sum(i => engine.Submit(new WorkItem(i, null, "u")).Count()) + engine.Drain().Count();
        Assert.Equal(60, count);
        Assert.InRange(peak, 2, 3);
    }

    [Fact]
    public void Errors_are_completions_in_their_place()
    {
        using var engine = new VerificationEngine((item, cancel) =>
            item.Index % 3 == 0
                ? Task.FromException<VerificationResult>(new IdCardVerifyApiException("boom " + item.Index))
                : Task.FromResult(Result(item)), concurrency: 4, CancellationToken.None);

        var all = Enumerable.Range(1, 9).SelectMany(i => engine.Submit(new WorkItem(i, null, "u")).ToList()).Concat(engine.Drain()).ToList();
        Assert.Equal(9, all.Count);
        Assert.All(all, c => Assert.True((c.Result == null) != (c.Error == null)));
        Assert.Equal(new long[] { 3, 6, 9 }, all.Where(c => c.Error != null).Select(c => c.Item.Index));
    }

    [Fact]
    public void The_result_carries_its_input_object()
    {
        using var engine = new VerificationEngine((item, _) => Task.FromResult(Result(item)), 2, CancellationToken.None);
        var row = new { Id = 7 };
        var completion = engine.Submit(new WorkItem(1, row, "u")).Concat(engine.Drain()).Single();
        Assert.Same(row, completion.Result!.InputObject);
    }

    [Fact]
    public void Cancel_ends_waiting_promptly()
    {
        using var stop = new CancellationTokenSource();
        using var engine = new VerificationEngine(async (item, cancel) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), cancel);
            return Result(item);
        }, 2, stop.Token);

        for (var i = 1; i <= 4; i++)
        {
            Assert.Empty(engine.Submit(new WorkItem(i, null, "u")));
        }

        stop.CancelAfter(100);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => engine.Drain().ToList());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "Drain should end when cancelled, not after the 5-minute request.");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
