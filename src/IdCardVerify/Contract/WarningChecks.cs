using System;
using System.Collections.Generic;

namespace IdCardVerify.Contract
{
    /// <summary>The warning checks a request asks the API for (the keys of its <c>config</c>).</summary>
    [Flags]
    internal enum WarningChecks
    {
        None = 0,
        Copy = 1,
        BorderCheck = 2,
        Reshoot = 4,
        DetectPs = 8,
        TempId = 16,
        Quality = 32,
    }

    /// <summary>One warning check: its flag, the cmdlet switch that asks for it, and its config key in both spellings.</summary>
    internal sealed class WarningCheck
    {
        private WarningCheck(WarningChecks flag, string switchName, string documentedKey, string upstreamKey)
        {
            Flag = flag;
            SwitchName = switchName;
            DocumentedKey = documentedKey;
            UpstreamKey = upstreamKey;
        }

        public WarningChecks Flag { get; }

        /// <summary>The switch on Invoke-IdCardVerification and Set-IdCardVerifyConfig, and the property of Configuration.</summary>
        public string SwitchName { get; }

        /// <summary>The vendor guide's spelling of the config key.</summary>
        public string DocumentedKey { get; }

        /// <summary>The upstream service's spelling of the config key.</summary>
        public string UpstreamKey { get; }

        public string KeyFor(ConfigKeyStyle style) => style == ConfigKeyStyle.Upstream ? UpstreamKey : DocumentedKey;

        /// <summary>The six checks of the contract: the one place they are spelled out.</summary>
        public static readonly IReadOnlyList<WarningCheck> All = new[]
        {
            new WarningCheck(WarningChecks.Copy, "CopyWarn", "copy_warn", "CopyWarn"),
            new WarningCheck(WarningChecks.BorderCheck, "BorderCheckWarn", "border_check_warn", "BorderCheckWarn"),
            new WarningCheck(WarningChecks.Reshoot, "ReshootWarn", "reshoot_warn", "ReshootWarn"),
            new WarningCheck(WarningChecks.DetectPs, "DetectPsWarn", "detect_ps_warn", "DetectPsWarn"),
            new WarningCheck(WarningChecks.TempId, "TempIdWarn", "temp_id_warn", "TempIdWarn"),
            new WarningCheck(WarningChecks.Quality, "QualityWarn", "quality", "Quality"),
        };
    }

    /// <summary>The warning codes the API reports, the flag each becomes, and the check that raises it.</summary>
    internal static class WarningCodes
    {
        /// <summary>The one table of the contract's warning codes.</summary>
        public static readonly IReadOnlyList<(string Code, IdCardWarning Warning, WarningChecks RaisedBy)> All = new[]
        {
            ("-9101", IdCardWarning.BorderIncomplete, WarningChecks.BorderCheck),
            ("-9102", IdCardWarning.Photocopy, WarningChecks.Copy),
            ("-9103", IdCardWarning.Reshoot, WarningChecks.Reshoot),
            ("-9104", IdCardWarning.TemporaryId, WarningChecks.TempId),
            ("-9105", IdCardWarning.Covered, WarningChecks.BorderCheck),
            ("-9106", IdCardWarning.Tampered, WarningChecks.DetectPs),
            ("-8001", IdCardWarning.Blurred, WarningChecks.Quality),
        };

        /// <summary>The code of one warning flag.</summary>
        public static string CodeOf(IdCardWarning warning)
        {
            foreach (var entry in All)
            {
                if (entry.Warning == warning)
                {
                    return entry.Code;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(warning), warning, "Pass exactly one warning flag.");
        }

        /// <summary>Parses <c>-9101|-9106</c> into flags; codes it does not know are left out (WarningCodes keeps the raw text).</summary>
        public static IdCardWarning Parse(string? warnings)
        {
            var flags = IdCardWarning.None;
            if (string.IsNullOrWhiteSpace(warnings))
            {
                return flags;
            }

            foreach (var part in warnings!.Split(new[] { '|', ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var code = part.Trim();
                foreach (var entry in All)
                {
                    if (string.Equals(entry.Code, code, StringComparison.Ordinal))
                    {
                        flags |= entry.Warning;
                    }
                }
            }

            return flags;
        }
    }
}
