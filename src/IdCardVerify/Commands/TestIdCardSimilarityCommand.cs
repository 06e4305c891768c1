using System.Globalization;
using System.Management.Automation;
using IdCardVerify.Commands;
using IdCardVerify.Settings;
using IdCardVerify.Verification;

namespace IdCardVerify
{
    /// <summary>The threshold decision, offline: is this similarity a match?</summary>
    [Cmdlet(VerbsDiagnostic.Test, "IdCardSimilarity")]
    [OutputType(typeof(bool), typeof(SimilarityDecision))]
    public sealed class TestIdCardSimilarityCommand : PSCmdlet
    {
        /// <summary>A similarity from 0 to 100 (a result's Similarity binds by property name). Null is never a match.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public double? Similarity { get; set; }

        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(ThresholdCompleter))]
        [ValidateRange(Bounds.MinThreshold, Bounds.MaxThreshold)]
        public double Threshold { get; set; }

        [Parameter]
        public SwitchParameter Detailed { get; set; }

        private double _threshold;

        protected override void BeginProcessing()
        {
            DebugSwitch.MakeSafe(this);
            // Once per call: the configured default reads the CurrentUser store from disk.
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Threshold)))
            {
                _threshold = Threshold;
                return;
            }

            var configured = EffectiveSettings.Load(Session.Key, out var stored, out _);
            if (stored.InvalidStored != null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidStoredSetting(stored.InvalidStored));
            }

            _threshold = new OptionResolver(configured).Pick(nameof(Threshold), v => v.Threshold, Defaults.Threshold);
        }

        protected override void ProcessRecord()
        {
            var threshold = _threshold;

            if (Similarity.HasValue && (double.IsNaN(Similarity.Value) || Similarity.Value < 0 || Similarity.Value > 100))
            {
                WriteError(ErrorRecords.InvalidInput(
                    "SimilarityOutOfRange",
                    string.Format(CultureInfo.InvariantCulture, Text.Similarity_Outside, Similarity.Value),
                    Similarity.Value));
                return;
            }

            var decision = Decisions.Similarity(Similarity, threshold);
            if (Detailed)
            {
                WriteObject(decision);
            }
            else
            {
                WriteObject(decision.IsMatch);
            }
        }
    }
}
