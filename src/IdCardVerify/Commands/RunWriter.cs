using System;
using System.Management.Automation;
using System.Threading;
using IdCardVerify.Bulk;
using IdCardVerify.Settings;
using IdCardVerify.Resilience;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Writes what becomes of each input, on the pipeline thread: the result, or the error record and,
    /// with -IncludeFailed, a Verdict Error row in its place. It owns the two ways a run declines inputs
    /// without a red block per row: a file-wide input problem (every row without a URL column, files piped
    /// in) is one error, and a failure every later input would repeat (no balance, a bad token) stops the
    /// calls, keeps what was obtained and is reported once at the end with how many inputs were left.
    /// </summary>
    internal sealed class RunWriter
    {
        private readonly PSCmdlet _cmdlet;
        private readonly string? _keyProperty;
        private readonly VerificationRun _run;
        private readonly RunOptions _options;
        private readonly RunReporter _reporter;
        private readonly CancellationToken _stop;
        private readonly bool _stopThrows;
        private object? _stopTarget;
        private string? _refusedShape;
        private long _refusedAlike;
        private long _reviewRows;
        private string? _reviewWarning;

        public RunWriter(PSCmdlet cmdlet, VerificationRun run, RunOptions options, RunReporter reporter, CancellationToken stop, string? keyProperty = null)
        {
            _keyProperty = keyProperty;
            _cmdlet = cmdlet;
            _run = run;
            _options = options;
            _reporter = reporter;
            _stop = stop;
            _stopThrows = ErrorActionIsStop(cmdlet);
        }

        /// <summary>True when input <paramref name="index"/> may be sent; otherwise it has been accounted for here.</summary>
        public bool Admit(PipelineItem item, long index)
        {
            if (_run.StoppedBy != null)
            {
                _run.CountUnverified();
                Queue(index, item, "NotVerified", Words.Format(Text.Input_NotSentStopped, index, _run.StoppedAt, _run.StoppedBy.ErrorId));
                return false;
            }

            var refusal = item.Refusal(index);
            if (refusal == null)
            {
                return true;
            }

            _run.CountInputError();
            if (item.Shape != null && item.Shape == _refusedShape)
            {
                // A file-wide problem is one error, not one per row.
                _refusedAlike++;
            }
            else
            {
                _refusedShape = item.Shape;
                _cmdlet.WriteError(ErrorRecords.Safe(refusal));
            }

            Queue(index, item, refusal.FullyQualifiedErrorId.Split(',')[0], refusal.Exception.Message);
            return false;
        }

        /// <summary>
        /// With -IncludeFailed, the Verdict Error row of an input declined before any call, in its place: through
        /// the engine when earlier inputs are still pending, so the rows come out in input order.
        /// </summary>
        private void Queue(long index, PipelineItem item, string errorId, string message)
        {
            if (!_options.IncludeFailed)
            {
                return;
            }

            var row = ErrorRow(item.Url, errorId, message, null, item.Input, item.LocalPath);
            var work = new WorkItem(index, item.Input, item.Url ?? string.Empty) { Refused = row };
            foreach (var completion in _run.IsStarted ? _run.Submit(work) : new[] { new Completion(work, row, null) })
            {
                Emit(completion);
            }
        }

        /// <summary>After the last completion: the count of inputs skipped alike, and the one report of a stopped run.</summary>
        public void End()
        {
            if (_reviewRows == 1 && _run.InputCount <= 1)
            {
                _cmdlet.WriteWarning(_reviewWarning);
            }
            else if (_reviewRows > 0)
            {
                _cmdlet.WriteWarning(string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    Text.Run_ReviewRows,
                    _reviewRows,
                    _reviewWarning));
            }

            if (_refusedAlike > 0)
            {
                _cmdlet.WriteVerbose(Words.Format(Text.Input_RefusedAlike, _refusedAlike));
            }

            if (_run.StoppedByUser)
            {
                // Asked for: a warning, and the pipeline ends normally with every answer obtained.
                _cmdlet.WriteWarning(_run.UserStopSummary(_options.CheckpointPath));
            }
            else if (_run.StoppedBy is IdCardVerifyApiException reason)
            {
                // After the results the run did obtain; under -ErrorAction Stop it throws, as an error does.
                _cmdlet.WriteError(ErrorRecords.Stopped(reason, _run.StopSummary(), _stopTarget));
            }
        }

        public void Emit(Completion completion)
        {
            if (completion.Result != null)
            {
                if (completion.Item.Refused == null)
                {
                    // An answer from the API (an input refused before any call says nothing of the endpoint).
                    _run.Answered();
                }

                if (completion.Result.Inconsistencies.Length > 0)
                {
                    // Said once at the end of the run (End), not row by row: Reason carries each row's, and a warning a
                    // row would push the progress bar off the screen. A single card's is still said for that card.
                    _reviewRows++;
                    _reviewWarning ??= Shown.Escape(string.IsNullOrEmpty(completion.Result.IdNumber)
                        ? Words.Format(Text.Input_Inconsistent, completion.Item.Index, completion.Result.Inconsistencies)
                        : Words.Format(Text.Input_InconsistentCard, completion.Item.Index, PersonalData.MaskIdNumber(completion.Result.IdNumber), completion.Result.Inconsistencies));
                }

                _cmdlet.WriteObject(ResultOutput.Shape(completion.Result, completion.Item.Input, _keyProperty));
                return;
            }

            switch (completion.Error)
            {
                case IdCardVerifyApiException api when VerificationRun.StopsRun(api) && _stopThrows && _run.StoppedBy == null:
                    // -ErrorAction Stop: the caller asked for the first error to end the statement.
                    _run.Cancel();
                    _reporter.Flush();
                    _reporter.Complete();
                    _run.Dispose();
                    _cmdlet.ThrowTerminatingError(ErrorRecords.FromApi(api, completion.Item.Input));
                    break;
                case IdCardVerifyApiException api when VerificationRun.StopsRun(api) || _run.StoppedBy != null:
                    // Every later input would fail the same way: stop calling, keep what was obtained, report once at the end.
                    if (_run.StoppedBy == null)
                    {
                        _run.Stop(api, completion.Item.Index);
                        _stopTarget = completion.Item.Input;
                    }
                    else
                    {
                        _run.CountUnverified();
                    }

                    EmitFailed(completion.Item, api.ErrorId, api.Message, api.StatusCode, completion.Item.Input);
                    break;
                case IdCardVerifyApiException api when OutageStops(api, completion):
                    EmitFailed(completion.Item, api.ErrorId, api.Message, api.StatusCode, completion.Item.Input);
                    break;
                case IdCardVerifyApiException api:
                    _cmdlet.WriteError(ErrorRecords.FromApi(api, completion.Item.Input));
                    EmitFailed(completion.Item, api.ErrorId, api.Message, api.StatusCode, completion.Item.Input);
                    break;
                case OperationCanceledException _ when _stop.IsCancellationRequested:
                    throw new PipelineStoppedException();
                case OperationCanceledException _:
                    // In flight when the run stopped: never verified.
                    _run.CountUnverified();
                    EmitFailed(completion.Item, "NotVerified", Words.Format(Text.Input_NotVerifiedStopped, completion.Item.Index, _run.StoppedAt, _run.StoppedBy?.ErrorId), null, completion.Item.Input);
                    break;
                case Exception other:
                    _cmdlet.WriteError(ErrorRecords.Safe(new ErrorRecord(other, "UnexpectedError", ErrorCategory.NotSpecified, completion.Item.Input)));
                    EmitFailed(completion.Item, "UnexpectedError", PersonalData.MaskIdNumbersIn(Redaction.Text(other.Message)), null, completion.Item.Input);
                    break;
            }
        }

        /// <summary>True when this failure trips the outage breaker (the run decides, <see cref="VerificationRun.NoteFailure"/>): the run then stops as for a bad token.</summary>
        private bool OutageStops(IdCardVerifyApiException api, Completion completion)
        {
            if (!_run.NoteFailure(api, completion.Item.Index))
            {
                return false;
            }

            _stopTarget = completion.Item.Input;
            return true;
        }

        /// <summary>With -IncludeFailed, the row a failed input yields in its place, its own columns kept.</summary>
        private void EmitFailed(string? url, string errorId, string message, int? statusCode, object? input, string? imagePath = null)
        {
            if (_options.IncludeFailed)
            {
                _cmdlet.WriteObject(ResultOutput.Shape(ErrorRow(url, errorId, message, statusCode, input, imagePath), input, _keyProperty));
            }
        }

        // A file's row names the file; its journal key is not a URL.
        private void EmitFailed(Bulk.WorkItem item, string errorId, string message, int? statusCode, object? input) =>
            EmitFailed(item.ImagePath == null ? item.ImageUrl : null, errorId, message, statusCode, input, item.ImagePath);

        // The Verdict Error row: its URL without credentials, and masked like every result with -MaskPersonalData.
        private VerificationResult ErrorRow(string? url, string errorId, string message, int? statusCode, object? input, string? imagePath = null)
        {
            var row = VerificationResult.ForError(url == null ? null : Redaction.Url(url), _options.Threshold, errorId, Redaction.Text(message), statusCode, input);
            row.ImagePath = imagePath;
            if (_options.MaskPersonalData)
            {
                row.MaskPersonalData();
            }

            row.Reason = Verification.Reasons.For(row);
            return row;
        }

        /// <summary>Whether the caller's error action for this command is Stop (-ErrorAction Stop or $ErrorActionPreference).</summary>
        private static bool ErrorActionIsStop(PSCmdlet cmdlet) =>
            (cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var given) && given is ActionPreference action
                ? action
                : DebugSwitch.ReadPreference(cmdlet, "ErrorActionPreference")) == ActionPreference.Stop;
    }
}
