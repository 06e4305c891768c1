using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Management.Automation;
using IdCardVerify.Bulk;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Ctrl+C, taken by the module while a bulk run owns an interactive console, as terraform and docker compose take
    /// it: <see cref="Console.TreatControlCAsInput"/> is set, so Ctrl+C arrives as a key the run reads on its pipeline
    /// thread (<see cref="Presses"/>) instead of PowerShell's stop. The first asks for a graceful stop, a second for
    /// PowerShell's stop at once. Where there is no such console (a runbook, redirected input, <c>-NonInteractive</c>, a
    /// job, another runspace, an editor's host), nothing is taken and PowerShell's stop applies as always. The setting is
    /// restored in every path out (<see cref="Dispose"/>, which the command calls from its own Dispose).
    /// </summary>
    internal sealed class ConsoleBreak : IDisposable
    {
        private readonly bool _saved;
        private bool _restored;

        private ConsoleBreak(bool saved)
        {
            _saved = saved;
        }

        /// <summary>Takes Ctrl+C for this run when <paramref name="host"/> is an interactive console whose runspace this is; else null.</summary>
        public static ConsoleBreak? TryTake(PSHost host)
        {
            try
            {
                if (host == null || host.Name != "ConsoleHost" || !Environment.UserInteractive || Console.IsInputRedirected
                    || !(host is IHostSupportsInteractiveSession session) || session.Runspace != Runspace.DefaultRunspace
                    || NonInteractive())
                {
                    return null;
                }

                var saved = Console.TreatControlCAsInput;
                Console.TreatControlCAsInput = true;
                return new ConsoleBreak(saved);
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is PlatformNotSupportedException || ex is NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>How many Ctrl+C were pressed since the last call; other keys typed meanwhile are let through to nothing.</summary>
        public int Presses()
        {
            var presses = 0;
            try
            {
                while (Console.KeyAvailable)
                {
                    var key = Console.ReadKey(intercept: true);
                    if (key.KeyChar == '\u0003' || (key.Key == ConsoleKey.C && (key.Modifiers & ConsoleModifiers.Control) != 0))
                    {
                        presses++;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException)
            {
                // The console went away: nothing to read.
            }

            return presses;
        }

        public void Dispose()
        {
            if (_restored)
            {
                return;
            }

            _restored = true;
            try
            {
                Console.TreatControlCAsInput = _saved;
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException)
            {
            }
        }

        // pwsh -NonInteractive (or -noni): a script run so expects PowerShell's own stop.
        private static bool NonInteractive() =>
            Environment.GetCommandLineArgs().Skip(1).TakeWhile(a => !a.Equals("-c", StringComparison.OrdinalIgnoreCase) && !a.Equals("-Command", StringComparison.OrdinalIgnoreCase) && !a.Equals("-File", StringComparison.OrdinalIgnoreCase) && !a.Equals("-f", StringComparison.OrdinalIgnoreCase))
                .Any(a => a.Length >= 5 && "-noninteractive".StartsWith(a.ToLowerInvariant(), StringComparison.Ordinal) && a.Length <= "-noninteractive".Length);

        /// <summary>
        /// The first Ctrl+C: nothing more is sent, and the answers already paid for are awaited (each at most -TimeoutSec)
        /// and written, then the pipeline ends normally, so <c>$r = …</c> and <c>Export-Csv</c> downstream get every one;
        /// one warning at the end says how many inputs were left. A second Ctrl+C stops at once, as PowerShell's stop does
        /// (the answers then on the wire are still journaled, in the background).
        /// </summary>
        public void Check(Cmdlet cmdlet, VerificationRun? run, int timeoutSec, System.Threading.CancellationTokenSource stop)
        {
            var presses = Presses();
            if (presses == 0 || run == null)
            {
                return;
            }

            if (!run.StoppedByUser)
            {
                presses--;
                var inFlight = run.StoppedBy == null ? run.StopByUser() : run.InFlight;
                cmdlet.WriteInformation(
                    new HostInformationMessage
                    {
                        Message = string.Format(System.Globalization.CultureInfo.InvariantCulture, Text.Break_Stopping, inFlight, timeoutSec),
                        ForegroundColor = ConsoleColor.Yellow,
                        BackgroundColor = cmdlet.CommandRuntime.Host.UI.RawUI.BackgroundColor,
                    },
                    new[] { "PSHOST" });
            }

            if (presses > 0)
            {
                Dispose();
                stop.Cancel();
                run.Cancel();
                throw new PipelineStoppedException();
            }
        }
    }
}
