using System.Collections.Generic;
using System.Management.Automation;
using IdCardVerify.Client;

namespace IdCardVerify.Commands
{
    /// <summary>The six warning switches that Invoke- and Set- share, and what each asks the API for.</summary>
    internal static class WarningSwitches
    {
        public static readonly (string Name, WarningChecks Check)[] All =
        {
            ("CopyWarn", WarningChecks.Copy),
            ("BorderCheckWarn", WarningChecks.BorderCheck),
            ("ReshootWarn", WarningChecks.Reshoot),
            ("DetectPsWarn", WarningChecks.DetectPs),
            ("TempIdWarn", WarningChecks.TempId),
            ("QualityWarn", WarningChecks.Quality),
        };

        /// <summary>
        /// Applies the switches given on the command line to <paramref name="start"/>: -X adds the check,
        /// -X:$false removes it. Null when none was given, so a default from elsewhere still applies.
        /// </summary>
        public static WarningChecks? Apply(IDictionary<string, object> bound, WarningChecks start)
        {
            WarningChecks? result = null;
            var checks = start;
            foreach (var (name, check) in All)
            {
                if (bound.TryGetValue(name, out var value))
                {
                    checks = value is SwitchParameter on && on.IsPresent ? checks | check : checks & ~check;
                    result = checks;
                }
            }

            return result;
        }
    }
}
