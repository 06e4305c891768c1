using System.Collections.Generic;

namespace IdCardVerify.Verification
{
    /// <summary>
    /// The false-accept rates the vendor quotes per threshold: the one table behind
    /// Test-IdCardSimilarity -Detailed and the -Threshold completer.
    /// </summary>
    internal static class FalseAcceptRates
    {
        /// <summary>Each quoted threshold, its rate (0.001 = 1 in 1,000), and what a completer shows for it; highest first.</summary>
        public static readonly IReadOnlyList<(double Threshold, double Rate, string Tip)> Quoted = new[]
        {
            (80.0, 0.0001, "80: stricter; false-accept rate 1 in 10,000 (vendor)"),
            (70.0, 0.001, "70: the vendor's recommended threshold; false-accept rate 1 in 1,000 (vendor) / 1 in 10,000 (upstream)"),
        };

        private const string Sources =
            "Vendor's guide: 1 in 1,000 at 70, 1 in 10,000 at 80. The upstream service's current text quotes 1 in 10,000 at its fixed threshold of 70.";

        private const string NoneQuoted =
            "The vendor quotes no false-accept rate below a threshold of 70; below it, different people are more likely to pass as one.";

        /// <summary>The rate quoted for the highest quoted threshold at or under <paramref name="threshold"/>; null below them all.</summary>
        public static double? At(double threshold)
        {
            foreach (var quoted in Quoted)
            {
                if (threshold >= quoted.Threshold)
                {
                    return quoted.Rate;
                }
            }

            return null;
        }

        /// <summary>Where the rate comes from, or why there is none.</summary>
        public static string NoteAt(double threshold) => At(threshold) == null ? NoneQuoted : Sources;
    }
}
