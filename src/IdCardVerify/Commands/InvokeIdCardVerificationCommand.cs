using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using IdCardVerify.Bulk;
using IdCardVerify.Client;
using IdCardVerify.Settings;

namespace IdCardVerify.Commands
{
    /// <summary>Verifies ID card images through the API (or the sandbox): one result per input.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "IdCardVerification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VerificationResult))]
    public sealed class InvokeIdCardVerificationCommand : PSCmdlet, IDisposable
    {
        private static readonly string[] UrlPropertyNames = { "ImageUrl", "image_url", "Url", "Uri", "ImageUri" };
        private static readonly HashSet<string> ResultPropertyNames = new HashSet<string>(
            typeof(VerificationResult).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

        private const int ProgressActivityId = 0x1DCA;

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private VerificationEngine? _engine;
        private CheckpointJournal? _journal;
        private SettingsValues _settings = new SettingsValues();
        private SettingsValues _stored = new SettingsValues();
        private string? _configJson;
        private double _threshold;
        private bool _sandbox;
        private Uri _endpoint = IdCardVerifyClient.DefaultEndpoint;
        private string? _portraitDirectory;
        private long _index;
        private long _inputErrors;
        private long _resumed;
        private long? _total;
        private TimeSpan? _lastProgress;

        /// <summary>The http(s) URL of the ID card image.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("image_url", "Url", "Uri", "ImageUri")]
        [AllowNull]
        [AllowEmptyString]
        public string?[]? ImageUrl { get; set; }

        /// <summary>The pipeline object (a CSV row): carried to the result's InputObject and its columns kept.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>Warn (and stop) on photocopies.</summary>
        [Parameter]
        public SwitchParameter CopyWarn { get; set; }

        /// <summary>Warn on an incomplete border or something covering the card.</summary>
        [Parameter]
        public SwitchParameter BorderCheckWarn { get; set; }

        /// <summary>Warn on a screen recapture.</summary>
        [Parameter]
        public SwitchParameter ReshootWarn { get; set; }

        /// <summary>Warn on suspected tampering.</summary>
        [Parameter]
        public SwitchParameter DetectPsWarn { get; set; }

        /// <summary>Warn on a temporary ID card.</summary>
        [Parameter]
        public SwitchParameter TempIdWarn { get; set; }

        /// <summary>Run the quality (blur) check.</summary>
        [Parameter]
        public SwitchParameter QualityWarn { get; set; }

        /// <summary>A raw config JSON object, sent as-is instead of the switches.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigJson { get; set; }

        /// <summary>Spelling of the config keys.</summary>
        [Parameter]
        public ConfigKeyStyle ConfigKeyStyle { get; set; }

        /// <summary>The similarity (0-100) at or above which a result is a match.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ThresholdCompleter))]
        [ValidateRange(0.0, 100.0)]
        public double Threshold { get; set; }

        /// <summary>The API token for this call.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? Token { get; set; }

        /// <summary>The API URL (or a gateway's base URL).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EndpointCompleter))]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        /// <summary>Answer from the built-in simulator: no network, no token, no cost.</summary>
        [Parameter]
        public SwitchParameter Sandbox { get; set; }

        /// <summary>Requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; }

        /// <summary>Seconds to wait for one answer.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; }

        /// <summary>Retries after the first attempt for 429, 5xx and network failures.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; }

        /// <summary>Client-side rate limit for the whole run; 0 turns it off.</summary>
        [Parameter]
        [ValidateRange(0.0, 10000.0)]
        public double RequestsPerSecond { get; set; }

        /// <summary>An append-only journal: rerunning with the same file skips inputs already verified.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CheckpointPath { get; set; }

        /// <summary>Write each portrait as a JPEG file in this folder; its path goes on the result.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PortraitDirectory { get; set; }

        /// <summary>Mask names, ID numbers, birth dates and addresses in the result objects themselves, and drop the portrait.</summary>
        [Parameter]
        public SwitchParameter MaskPersonalData { get; set; }

        /// <summary>How many inputs to expect, for progress percentage and time remaining when piping.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long TotalCount { get; set; }

        protected override void BeginProcessing()
        {
            _settings = EffectiveSettings.Load(out _stored, out var storeWarning);
            if (storeWarning != null)
            {
                WriteWarning(storeWarning);
            }

            var bound = MyInvocation.BoundParameters;
            _threshold = bound.ContainsKey(nameof(Threshold)) ? Threshold : _settings.Threshold ?? Defaults.Threshold;
            _sandbox = bound.ContainsKey(nameof(Sandbox)) ? Sandbox.IsPresent : _settings.Sandbox ?? false;
            if (bound.ContainsKey(nameof(TotalCount)))
            {
                _total = TotalCount;
            }
            else if (!MyInvocation.ExpectingInput && ImageUrl != null)
            {
                _total = ImageUrl.Length;
            }

            try
            {
                _endpoint = EndpointPolicy.Validate(Endpoint ?? _settings.Endpoint ?? IdCardVerifyClient.DefaultEndpoint);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidEndpoint", ErrorCategory.InvalidArgument, Endpoint));
            }

            if (PortraitDirectory != null)
            {
                _portraitDirectory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(PortraitDirectory);
                try
                {
                    Directory.CreateDirectory(_portraitDirectory);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new IOException($"The portrait folder '{_portraitDirectory}' cannot be created: {ex.Message} Pick a folder you can write to.", ex),
                        "PortraitDirectoryUnusable",
                        ErrorCategory.WriteError,
                        PortraitDirectory));
                }
            }

