using Xunit;
using IdCardVerify.TestServer;

namespace IdCardVerify.Tests;

/// <summary>One loopback emulator shared by a test class; counters reset per test where it matters.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public Emulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await Emulator.StartAsync();

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}
