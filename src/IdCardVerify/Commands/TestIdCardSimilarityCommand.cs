using System;
using System.Globalization;
using System.Management.Automation;
using IdCardVerify.Settings;

namespace IdCardVerify.Commands
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
        [ValidateRange(0.0, 100.0)]
        public double Threshold { get; set; }

        [Parameter]
        public SwitchParameter Detailed { get; set; }

        private double _threshold;

        protected override void BeginProcessing()
        {
            // Once per call: the configured default reads the CurrentUser store from disk.
            _threshold = MyInvocation.BoundParameters.ContainsKey(nameof(Threshold))
                ? Threshold
                : EffectiveSettings.Load(out _, out _).Threshold ?? Defaults.Threshold;
        }

        protected override void ProcessRecord()
        {
            var threshold = _threshold;

            if (Similarity.HasValue && (double.IsNaN(Similarity.Value) || Similarity.Value < 0 || Similarity.Value > 100))
            {
                WriteError(ErrorRecords.InvalidInput(
                    "SimilarityOutOfRange",
                    string.Format(CultureInfo.InvariantCulture, "The similarity {0} is outside 0-100, so it cannot be judged. Pass the Similarity of a verification result.", Similarity.Value),
                    Similarity.Value));
                return;
            }

            var decision = Decide(Similarity, threshold);
            if (Detailed)
            {
                WriteObject(decision);
            }
            else
            {
                WriteObject(decision.IsMatch);
            }
        }

        internal static SimilarityDecision Decide(double? similarity, double threshold)
        {
            double? rate = threshold >= 80 ? 0.0001 : threshold >= 70 ? 0.001 : (double?)null;
            return new SimilarityDecision
            {
                Similarity = similarity,
                Threshold = threshold,
                IsMatch = similarity.HasValue && similarity.Value >= threshold,
                FalseAcceptRate = rate,
                FalseAcceptRateNote = rate == null
                    ? "The vendor quotes no false-accept rate below a threshold of 70; below it, different people are more likely to pass as one."
                    : "Vendor's guide: 1 in 1,000 at 70, 1 in 10,000 at 80. The upstream service's current text quotes 1 in 10,000 at its fixed threshold of 70.",
            };
        }
    }
}
