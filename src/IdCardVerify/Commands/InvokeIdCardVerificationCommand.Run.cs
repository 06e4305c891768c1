using System;
using System.Management.Automation;
using IdCardVerify.Bulk;
using IdCardVerify.Commands;
using IdCardVerify.Settings;

namespace IdCardVerify
{
    /// <summary>One input's way through the run, and the helpers that turn setup failures into one error.</summary>
    public sealed partial class InvokeIdCardVerificationCommand
    {
        private void ProcessOne(PipelineItem item)
        {
            var run = _run!;
            CheckBreak();
            var index = run.NextIndex();
            var admitted = false;
            Guard(() => admitted = _writer!.Admit(item, index));
            if (!admitted)
            {
                return;
            }

            var path = item.LocalPath;
            // A URL's journal key is the URL: verified and paid for in an earlier run, it is re-emitted with no call. A
            // file is never read here (a FIFO would hang the pipeline): its worker reads it once, and looks up the journal
            // by the hash of the bytes it read (Verifier).
            var url = path != null ? "file:" + path : item.Url!.Trim();
            var work = path != null ? null : run.Resume(index, item.Input, url, item.Expected);

            if (work == null)
            {
                var action = _options!.Sandbox ? "Verify the ID card image in the sandbox (no cost)" : "Verify the ID card image (a billable API call)";
                if (!ShouldProcess(path != null ? Shown.Escape(PersonalData.MaskIdNumbersIn(path)) : Redaction.ForDisplay(url), path != null ? action + ", staged privately for the API to download" : action))
                {
                    _whatIfSkipped++;
                    return;
                }

                work = new WorkItem(index, item.Input, url, expected: item.Expected) { ImagePath = path };
            }

            if (!run.IsStarted)
            {
                var token = ResolveToken();
                WriteVerbose(_options!.Describe());
                run.Start(token, OnWait);
                if (MyInvocation.ExpectingInput || (ImageUrl?.Length ?? 0) > 1 || Path != null || LiteralPath != null)
                {
                    // A bulk run in an interactive console: the first Ctrl+C stops it gracefully, the second at once.
                    _break = ConsoleBreak.TryTake(Host);
                }
            }

            if (path != null && !run.HasStaging)
            {
                // The run's first file: where files are staged (the store is tried once, by the first file's worker).
                WriteVerbose(run.StageFiles(BoundParameters.Of(this), _configured!, name => VaultReader.ReadPair(this, name)));
            }

            Guard(() =>
            {
                foreach (var completion in run.Submit(work))
                {
                    _writer!.Emit(completion);
                }
            });
            _reporter!.Tick();
        }

        /// <summary>On the pipeline thread while the run waits: Ctrl+C first, then the queued messages and the progress bar.</summary>
        private void OnWait()
        {
            CheckBreak();
            _reporter!.Tick();
        }

        /// <summary>
        /// The first Ctrl+C: nothing more is sent, and the answers already paid for are awaited (each at most -TimeoutSec)
        /// and written, then the pipeline ends normally, so <c>$r = …</c> and <c>Export-Csv</c> downstream get every one;
        /// one warning at the end says how many inputs were left. A second Ctrl+C stops at once, as PowerShell's stop does
        /// (the answers then on the wire are still journaled, in the background).
        /// </summary>
        private void CheckBreak()
        {
            var presses = _break?.Presses() ?? 0;
            if (presses == 0 || _run == null)
            {
                return;
            }

            if (!_run.StoppedByUser)
            {
                presses--;
                var inFlight = _run.StoppedBy == null ? _run.StopByUser() : _run.InFlight;
                WriteInformation(
                    new HostInformationMessage
                    {
                        Message = string.Format(System.Globalization.CultureInfo.InvariantCulture, "Stopping: no new calls; waiting for {0} answer(s) already paid for (each at most {1} s). Press Ctrl+C again to stop at once.", inFlight, _options!.TimeoutSec),
                        ForegroundColor = ConsoleColor.Yellow,
                        BackgroundColor = Host.UI.RawUI.BackgroundColor,
                    },
                    new[] { "PSHOST" });
            }

            if (presses > 0)
            {
                _break!.Dispose();
                _stop.Cancel();
                _run.Cancel();
                throw new PipelineStoppedException();
            }
        }

        /// <summary>A -WhatIf run makes no call, so it never meets the missing token the real run would stop at: say so.</summary>
        private void WarnIfWhatIfWithoutToken()
        {
            if (_options == null || _whatIfSkipped == 0)
            {
                return;
            }

            // What the run would cost: the count a -WhatIf is asked for, on the host as Write-Host writes it.
            var count = _options.Sandbox
                ? $"What if: {_whatIfSkipped} input(s) would be verified in the sandbox, at no cost."
                : $"What if: {_whatIfSkipped} billable call(s) would be made, one per input{(_run != null && _run.Resumed > 0 ? $" ({_run.Resumed} more re-emitted from the checkpoint journal at no cost)" : string.Empty)}.";
            WriteInformation(new HostInformationMessage { Message = count }, new[] { "PSHOST" });
            if (!_options.Sandbox && TokenChain.Resolve(Token, _configured, _stored).Source == TokenSource.None)
            {
                WriteWarning("Without -WhatIf this run would stop before its first call (NoToken): " + TokenChain.NotFoundMessage);
            }
        }

        /// <summary>The token for the run, or null in the sandbox; a missing or unusable token stops the command.</summary>
        private string? ResolveToken()
        {
            if (_options!.Sandbox)
            {
                return null;
            }

            var (token, source) = Setup(() => TokenChain.Require(Token, _configured, _stored, (name, vault) => VaultReader.Read(this, name, vault)));
            WriteDebug("API token source: " + source);
            return token;
        }

        /// <summary>Runs engine work; Ctrl+C surfaces as PowerShell's own stop.</summary>
        private void Guard(Action work)
        {
            try
            {
                work();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Runs a setup step; a problem it reports becomes the command's one terminating error, about <paramref name="target"/> unless it names its own.</summary>
        private T Setup<T>(Func<T> step, object? target = null)
        {
            try
            {
                return step();
            }
            catch (RunSetupException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromSetup(ex, target));
                throw;
            }
        }
    }
}
