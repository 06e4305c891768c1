using System;
using System.Collections.Generic;
using System.Globalization;
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
    public sealed class InvokeIdCardVerificationCommand : PSCmdlet
    {
        private static readonly string[] UrlPropertyNames = { "ImageUrl", "image_url", "Url", "Uri", "ImageUri" };
        private static readonly HashSet<string> ResultPropertyNames = new HashSet<string>(
            typeof(VerificationResult).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private VerificationEngine? _engine;
        private IdCardVerifyClient? _client;
        private SettingsValues _settings = new SettingsValues();
        private string? _configJson;
        private double _threshold;
        private bool _sandbox;
        private Uri _endpoint = IdCardVerifyClient.DefaultEndpoint;
        private long _index;

        /// <summary>The http(s) URL of the ID card image.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("image_url", "Url", "Uri", "ImageUri")]
        [AllowNull]
        [AllowEmptyString]
        public string? ImageUrl { get; set; }

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
        [ValidateRange(0.0, 100.0)]
        public double Threshold { get; set; }

        /// <summary>The API token for this call.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? Token { get; set; }

        /// <summary>The API URL (or a gateway's base URL).</summary>
        [Parameter]
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

        protected override void BeginProcessing()
        {
            _settings = SessionSettings.Current;
            var bound = MyInvocation.BoundParameters;
            _threshold = bound.ContainsKey(nameof(Threshold)) ? Threshold : _settings.Threshold ?? Defaults.Threshold;
            _sandbox = bound.ContainsKey(nameof(Sandbox)) ? Sandbox.IsPresent : _settings.Sandbox ?? false;

            try
            {
                _endpoint = EndpointPolicy.Validate(Endpoint ?? _settings.Endpoint ?? IdCardVerifyClient.DefaultEndpoint);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidEndpoint", ErrorCategory.InvalidArgument, Endpoint));
            }

            _configJson = BuildConfig(bound);
            if (_configJson != null)
            {
                WriteVerbose("Sending config " + _configJson);
            }
        }

        protected override void ProcessRecord()
        {
            _index++;
            // The result's InputObject: the string or Uri itself, or the whole row (a PSObject, columns and all).
            object? input = InputObject == null ? ImageUrl
                : InputObject.BaseObject is string || InputObject.BaseObject is Uri ? InputObject.BaseObject
                : InputObject;
            var url = UrlOf(InputObject, out var missingColumnMessage);
            if (missingColumnMessage != null)
            {
                WriteError(ErrorRecords.InvalidInput("MissingImageUrl", missingColumnMessage, input));
                return;
            }

            var problem = ImageUrls.Problem(url);
            if (problem != null)
            {
                WriteError(ErrorRecords.InvalidInput(
                    "InvalidImageUrl",
                    $"Input {_index} ('{ImageUrls.ForDisplay(url)}') was not sent: {problem}",
                    input));
                return;
            }

            url = url!.Trim();
            var action = _sandbox ? "Verify the ID card image in the sandbox (no cost)" : "Verify the ID card image (a billable API call)";
            if (!ShouldProcess(url, action))
            {
                return;
            }

            EnsureEngine();
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Input {0}: POST {1} for {2}", _index, _sandbox ? "sandbox" : _endpoint.ToString(), ImageUrls.ForDisplay(url)));
            foreach (var completion in _engine!.Submit(new WorkItem(_index, input, url)))
            {
                Emit(completion);
            }
        }

        protected override void EndProcessing()
        {
            if (_engine == null)
            {
                return;
            }

            foreach (var completion in _engine.Drain())
            {
                Emit(completion);
            }
        }

        protected override void StopProcessing()
        {
            _stop.Cancel();
            _engine?.Cancel();
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
                var (resolved, source) = TokenChain.Resolve(Token, _settings);
                if (resolved == null)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException(TokenChain.NotFoundMessage), "NoToken", ErrorCategory.AuthenticationError, null));
                }

                WriteDebug("API token source: " + source);
                token = resolved;
            }

            var timeoutSec = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : _settings.TimeoutSec ?? Defaults.TimeoutSec;
            var throttle = MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : _settings.ThrottleLimit ?? Defaults.ThrottleLimit;
            _client = new IdCardVerifyClient(_sandbox ? HttpClients.Sandbox : HttpClients.Network, _endpoint, token, TimeSpan.FromSeconds(timeoutSec));
            var client = _client;
            var config = _configJson;
            var threshold = _threshold;
            _engine = new VerificationEngine((item, cancel) => client.SendAsync(item.ImageUrl, config, threshold, 1, cancel), throttle, _stop.Token);
        }

        private void Emit(Completion completion)
        {
            if (completion.Result != null)
            {
                WriteObject(ToOutput(completion.Result, completion.Item.Input));
                return;
            }

            switch (completion.Error)
            {
                case IdCardVerifyApiException api when api.StopsRun:
                    // Every later input would fail the same way: stop once, not once per row.
                    _engine?.Cancel();
                    ThrowTerminatingError(ErrorRecords.FromApi(api, completion.Item.Input));
                    break;
                case IdCardVerifyApiException api:
                    WriteError(ErrorRecords.FromApi(api, completion.Item.Input));
                    break;
                case OperationCanceledException _:
                    // Stopped (Ctrl+C): PowerShell ends the pipeline; nothing to write.
                    break;
                case Exception other:
                    WriteError(new ErrorRecord(other, "UnexpectedError", ErrorCategory.NotSpecified, completion.Item.Input));
                    break;
            }
        }

        /// <summary>
        /// The URL of this input: the bound ImageUrl, or null with a message when a row has no URL column.
        /// </summary>
        private string? UrlOf(PSObject? input, out string? missingColumnMessage)
        {
            missingColumnMessage = null;
            if (input == null || input.BaseObject is string || input.BaseObject is Uri)
            {
                return ImageUrl ?? (input?.BaseObject as Uri)?.OriginalString;
            }

            foreach (var name in UrlPropertyNames)
            {
                if (input.Properties[name] != null)
                {
                    return ImageUrl;
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
            var switches = new (string Name, SwitchParameter Value, WarningChecks Check)[]
            {
                (nameof(CopyWarn), CopyWarn, WarningChecks.Copy),
                (nameof(BorderCheckWarn), BorderCheckWarn, WarningChecks.BorderCheck),
                (nameof(ReshootWarn), ReshootWarn, WarningChecks.Reshoot),
                (nameof(DetectPsWarn), DetectPsWarn, WarningChecks.DetectPs),
                (nameof(TempIdWarn), TempIdWarn, WarningChecks.TempId),
                (nameof(QualityWarn), QualityWarn, WarningChecks.Quality),
            };

            if (ConfigJson != null)
            {
                var passed = switches.Where(s => bound.ContainsKey(s.Name)).Select(s => "-" + s.Name).ToArray();
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

            var checks = _settings.WarningChecks ?? WarningChecks.None;
            foreach (var s in switches)
            {
                if (bound.ContainsKey(s.Name))
                {
                    checks = s.Value.IsPresent ? checks | s.Check : checks & ~s.Check;
                }
            }

            var style = bound.ContainsKey(nameof(ConfigKeyStyle)) ? ConfigKeyStyle : _settings.ConfigKeyStyle ?? ConfigKeyStyle.Documented;
            return RequestConfig.Build(checks, style);
        }
    }
}
