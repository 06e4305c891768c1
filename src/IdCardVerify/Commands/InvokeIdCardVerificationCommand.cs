using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using IdCardVerify.Bulk;
using IdCardVerify.Commands;
using IdCardVerify.Settings;
using IdCardVerify.Verification;

namespace IdCardVerify
{
    /// <summary>
    /// Verifies ID card images through the API (or the sandbox): one result per input. The cmdlet binds,
    /// asks ShouldProcess and writes; <see cref="RunOptions"/> resolves the options, <see cref="PipelineInput"/>
    /// reads the inputs, <see cref="VerificationRun"/> does the work, <see cref="ResultOutput"/> shapes the output.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "IdCardVerification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = UrlSet)]
    [OutputType(typeof(VerificationResult))]
    public sealed partial class InvokeIdCardVerificationCommand : RunOptionsCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private RunOptions? _options;
        private VerificationRun? _run;
        private RunReporter? _reporter;
        private SettingsValues _configured = new SettingsValues();
        private SettingsValues _stored = new SettingsValues();
        private long _whatIfSkipped;
        private ColumnChoice? _columns;
        private bool _saidNameNotCompared;
        private bool _saidIdentityColumns;
        private ConsoleBreak? _break;
        private RunWriter? _writer;

        /// <summary>The parameter sets: images by URL (and rows, with their URL or path columns), by -Path, by -LiteralPath.</summary>
        internal const string UrlSet = "Url";
        internal const string PathSet = "Path";
        internal const string LiteralPathSet = "LiteralPath";

        /// <summary>The http(s) URL of the ID card image.</summary>
        [Parameter(ParameterSetName = UrlSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("image_url", "Url", "Uri", "ImageUri")]
        [AllowNull]
        [AllowEmptyString]
        public string?[]? ImageUrl { get; set; }

        /// <summary>The ID number the row says the card's person has (a 身份证号 column): a card with another is never a Match.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("IdNumber", "IDNo", "身份证号", "身份证号码", "证件号码", "公民身份号码", "身份证件号码", "证件号")]
        [AllowNull]
        [AllowEmptyString]
        public string? ExpectedIdNumber { get; set; }

        /// <summary>The name the row says the card's person has (a 姓名 column); compared only when written in Chinese characters.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "姓名", "员工姓名", "人员姓名", "职工姓名", "申请人姓名", "申请人")]
        [AllowNull]
        [AllowEmptyString]
        public string? ExpectedName { get; set; }

        /// <summary>The column of the rows that holds the image URL (照片链接, say), when it is not named ImageUrl.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImageUrlProperty { get; set; }

        /// <summary>The column that says who a row is (EmployeeId, 工号), shown first in the default table as Key; the row's first plain column when not given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? KeyProperty { get; set; }

        /// <summary>The pipeline object (a CSV row): carried to the result's InputObject and its columns kept.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>A raw config JSON object, sent as-is instead of the switches.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigJson { get; set; }

        /// <summary>The API token for this call.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? Token { get; set; }

        /// <summary>An append-only journal: rerunning with the same file skips inputs already verified.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CheckpointPath { get; set; }

        /// <summary>When the -CheckpointPath journal was written under other settings (endpoint, sandbox, config), move it aside and begin a new one instead of stopping.</summary>
        [Parameter]
        public SwitchParameter RestartCheckpoint { get; set; }

        /// <summary>Write each portrait as a JPEG file in this folder; its path goes on the result.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PortraitDirectory { get; set; }

        /// <summary>Mask names, ID numbers, birth dates and addresses in the result objects themselves, and drop the portrait.</summary>
        [Parameter]
        public SwitchParameter MaskPersonalData { get; set; }

        /// <summary>How many inputs to expect, for progress percentage and time remaining when piping.</summary>
        [Parameter]
        [ValidateRange(Bounds.MinTotalCount, Bounds.MaxTotalCount)]
        public long TotalCount { get; set; }

        protected override void BeginProcessing()
        {
            // First, so that not even the store's warning prompts under -Debug.
            DebugSwitch.MakeSafe(this);
            _configured = EffectiveSettings.Load(Session.Key, out _stored, out var storeWarning);
            if (storeWarning != null)
            {
                WriteWarning(storeWarning);
            }

            if (_stored.InvalidStored != null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidStoredSetting(_stored.InvalidStored));
            }

            long? inputCount = !MyInvocation.ExpectingInput && ImageUrl != null ? ImageUrl.Length : (long?)null;
            _options = Setup(() => RunOptions.Resolve(BoundParameters.Of(this), _configured, SessionState.Path.GetUnresolvedProviderPathFromPSPath, inputCount));
            _run = new VerificationRun(_options, _stop.Token);
            _reporter = new RunReporter(this, _run, _options.TotalCount);
            _writer = new RunWriter(this, _run, _options, _reporter, _stop.Token, KeyProperty);
            Setup(() => { _run.PreparePortraitDirectory(); return true; }, PortraitDirectory);
            if (_options.ConfigJson != null)
            {
                WriteVerbose(Shown.Message("Sending config " + _options.ConfigJson));
            }

            string? journalVerbose = null;
            foreach (var warning in Setup(() => _run.OpenJournal(out journalVerbose), CheckpointPath))
            {
                WriteWarning(Shown.Message(warning));
            }

            if (journalVerbose != null)
            {
                WriteVerbose(Shown.Message(journalVerbose));
            }
        }

        protected override void ProcessRecord()
        {
            _columns ??= new ColumnChoice(ImageUrlProperty, ImagePathProperty) { ImageRoot = ImageRoot == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ImageRoot) };
            foreach (var item in Inputs())
            {
                if (_columns.SayOnce != null)
                {
                    WriteVerbose(Shown.Message(_columns.SayOnce));
                    _columns.SayOnce = null;
                }

                if (!_saidIdentityColumns && InputObject != null && !(InputObject.BaseObject is string))
                {
                    _saidIdentityColumns = true;
                    if (RowColumns.IdentityColumns(PipelineInput.Columns(InputObject)) is string columns)
                    {
                        WriteVerbose(Shown.Message(columns));
                    }
                }

                if (item.Expected.NameNotComparable && !_saidNameNotCompared)
                {
                    _saidNameNotCompared = true;
                    WriteVerbose("The rows' names (ExpectedName, a Name or 姓名 column) are not all written in Chinese characters (a romanised name, a login): such a name is not compared with the card's, only the ID number is. A card's name is compared when the row's is Chinese.");
                }

                ProcessOne(item);
            }
        }

        protected override void EndProcessing()
        {
            if (_run != null && _run.IsStarted)
            {
                Guard(() =>
                {
                    foreach (var completion in _run.Drain())
                    {
                        _writer!.Emit(completion);
                    }
                });
                _reporter!.Flush();
                WriteVerbose(_run.Summary());
            }

            _break?.Dispose();
            _reporter?.Complete();
            _writer?.End();

            WarnIfWhatIfWithoutToken();
            Dispose();
        }

        protected override void StopProcessing()
        {
            _stop.Cancel();
            _run?.Cancel();
        }

        /// <summary>Called by PowerShell when the command ends, stopped or not: closes the journal and cancels the engine.</summary>
        public void Dispose()
        {
            _break?.Dispose();
            _run?.Dispose();
        }
    }
}
