using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using IdCardVerify.Bulk;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Writes what a run has to report, on the pipeline thread: the workers' queued messages, and a
    /// progress bar updated at most four times a second: rows per second over the last few seconds, the
    /// limit the rate controller holds to and the requests in flight, with a percentage and time left
    /// when the total is known.
    /// </summary>
    internal sealed class RunReporter
    {
        private const int ActivityId = 0x1DCA;
        private static string Activity => Text.Progress_Activity;
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly Cmdlet _cmdlet;
        private readonly VerificationRun _run;
        private readonly long? _total;
        private static readonly TimeSpan RateSpan = TimeSpan.FromSeconds(5);

        private readonly Queue<(TimeSpan At, long Finished)> _recent = new Queue<(TimeSpan, long)>();
        private TimeSpan? _last;

        public RunReporter(Cmdlet cmdlet, VerificationRun run, long? total)
        {
            _cmdlet = cmdlet;
            _run = run;
            _total = total;
        }

        /// <summary>Writes the queued messages, then the progress bar when it is due.</summary>
        public void Tick()
        {
            Flush();
            var record = Progress();
            if (record != null)
            {
                _cmdlet.WriteProgress(record);
            }
        }

        /// <summary>Writes the messages the workers queued.</summary>
        public void Flush()
        {
            foreach (var (kind, message) in _run.Messages.Take())
            {
                // The workers' texts show URLs as Redaction.ForDisplay does; this is the last net before the streams.
                var text = Shown.Message(message);
                if (kind == RunMessageKind.Warning)
                {
                    _cmdlet.WriteWarning(text);
                }
                else
                {
                    _cmdlet.WriteVerbose(text);
                }
            }
        }

        /// <summary>Removes the progress bar, when one was shown.</summary>
        public void Complete()
        {
            if (_last.HasValue)
            {
                _last = null;
                _cmdlet.WriteProgress(new ProgressRecord(ActivityId, Activity, Text.Progress_Done) { RecordType = ProgressRecordType.Completed });
            }
        }

        private ProgressRecord? Progress()
        {
            var run = _run;
            var now = run.Elapsed;
            if (!run.IsStarted || (_last.HasValue && now - _last.Value < Interval))
            {
                return null;
            }

            _last = now;
            var done = run.Succeeded;
            var failed = run.Failed;
            var finished = done + failed;
            // Rows per second now: over the last few seconds, so a rate that changed mid-run shows.
            _recent.Enqueue((now, finished));
            while (_recent.Count > 2 && now - _recent.Peek().At > RateSpan)
            {
                _recent.Dequeue();
            }

            var (since, before) = _recent.Count > 1 ? _recent.Peek() : (TimeSpan.Zero, 0L);
            var span = (now - since).TotalSeconds;
            var rate = span > 0 ? (finished - before) / span : 0;
            var limit = run.FoundLimit;
            var peers = run.Peers;
            var status = string.Format(CultureInfo.InvariantCulture, Text.Progress_Status, done, failed, run.InFlight, rate,
                double.IsInfinity(limit) ? string.Empty : string.Format(CultureInfo.InvariantCulture, Text.Progress_Limit, limit),
                peers > 0 ? string.Format(CultureInfo.InvariantCulture, Text.Progress_Sharing, peers) : string.Empty);
            var record = new ProgressRecord(ActivityId, Activity, status);
            if (_total.HasValue && _total.Value > 0)
            {
                record.PercentComplete = (int)Math.Min(100, finished * 100 / _total.Value);
                if (rate > 0)
                {
                    record.SecondsRemaining = (int)Math.Max(0, (_total.Value - finished) / rate);
                }
            }

            return record;
        }

        /// <summary>
        /// A -WhatIf run makes no call: what it would cost, on the host as Write-Host writes it, and, since it never meets
        /// the missing token the real run would stop at, say so.
        /// </summary>
        public static void WhatIf(Cmdlet cmdlet, long skipped, bool sandbox, long resumed, bool tokenMissing)
        {
            var count = sandbox
                ? Words.Format(Text.WhatIf_Sandbox, skipped)
                : Words.Format(Text.WhatIf_Billable, skipped, resumed > 0 ? Words.Format(Text.WhatIf_Resumed, resumed) : string.Empty);
            cmdlet.WriteInformation(new HostInformationMessage { Message = count }, new[] { "PSHOST" });
            if (tokenMissing)
            {
                cmdlet.WriteWarning(Words.Format(Text.WhatIf_NoToken, Settings.TokenChain.NotFoundMessage));
            }
        }
    }
}
