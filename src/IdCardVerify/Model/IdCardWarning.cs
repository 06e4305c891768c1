using System;
using System.Collections.Generic;

namespace IdCardVerify
{
    /// <summary>The OCR warnings the API reports, as flags so one result can carry several.</summary>
    [Flags]
    public enum IdCardWarning
    {
        None = 0,
        /// <summary>-9101: the card's border is incomplete.</summary>
        BorderIncomplete = 1,
        /// <summary>-9102: the image is a photocopy.</summary>
        Photocopy = 2,
        /// <summary>-9103: the image was re-photographed from a screen.</summary>
        Reshoot = 4,
        /// <summary>-9104: a temporary ID card.</summary>
        TemporaryId = 8,
        /// <summary>-9105: something covers part of the card.</summary>
        Covered = 16,
        /// <summary>-9106: the image looks tampered with (PS).</summary>
        Tampered = 32,
        /// <summary>-8001: the image is blurred.</summary>
        Blurred = 64,
    }

    /// <summary>Translates the API's numeric warning codes to <see cref="IdCardWarning"/>.</summary>
    public static class IdCardWarningCodes
    {
        private static readonly Dictionary<string, IdCardWarning> ByCode = new Dictionary<string, IdCardWarning>(StringComparer.Ordinal)
        {
            ["-9101"] = IdCardWarning.BorderIncomplete,
            ["-9102"] = IdCardWarning.Photocopy,
            ["-9103"] = IdCardWarning.Reshoot,
            ["-9104"] = IdCardWarning.TemporaryId,
            ["-9105"] = IdCardWarning.Covered,
            ["-9106"] = IdCardWarning.Tampered,
            ["-8001"] = IdCardWarning.Blurred,
        };

        /// <summary>The code the API uses for one warning flag.</summary>
        public static string CodeOf(IdCardWarning warning)
        {
            foreach (var pair in ByCode)
            {
                if (pair.Value == warning)
                {
                    return pair.Key;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(warning), warning, "Pass exactly one warning flag.");
        }

        /// <summary>Parses <c>-9101|-9106</c>; codes it does not know stay in <paramref name="unknown"/>.</summary>
        public static IdCardWarning Parse(string? warnings, out IReadOnlyList<string> codes, out IReadOnlyList<string> unknown)
        {
            var all = new List<string>();
            var unknownCodes = new List<string>();
            var flags = IdCardWarning.None;
            if (!string.IsNullOrWhiteSpace(warnings))
            {
                foreach (var part in warnings!.Split(new[] { '|', ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var code = part.Trim();
                    if (code.Length == 0)
                    {
                        continue;
                    }

                    all.Add(code);
                    if (ByCode.TryGetValue(code, out var flag))
                    {
                        flags |= flag;
                    }
                    else
                    {
                        unknownCodes.Add(code);
                    }
                }
            }

            codes = all;
            unknown = unknownCodes;
            return flags;
        }
    }
}
