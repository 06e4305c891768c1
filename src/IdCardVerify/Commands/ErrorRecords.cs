using System;
using System.Management.Automation;
using IdCardVerify.Settings;

namespace IdCardVerify.Commands
{
    /// <summary>Builds the ErrorRecords the cmdlets write, with stable ErrorIds and fitting categories.</summary>
    internal static class ErrorRecords
    {
        /// <summary>
        /// The last net before an error reaches a stream: its target's name (what Windows PowerShell 5.1's default view
        /// prints as <c>CategoryInfo: (…)</c>) and its message shown without secrets, without a URL's credentials, with ID
        /// numbers masked and control characters escaped. The exception and the target object are left as they are.
        /// </summary>
        public static ErrorRecord Safe(ErrorRecord record)
        {
            var target = record.TargetObject;
            var raw = target == null ? null : (target as PSObject)?.BaseObject is System.Collections.IDictionary ? "hashtable" : System.Convert.ToString(target, System.Globalization.CultureInfo.InvariantCulture);
            if (raw != null)
            {
                record.CategoryInfo.TargetName = Redaction.ForDisplay(PersonalData.MaskIdNumbersIn(Shown.Message(raw)));
            }

            var message = record.ErrorDetails?.Message ?? record.Exception?.Message;
            if (message != null)
            {
                var shown = PersonalData.MaskIdNumbersIn(Shown.Message(message));
                if (shown != message)
                {
                    record.ErrorDetails = new ErrorDetails(shown) { RecommendedAction = record.ErrorDetails?.RecommendedAction == null ? null : Shown.Message(record.ErrorDetails.RecommendedAction) };
                }
            }

            return record;
        }

        public static ErrorRecord FromApi(IdCardVerifyApiException ex, object? target)
        {
            var record = new ErrorRecord(ex, ex.ErrorId, CategoryOf(ex.Kind), target);
            var support = ex.TraceId == null ? null : Words.Format(Text.Error_Support, ex.TraceId);
            var action = ex.Advice == null ? support : support == null ? ex.Advice : ex.Advice + " " + support;
            if (action != null)
            {
                // The fix first (top up, set a token, ...), then what support needs.
                record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = action };
            }

            return Safe(record);
        }

        /// <summary>The one terminating error of a setup problem, about <paramref name="target"/> unless it names its own.</summary>
        public static ErrorRecord FromSetup(RunSetupException ex, object? target)
        {
            ErrorCategory category;
            switch (ex.Failure)
            {
                case SetupFailure.Authentication: category = ErrorCategory.AuthenticationError; break;
                case SetupFailure.WriteError: category = ErrorCategory.WriteError; break;
                case SetupFailure.OpenError: category = ErrorCategory.OpenError; break;
                case SetupFailure.ResourceBusy: category = ErrorCategory.ResourceBusy; break;
                case SetupFailure.InvalidData: category = ErrorCategory.InvalidData; break;
                default: category = ErrorCategory.InvalidArgument; break;
            }

            return Safe(new ErrorRecord(ex.Error, ex.ErrorId, category, ex.Target ?? target));
        }

        /// <summary>The one error of a run that stopped: the failure that stopped it, told with how many inputs were left.</summary>
        public static ErrorRecord Stopped(IdCardVerifyApiException reason, string summary, object? target)
        {
            // The exception's own message says it too: a runbook's catch logs $_.Exception.Message.
            var record = FromApi(reason.Retold(summary), target);
            record.ErrorDetails = new ErrorDetails(summary) { RecommendedAction = record.ErrorDetails?.RecommendedAction };
            return Safe(record);
        }

        public static ErrorRecord InvalidInput(string errorId, string message, object? target) =>
            Safe(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target));

        public static ErrorCategory CategoryOf(ApiFailureKind kind)
        {
            switch (kind)
            {
                case ApiFailureKind.Authentication: return ErrorCategory.AuthenticationError;
                case ApiFailureKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case ApiFailureKind.Quota: return ErrorCategory.QuotaExceeded;
                case ApiFailureKind.InvalidRequest: return ErrorCategory.InvalidArgument;
                case ApiFailureKind.Forbidden: return ErrorCategory.PermissionDenied;
                case ApiFailureKind.NotFound: return ErrorCategory.ObjectNotFound;
                case ApiFailureKind.ConnectionFailed: return ErrorCategory.ConnectionError;
                case ApiFailureKind.Timeout: return ErrorCategory.OperationTimeout;
                default: return ErrorCategory.NotSpecified;
            }
        }

        /// <summary>The CurrentUser store holds a value outside the parameters' bounds: one error naming the file, the key and the fix.</summary>
        public static ErrorRecord InvalidStoredSetting(string message) =>
            new ErrorRecord(new ArgumentException(message), "InvalidStoredSetting", ErrorCategory.InvalidData, Settings.UserStore.FilePath);

        /// <summary>Runs engine work; Ctrl+C surfaces as PowerShell's own stop.</summary>
        public static void Guard(Action work, System.Threading.CancellationToken stop)
        {
            try
            {
                work();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Runs a setup step; a problem it reports becomes the command's one terminating error, about <paramref name="target"/> unless it names its own.</summary>
        public static T Setup<T>(Cmdlet cmdlet, Func<T> step, object? target = null)
        {
            try
            {
                return step();
            }
            catch (RunSetupException ex)
            {
                cmdlet.ThrowTerminatingError(FromSetup(ex, target));
                throw;
            }
        }
    }
}
