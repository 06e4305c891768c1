using System.Diagnostics;
using System.Text;
using IdCardVerify.Bulk;
using IdCardVerify.Client;
using IdCardVerify.Report;
using IdCardVerify.Settings;
using Xunit;
using IdCardVerify.Pacing;
using IdCardVerify.Files;

namespace IdCardVerify.Tests;

/// <summary>Nothing on a background thread may end the process or leave a run waiting forever.</summary>
public sealed class BackgroundFaultTests
{
    [Fact]
    public async Task A_fault_of_any_type_in_the_send_queues_pump_lets_every_waiter_go_and_turns_pacing_off()
    {
        var gate = new object();
        var calls = 0;
        // One slot a second, then the rate function throws something nobody expects: on the pump's pool thread.
        var queue = new SlotQueue(gate, TimeProvider.System, _ => ++calls > 2 ? throw new InvalidCastException("injected") : 1.0, double.PositiveInfinity);
        var waits = Enumerable.Range(0, 5).Select(_ => queue.WaitAsync(CancellationToken.None)).ToArray();

        // A guard against a hang, not a timing target.
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(20));
        lock (gate)
        {
            Assert.Contains("InvalidCastException", queue.Fault, StringComparison.Ordinal);
        }

        // From then on a slot is never held.
        await queue.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
