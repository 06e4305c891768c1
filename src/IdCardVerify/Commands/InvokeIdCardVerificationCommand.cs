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
    public sealed class InvokeIdCardVerificationCommand : RunOptionsCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private RunOptions? _options;
        private VerificationRun? _run;
        private RunReporter? _reporter;
        private SettingsValues _configured = new SettingsValues();
        private SettingsValues _stored = new SettingsValues();
        private long _whatIfSkipped;
        private ColumnChoice? _columns;
        private readonly RowNotes _notes = new RowNotes();
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

        /// <summary>Local image files (wildcards allowed): each is checked, shrunk to the API's limit when needed, and staged privately for the API to download.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>Local image files, as written (no wildcards); Get-ChildItem's files bind here.</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>The column of the rows that holds a local file's path (照片路径, say), when it is not named ImagePath or Path.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImagePathProperty { get; set; }

        /// <summary>
        /// The folder a sheet's photo files are in: relative paths of a path column (ImagePath, -ImagePathProperty) resolve
        /// there instead of the current folder, and no path may leave it (ImageOutsideRoot).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImageRoot { get; set; }

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
            foreach (var item in PathInputs.Read(this, _columns))
            {
                foreach (var note in _notes.For(item, InputObject, _columns))
                {
                    WriteVerbose(note);
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

            if (_options != null && _whatIfSkipped > 0)
            {
                var tokenMissing = !_options.Sandbox && TokenChain.Resolve(Token, _configured, _stored).Source == TokenSource.None;
                RunReporter.WhatIf(this, _whatIfSkipped, _options.Sandbox, _run?.Resumed ?? 0, tokenMissing);
            }
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
                var action = _options!.Sandbox ? Text.WhatIf_ActionSandbox : Text.WhatIf_Action;
                if (!ShouldProcess(path != null ? Shown.Escape(PersonalData.MaskIdNumbersIn(path)) : Redaction.ForDisplay(url), path != null ? action + Text.WhatIf_Staged : action))
                {
                    _whatIfSkipped++;
                    return;
                }

                work = new WorkItem(index, item.Input, url, expected: item.Expected) { ImagePath = path };
            }

            if (!run.IsStarted)
            {
                // The token for the run (none in the sandbox); a missing or unusable one stops the command.
                var (token, source) = _options!.Sandbox ? (null, TokenSource.None) : Setup(() => TokenChain.Require(Token, _configured, _stored, (name, vault) => VaultReader.Read(this, name, vault)));
                if (token != null) WriteDebug(Words.Format(Text.Token_Source, source));
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
        private void CheckBreak() => _break?.Check(this, _run, _options!.TimeoutSec, _stop);

        private void Guard(Action work) => ErrorRecords.Guard(work, _stop.Token);

        private T Setup<T>(Func<T> step, object? target = null) => ErrorRecords.Setup(this, step, target);

        private void OnWait()
        {
            CheckBreak();
            _reporter!.Tick();
        }

        /// <summary>The token for the run, or null in the sandbox; a missing or unusable token stops the command.</summary>
    }
}