            _configJson = BuildConfig(bound);
            if (_configJson != null)
            {
                WriteVerbose("Sending config " + _configJson);
            }

            if (CheckpointPath != null)
            {
                OpenJournal(SessionState.Path.GetUnresolvedProviderPathFromPSPath(CheckpointPath));
            }
        }

        protected override void ProcessRecord()
        {
            if (ImageUrl != null && ImageUrl.Length > 1)
            {
                // An array passed by parameter: each element is an input of its own.
                foreach (var url in ImageUrl)
                {
                    ProcessOne(url, url, missingColumnMessage: null);
                }

                return;
            }

            // The result's InputObject: the string or Uri itself, or the whole row (a PSObject, columns and all).
            var single = ImageUrl == null || ImageUrl.Length == 0 ? null : ImageUrl[0];
            object? input = InputObject == null ? single
                : InputObject.BaseObject is string || InputObject.BaseObject is Uri ? InputObject.BaseObject
                : InputObject;
            var found = UrlOf(InputObject, single, out var missingColumnMessage);
            ProcessOne(found, input, missingColumnMessage);
        }

        protected override void EndProcessing()
        {
            if (_engine != null)
            {
                try
                {
                    foreach (var completion in _engine.Drain())
                    {
                        Emit(completion);
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                FlushMessages();
                WriteVerbose(string.Format(
                    CultureInfo.InvariantCulture,
                    "Done: {0} verified ({1} from the checkpoint journal), {2} failed, in {3:0.0} s.",
                    _engine.Succeeded,
                    _resumed,
                    _engine.Failed + _inputErrors,
                    _clock.Elapsed.TotalSeconds));
            }

            CompleteProgress();
            ReleaseResources();
        }

        protected override void StopProcessing()
        {
            _stop.Cancel();
            _engine?.Cancel();
        }

        /// <summary>Called by PowerShell when the command ends, stopped or not: closes the journal and cancels the engine.</summary>
        public void Dispose()
        {
            ReleaseResources();
        }

        private void ReleaseResources()
        {
            _engine?.Dispose();
            _engine = null;
            _journal?.Dispose();
            _journal = null;
        }

        private void ProcessOne(string? url, object? input, string? missingColumnMessage)
        {
            _index++;
            if (missingColumnMessage != null)
            {
                _inputErrors++;
                WriteError(ErrorRecords.InvalidInput("MissingImageUrl", missingColumnMessage, input));
                return;
            }

            var problem = ImageUrls.Problem(url);
            if (problem != null)
            {
                _inputErrors++;
                WriteError(ErrorRecords.InvalidInput(
                    "InvalidImageUrl",
                    $"Input {_index} ('{ImageUrls.ForDisplay(url)}') was not sent: {problem}",
                    input));
                return;
            }

            url = url!.Trim();
            WorkItem item;
            if (_journal != null && _journal.TryGet(url, _configJson, _threshold, out var resumed))
            {
                // Already verified and paid for in an earlier run: re-emit it, call nothing.
                _resumed++;
                item = new WorkItem(_index, input, url, resumed);
            }
            else
            {
                var action = _sandbox ? "Verify the ID card image in the sandbox (no cost)" : "Verify the ID card image (a billable API call)";
                if (!ShouldProcess(ImageUrls.ForDisplay(url), action))
                {
                    return;
                }

                item = new WorkItem(_index, input, url);
            }

            EnsureEngine();
            try
            {
                foreach (var completion in _engine!.Submit(item))
                {
                    Emit(completion);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            FlushMessages();
            UpdateProgress();
        }

        private void OpenJournal(string path)
        {
            var warnings = new List<string>();
            try
            {
                _journal = CheckpointJournal.Open(path, warnings);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new IOException($"The checkpoint journal '{path}' cannot be opened: {ex.Message} Is another run using it? Pick another path or wait for that run to end.", ex),
                    "CheckpointUnusable",
                    ErrorCategory.OpenError,
                    CheckpointPath));
            }

            foreach (var warning in warnings)
            {
                WriteWarning(warning);
            }

            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Checkpoint journal '{0}' holds {1} verified input(s); those are re-emitted without calling the API.", path, _journal!.Count));
        }

        private void EnsureEngine()
        {
            if (_engine != null)
            {
                return;
            }

            string? token = null;
            if (!_sandbox)
            {
                if (Token != null && TokenChain.IsBlank(Token))
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException("-Token is empty (or only whitespace or a bare \"Bearer\"). Pass the token the vendor issued, or leave -Token out to use the configured one."),
                        "EmptyToken",
                        ErrorCategory.InvalidArgument,
                        null));
                }

                var (resolved, source) = TokenChain.Resolve(Token, _settings, _stored);
                if (resolved == null)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException(TokenChain.NotFoundMessage), "NoToken", ErrorCategory.AuthenticationError, null));
                }

                var problem = TokenChain.FormatProblem(resolved!);
                if (problem != null)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException(problem + " (token source: " + source + ")"), "InvalidTokenFormat", ErrorCategory.AuthenticationError, null));
                }

                WriteDebug("API token source: " + source);
                token = resolved;
            }

            var bound = MyInvocation.BoundParameters;
            var timeoutSec = bound.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : _settings.TimeoutSec ?? Defaults.TimeoutSec;
            var throttle = bound.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : _settings.ThrottleLimit ?? Defaults.ThrottleLimit;
            var retries = bound.ContainsKey(nameof(MaxRetries)) ? MaxRetries : _settings.MaxRetries ?? Defaults.MaxRetries;
            var rate = bound.ContainsKey(nameof(RequestsPerSecond)) ? RequestsPerSecond : _settings.RequestsPerSecond ?? Defaults.RequestsPerSecond;
            WriteVerbose(string.Format(
                CultureInfo.InvariantCulture,
                "{0}; ThrottleLimit {1}, RequestsPerSecond {2}, MaxRetries {3}, TimeoutSec {4}, Threshold {5}.",
                _sandbox ? "Sandbox (no network, no cost)" : "Endpoint " + _endpoint,
                throttle,
                rate <= 0 ? "unlimited" : rate.ToString(CultureInfo.InvariantCulture),
                retries,
                timeoutSec,
                _threshold));

            var client = new IdCardVerifyClient(_sandbox ? HttpClients.Sandbox : HttpClients.Network, _endpoint, token, TimeSpan.FromSeconds(timeoutSec));
            VerificationEngine? engine = null;
            void Post(EngineMessageKind kind, string text) => engine?.Post(kind, text);
            var sender = new ResilientSender(client, new RetryPolicy { MaxRetries = retries }, new RateLimiter(rate), text => Post(EngineMessageKind.Verbose, text));
            var verifier = new Verifier(sender, _configJson, _threshold, _journal, _portraitDirectory, Post) { MaskPersonalData = MaskPersonalData.IsPresent };
            engine = new VerificationEngine(verifier.VerifyAsync, throttle, _stop.Token, OnWait);
            _engine = engine;
        }

        private void OnWait()
        {
            FlushMessages();
            UpdateProgress();
        }

        private void FlushMessages()
        {
            if (_engine == null)
            {
                return;
            }

            foreach (var (kind, text) in _engine.TakeMessages())
            {
                if (kind == EngineMessageKind.Warning)
                {
                    WriteWarning(text);
                }
                else
                {
                    WriteVerbose(text);
                }
            }
        }

        private void UpdateProgress()
        {
            var now = _clock.Elapsed;
            if (_engine == null || (_lastProgress.HasValue && now - _lastProgress.Value < TimeSpan.FromMilliseconds(250)))
            {
                return;
            }

            _lastProgress = now;
            var done = _engine.Succeeded;
            var failed = _engine.Failed + _inputErrors;
            var finished = done + failed;
            var rate = now.TotalSeconds > 0 ? finished / now.TotalSeconds : 0;
            var status = string.Format(
                CultureInfo.InvariantCulture,
                "{0} verified, {1} failed, {2} in flight, {3:0.0}/s",
                done,
                failed,
                _engine.InFlight,
                rate);
            var record = new ProgressRecord(ProgressActivityId, "Verifying ID cards", status);
            if (_total.HasValue && _total.Value > 0)
            {
                record.PercentComplete = (int)Math.Min(100, finished * 100 / _total.Value);
                if (rate > 0)
                {
                    record.SecondsRemaining = (int)Math.Max(0, (_total.Value - finished) / rate);
                }
            }

            WriteProgress(record);
        }

        private void CompleteProgress()
        {
            if (!_lastProgress.HasValue)
            {
                return;
            }

            WriteProgress(new ProgressRecord(ProgressActivityId, "Verifying ID cards", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void Emit(Completion completion)
        {
            if (completion.Result != null)
            {
                if (completion.Result.Inconsistencies.Length > 0)
                {
                    WriteWarning($"Input {completion.Item.Index}: {completion.Result.Inconsistencies}.");
                }

                WriteObject(ToOutput(completion.Result, completion.Item.Input));
                return;
            }

            switch (completion.Error)
            {
                case IdCardVerifyApiException api when api.StopsRun:
                    // Every later input would fail the same way: stop once, not once per row.
                    _engine?.Cancel();
                    FlushMessages();
                    CompleteProgress();
                    ReleaseResources();
                    ThrowTerminatingError(ErrorRecords.FromApi(api, completion.Item.Input));
                    break;
                case IdCardVerifyApiException api:
                    WriteError(ErrorRecords.FromApi(api, completion.Item.Input));
                    break;
                case OperationCanceledException _ when _stop.IsCancellationRequested:
                    throw new PipelineStoppedException();
                case OperationCanceledException _:
                    // Cancelled because an earlier input stopped the run: that error has been thrown.
                    break;
                case Exception other:
                    WriteError(new ErrorRecord(other, "UnexpectedError", ErrorCategory.NotSpecified, completion.Item.Input));
                    break;
            }
        }

        /// <summary>
        /// The URL of this input: the bound ImageUrl, or null with a message when a row has no URL column.
        /// </summary>
        private string? UrlOf(PSObject? input, string? boundUrl, out string? missingColumnMessage)
        {
            missingColumnMessage = null;
            if (input == null || input.BaseObject is string || input.BaseObject is Uri)
            {
                return boundUrl ?? (input?.BaseObject as Uri)?.OriginalString;
            }

            foreach (var name in UrlPropertyNames)
            {
                var property = input.Properties[name];
                if (property != null)
                {
                    // Bound by property name when piped; read here when the row came as -InputObject.
                    return boundUrl ?? property.Value?.ToString();
                }
            }

            var columns = string.Join(", ", input.Properties.Select(p => p.Name).Take(12));
            missingColumnMessage = string.Format(
                CultureInfo.InvariantCulture,
                "Input {0} has no image URL: it has the properties {1}, but none named {2}. Rename the column, or map it: Select-Object *, @{{n='ImageUrl';e={{$_.YourColumn}}}}.",
                _index,
                columns.Length == 0 ? "(none)" : columns,
                string.Join(", ", UrlPropertyNames));
            return null;
        }

        /// <summary>Wraps the result and copies a CSV row's own columns onto it, so they survive to Export-Csv.</summary>
        private static PSObject ToOutput(VerificationResult result, object? input)
        {
            var output = new PSObject(result);
            if (input is PSObject row && !(row.BaseObject is string))
            {
                foreach (var property in row.Properties)
                {
                    if (property.MemberType != PSMemberTypes.NoteProperty
                        || UrlPropertyNames.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    // A column named like a result property (Name, say) is kept as InputName.
                    var name = ResultPropertyNames.Contains(property.Name) ? "Input" + property.Name : property.Name;
                    if (!ResultPropertyNames.Contains(name) && output.Properties[name] == null)
                    {
                        output.Properties.Add(new PSNoteProperty(name, property.Value));
                    }
                }
            }

            return output;
        }

        private string? BuildConfig(Dictionary<string, object> bound)
        {
            if (ConfigJson != null)
            {
                var passed = WarningSwitches.All.Where(s => bound.ContainsKey(s.Name)).Select(s => "-" + s.Name).ToArray();
                if (passed.Length > 0)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException($"-ConfigJson sends the config as given, so it cannot be combined with {string.Join(", ", passed)}. Put those keys into the JSON, or drop -ConfigJson."),
                        "ConfigJsonWithSwitches",
                        ErrorCategory.InvalidArgument,
                        ConfigJson));
                }

                var reason = RequestConfig.Validate(ConfigJson);
                if (reason != null)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException($"-ConfigJson must be a JSON object such as '{{\"copy_warn\":true}}': {reason}"),
                        "InvalidConfigJson",
                        ErrorCategory.InvalidArgument,
                        ConfigJson));
                }

                return ConfigJson;
            }

            var configured = _settings.WarningChecks ?? WarningChecks.None;
            var checks = WarningSwitches.Apply(bound, configured) ?? configured;

            var style = bound.ContainsKey(nameof(ConfigKeyStyle)) ? ConfigKeyStyle : _settings.ConfigKeyStyle ?? ConfigKeyStyle.Documented;
            return RequestConfig.Build(checks, style);
        }
    }
}
