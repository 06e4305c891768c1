using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace IdCardVerify.Verification
{
    /// <summary>
    /// Every verdict and warning in words a reviewer acts on: what happened, then the next step. The one place these
    /// words are written: the result's Reason, the review page's "Why", README's and the help's tables come from here.
    /// </summary>
    internal static class Reasons
    {
        /// <summary>Each warning: what the image is, and what to ask for (in the thread's UI culture).</summary>
        public static IReadOnlyList<(IdCardWarning Warning, string Text)> ForWarnings => new[]
        {
            (IdCardWarning.Photocopy, Text.Warning_Photocopy),
            (IdCardWarning.Reshoot, Text.Warning_Reshoot),
            (IdCardWarning.BorderIncomplete, Text.Warning_BorderIncomplete),
            (IdCardWarning.Covered, Text.Warning_Covered),
            (IdCardWarning.Tampered, Text.Warning_Tampered),
            (IdCardWarning.TemporaryId, Text.Warning_TemporaryId),
            (IdCardWarning.Blurred, Text.Warning_Blurred),
        };

        /// <summary>The business results the module knows words for (other than Success and warnings).</summary>
        private static readonly string[] KnownResults =
        {
            "IdNameMisMatch", "CompareLowSimilarity", "CompareFail", "ImageNoIdCard", "OcrFailed", "ImageBlur", "DownLoadError",
            "ImageDecodeFailed", "EmptyImageError", "ImageSizeTooLarge", "IdFormatError", "IdNoExistSystem", "IdPhotoNoExist",
            "IdPhotoPoorQuality", "LifePhotoDetectNoFaces", "LifePhotoDetectFaces", "LifePhotoDetectFake", "LifePhotoPoorQuality",
            "LifePhotoSizeError", "RequestLimitExceeded",
        };

        /// <summary>Business results other than Success and warnings: what happened, and the next step (in the thread's UI culture).</summary>
        public static IReadOnlyList<(string Code, string Text)> ForResults =>
            KnownResults.Select(code => (code, Text.ResourceManager.GetString("Result_" + code, Text.Culture)!)).ToList();

        /// <summary>The plain reason and the next step for <paramref name="r"/>'s verdict.</summary>
        public static string For(VerificationResult r)
        {
            var text = ForVerdict(r);
            return r.Verdict != Verdict.Review && IdentityDiffers(r)
                ? text + Words.Format(Text.Reason_AlsoNotThePerson, Identity(r))
                : text;
        }

        private static string ForVerdict(VerificationResult r)
        {
            var similarity = r.Similarity?.ToString("0.##", CultureInfo.InvariantCulture);
            var threshold = r.Threshold.ToString("0.##", CultureInfo.InvariantCulture);
            switch (r.Verdict)
            {
                case Verdict.Match:
                    return Words.Format(
                        Text.Reason_Match,
                        similarity,
                        threshold,
                        r.Identity == IdentityCheck.Same ? Text.Reason_MatchSame
                            : r.Identity == IdentityCheck.IdNumberOnly ? Text.Reason_MatchIdNumberOnly
                            : r.Identity == IdentityCheck.NameOnly ? Text.Reason_MatchNameOnly
                            : Text.Reason_MatchPlain);
                case Verdict.Review when r.Identity == IdentityCheck.NameWrittenOtherwise && r.Inconsistencies.Split(';').Length == 1:
                    return Words.Format(Text.Reason_ReviewNameWrittenOtherwise, similarity);
                case Verdict.Review:
                    return IdentityDiffers(r)
                        ? Words.Format(Text.Reason_ReviewNotThePerson, Identity(r))
                        : Words.Format(Text.Reason_ReviewInconsistent, similarity, r.Inconsistencies);
                case Verdict.NoMatch:
                    return r.IsSuccess ? Words.Format(Text.Reason_NoMatchCompared, similarity, threshold) : Words.Format(Text.Reason_NoMatchResult, ResultText(r));
                case Verdict.Warning:
                    return Words.Format(Text.Reason_Warning, WarningText(r));
                case Verdict.Failed:
                    return r.IsSuccess ? Text.Reason_FailedNoSimilarity : Words.Format(Text.Reason_Failed, ResultText(r));
                case Verdict.Error:
                    return Words.Format(Text.Reason_Error, r.ErrorId, r.ErrorMessage);
                default:
                    return r.Verdict.ToString();
            }
        }

        /// <summary>The review page's heading after the verdict: the similarity when a face was compared, else "not compared".</summary>
        public static string Heading(VerificationResult r) =>
            Compared(r)
                ? Words.Format(Text.Heading_Compared, r.Similarity?.ToString("0.##", CultureInfo.InvariantCulture), r.Threshold.ToString("0.##", CultureInfo.InvariantCulture))
                : Text.Heading_NotCompared;

        /// <summary>True when the API compared the face: Success, or a low similarity it reported as such.</summary>
        public static bool Compared(VerificationResult r) =>
            r.Similarity.HasValue && (r.IsSuccess || r.Result.EndsWith("CompareLowSimilarity", StringComparison.OrdinalIgnoreCase));

        private static bool IdentityDiffers(VerificationResult r) =>
            r.Identity == IdentityCheck.IdNumberDiffers || r.Identity == IdentityCheck.NameDiffers || r.Identity == IdentityCheck.BothDiffer;

        private static string Identity(VerificationResult r) => r.Identity switch
        {
            IdentityCheck.IdNumberDiffers => Text.Identity_IdNumberDiffers,
            IdentityCheck.NameDiffers => Text.Identity_NameDiffers,
            _ => Text.Identity_BothDiffer,
        };

        private static string WarningText(VerificationResult r)
        {
            var texts = ForWarnings.Where(w => (r.Warnings & w.Warning) != 0).Select(w => w.Text).ToList();
            return texts.Count > 0
                ? string.Join(Text.List_Separator, texts)
                : Words.Format(Text.Warning_Unknown, r.WarningCodes);
        }

        private static string ResultText(VerificationResult r)
        {
            foreach (var (code, text) in ForResults)
            {
                if (r.Result.EndsWith(code, StringComparison.OrdinalIgnoreCase))
                {
                    return text;
                }
            }

            return Words.Format(Text.Result_Unknown, r.Result, string.IsNullOrEmpty(r.Description) ? string.Empty : Words.Format(Text.Result_UnknownDescription, r.Description));
        }
    }
}
