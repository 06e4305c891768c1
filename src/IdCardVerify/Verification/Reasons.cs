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
        /// <summary>Each warning: what the image is, and what to ask for.</summary>
        public static readonly IReadOnlyList<(IdCardWarning Warning, string Text)> ForWarnings = new[]
        {
            (IdCardWarning.Photocopy, "the image is a photocopy of the card: ask for a photo of the original card"),
            (IdCardWarning.Reshoot, "the image is a photo of a screen (a reshoot): ask for a photo of the original card itself"),
            (IdCardWarning.BorderIncomplete, "the card's border is cut off: ask for a photo that shows the whole card"),
            (IdCardWarning.Covered, "something covers part of the card: ask for a photo with nothing over the card"),
            (IdCardWarning.Tampered, "the image looks edited (suspected PS): check the original card in person"),
            (IdCardWarning.TemporaryId, "it is a temporary ID card: accept it only if your policy allows temporary cards"),
            (IdCardWarning.Blurred, "the image is blurred: ask for a sharper photo of the card"),
        };

        /// <summary>Business results other than Success and warnings: what happened, and the next step.</summary>
        public static readonly IReadOnlyList<(string Code, string Text)> ForResults = new[]
        {
            ("IdNameMisMatch", "the name and ID number on the card do not belong together in the authoritative register: the card is not genuine, or was misread; check the card in person"),
            ("CompareLowSimilarity", "the face on the card does not match the authoritative photo closely enough: ask for a new photo of the card, or check in person"),
            ("CompareFail", "the face on the card could not be compared with the authoritative photo: ask for a clearer photo of the card and verify again"),
            ("ImageNoIdCard", "no ID card was found in the image: it is not an ID card, or the card is too small in it; ask for a photo of the card's portrait side"),
            ("OcrFailed", "the card's text could not be read: ask for a sharper, straight photo of the card"),
            ("ImageBlur", "the image is too blurred to read: ask for a sharper photo of the card"),
            ("DownLoadError", "the API could not download the image: check that the URL opens from the internet and has not expired, then verify again"),
            ("ImageDecodeFailed", "the file at the URL is not an image the API can read: give a JPEG or PNG"),
            ("EmptyImageError", "the file at the URL is empty: check the URL"),
            ("ImageSizeTooLarge", "the image is larger than the API accepts (3 MB after base64): give a smaller image"),
            ("IdFormatError", "the ID number read from the card is not a valid number: ask for a sharper photo of the card"),
            ("IdNoExistSystem", "the ID number is not in the authoritative register: check the card in person"),
            ("IdPhotoNoExist", "the register holds no photo for this ID number, so the face could not be compared: check the card in person"),
            ("IdPhotoPoorQuality", "the register's photo for this ID number is too poor to compare with: check the card in person"),
            ("LifePhotoDetectNoFaces", "no face was found on the card: ask for a clearer photo of the portrait side"),
            ("LifePhotoDetectFaces", "more than one face was found in the image: ask for a photo of the card alone"),
            ("LifePhotoDetectFake", "the card's portrait looks fake: check the original card in person"),
            ("LifePhotoPoorQuality", "the card's portrait is too poor to compare: ask for a clearer photo of the card"),
            ("LifePhotoSizeError", "the card's portrait is too small to compare: ask for a closer photo of the card"),
            ("RequestLimitExceeded", "the API's request limit was reached for this call: verify the row again later"),
        };

        /// <summary>The plain reason and the next step for <paramref name="r"/>'s verdict.</summary>
        public static string For(VerificationResult r)
        {
            var text = ForVerdict(r);
            return r.Verdict != Verdict.Review && IdentityDiffers(r)
                ? text + $" Also, the card is not the row's person ({Identity(r)})."
                : text;
        }

        private static string ForVerdict(VerificationResult r)
        {
            var similarity = r.Similarity?.ToString("0.##", CultureInfo.InvariantCulture);
            var threshold = r.Threshold.ToString("0.##", CultureInfo.InvariantCulture);
            switch (r.Verdict)
            {
                case Verdict.Match:
                    return $"Match: the card is genuine and its face matches the authoritative photo (similarity {similarity}, threshold {threshold})"
                        + (r.Identity == IdentityCheck.Same ? ", and it is the row's person (ID number and name)."
                            : r.Identity == IdentityCheck.IdNumberOnly ? ", and its ID number is the row's (the name was not compared: the row gives none in Chinese characters)."
                            : r.Identity == IdentityCheck.NameOnly ? ", and its name is the row's (the row gives no ID number to compare)."
                            : ".")
                        + " Next: accept.";
                case Verdict.Review when r.Identity == IdentityCheck.NameWrittenOtherwise && r.Inconsistencies.Split(';').Length == 1:
                    return $"Review: the card is genuine and the face matches (similarity {similarity}); the row writes the card's name another way (traditional or simplified characters, a middle dot, or the order of its parts). Next: check the spelling in the HR record, then accept.";
                case Verdict.Review:
                    return IdentityDiffers(r)
                        ? $"Review: the card is genuine, but it is not the row's person ({Identity(r)}). Next: ask the applicant for their own card; do not accept this one."
                        : $"Review: the face matches (similarity {similarity}), but {r.Inconsistencies}. Next: a person compares the card with the row before accepting.";
                case Verdict.NoMatch:
                    return r.IsSuccess
                        ? $"NoMatch: the face on the card does not match the authoritative photo closely enough (similarity {similarity}, threshold {threshold}). Next: ask for a new photo of the card, or check in person."
                        : "NoMatch: " + ResultText(r) + ".";
                case Verdict.Warning:
                    return "Warning: the face was not compared, because a check stopped it: " + WarningText(r) + ".";
                case Verdict.Failed:
                    return r.IsSuccess
                        ? "Failed: the API said Success without a usable similarity, so nothing was decided. Next: verify the row again."
                        : "Failed: the face was not compared: " + ResultText(r) + ".";
                case Verdict.Error:
                    return $"Error ({r.ErrorId}), not verified: {r.ErrorMessage}";
                default:
                    return r.Verdict.ToString();
            }
        }

        /// <summary>The review page's heading after the verdict: the similarity when a face was compared, else "not compared".</summary>
        public static string Heading(VerificationResult r) =>
            Compared(r)
                ? string.Format(CultureInfo.InvariantCulture, "similarity {0:0.##} against threshold {1:0.##}", r.Similarity, r.Threshold)
                : "face not compared";

        /// <summary>True when the API compared the face: Success, or a low similarity it reported as such.</summary>
        public static bool Compared(VerificationResult r) =>
            r.Similarity.HasValue && (r.IsSuccess || r.Result.EndsWith("CompareLowSimilarity", StringComparison.OrdinalIgnoreCase));

        private static bool IdentityDiffers(VerificationResult r) =>
            r.Identity == IdentityCheck.IdNumberDiffers || r.Identity == IdentityCheck.NameDiffers || r.Identity == IdentityCheck.BothDiffer;

        private static string Identity(VerificationResult r) => r.Identity switch
        {
            IdentityCheck.IdNumberDiffers => "its ID number is not the row's",
            IdentityCheck.NameDiffers => "its name is not the row's",
            _ => "neither its ID number nor its name is the row's",
        };

        private static string WarningText(VerificationResult r)
        {
            var texts = ForWarnings.Where(w => (r.Warnings & w.Warning) != 0).Select(w => w.Text).ToList();
            return texts.Count > 0
                ? string.Join("; ", texts)
                : $"the API raised warning code(s) {r.WarningCodes} that the module does not know: look at the image";
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

            return $"the API answered {r.Result}" + (string.IsNullOrEmpty(r.Description) ? string.Empty : $" ({r.Description})") + "; verify the row again, and if it repeats, check the card in person";
        }
    }
}
