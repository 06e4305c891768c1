using System.Diagnostics;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>Runs a system program a test needs (mkfifo, chmod, chown, ln) and fails the test when it fails.</summary>
internal static class Shell
{
    public static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, program + " " + string.Join(" ", args) + ": " + process.StandardError.ReadToEnd());
    }
}
