using System;
using System.Collections.Generic;
using IdCardVerify.Client;
using IdCardVerify.Contract;

namespace IdCardVerify.Verification
{
    /// <summary>
    /// The module's decisions on what the API said: the verdict, the match against the threshold, and
    /// what does not add up in the answer. The wire client knows nothing of these.
    /// </summary>
    internal static class Decisions
    {
        /// <summary>The result for one answer, judged against <paramref name="threshold"/>.</summary>
        /// <param name="qualityAsked">Whether the request asked for the quality check; without it the API's quality is no score and Quality is null.</param>
        /// <param name="recordedInconsistencies">What a journal recorded when the answer was first judged: used when the answer's own data can no longer be checked (masked).</param>
        /// <param name="expected">The person the row says the card should be; a card that is not theirs is never a Match.</param>
        /// <param name="recordedIdentity">What a journal recorded of the identity check when the answer can no longer be compared (masked).</param>
        public static VerificationResult Judge(ApiAnswer answer, string imageUrl, double threshold, bool qualityAsked = true, string? recordedInconsistencies = null, ExpectedPerson? expected = null, IdentityCheck recordedIdentity = IdentityCheck.NotChecked, DateTime? today = null)
        {
            var result = new VerificationResult
            {
                ImageUrl = Redaction.Url(imageUrl),
                Threshold = threshold,
                Result = answer.Result,
                Description = answer.Description,
                Name = answer.Name,
                Sex = answer.Sex,
                Nation = answer.Nation,
                Birth = answer.Birth,
                Address = answer.Address,
                IdNumber = answer.IdNumber,
                Similarity = answer.Similarity,
                Quality = qualityAsked ? answer.Quality : null,
                WarningCodes = answer.WarningCodes,
                Warnings = WarningCodes.Parse(answer.WarningCodes),
                Encryption = answer.Encryption,
            };
            result.SetPortrait(answer.Portrait);

            var issues = new List<string>();
            if (result.Similarity.HasValue && (result.Similarity.Value < 0 || result.Similarity.Value > 100))
            {
                issues.Add(Words.Format(Text.Decision_SimilarityOutside, answer.SimilarityText));
                result.Similarity = null;
            }
            else if (answer.SimilarityText != null && !result.Similarity.HasValue)
            {
                issues.Add(Words.Format(Text.Decision_SimilarityNotNumber, answer.SimilarityText));
            }

            var day = today ?? Files.Clock.System.GetLocalNow().Date;
            issues.AddRange(CrossCheck.Compare(result, day));
            result.Identity = Identity.Compare(result.IdNumber, result.Name, expected ?? ExpectedPerson.None, day, out var notTheirs);
            if (notTheirs != null)
            {
                issues.Add(notTheirs);
            }

            // A masked number cannot be checked again: what was found when it was whole stands.
            var masked = answer.IdNumber.IndexOf('*') >= 0;
            if (masked && result.Identity == IdentityCheck.NotChecked)
            {
                result.Identity = recordedIdentity;
            }

            result.Inconsistencies = recordedInconsistencies != null && masked
                ? recordedInconsistencies
                : string.Join("; ", issues);
            Decide(result);
            result.Reason = Reasons.For(result);
            return result;
        }

        /// <summary>Sets IsSuccess, IsMatch and Verdict from Result, Similarity and Threshold.</summary>
        private static void Decide(VerificationResult result)
        {
            var code = result.Result ?? string.Empty;
            result.IsSuccess = string.Equals(code, ApiFields.SuccessResult, StringComparison.OrdinalIgnoreCase);
            result.IsMatch = result.IsSuccess && IsMatch(result.Similarity, result.Threshold);
            if (result.IsSuccess)
            {
                // A Success without a usable similarity cannot be decided either way; a match on a card whose
                // own data disagree is how a forged card would pass, so a person reviews it.
                result.Verdict = !result.IsMatch ? (result.Similarity.HasValue ? Verdict.NoMatch : Verdict.Failed)
                    : result.Inconsistencies.Length > 0 ? Verdict.Review
                    : Verdict.Match;
            }
            else if (EndsWith(code, "OcrWarningOccurred"))
            {
                result.Verdict = Verdict.Warning;
            }
            else if (EndsWith(code, "IdNameMisMatch") || EndsWith(code, "CompareLowSimilarity"))
            {
                // The API did its job and the answer is "not this person": a no-match, not a failure.
                result.Verdict = Verdict.NoMatch;
            }
            else
            {
                result.Verdict = Verdict.Failed;
            }
        }

        /// <summary>The threshold rule, the one place it is written: a similarity at or over the threshold is a match.</summary>
        public static bool IsMatch(double? similarity, double threshold) => similarity.HasValue && similarity.Value >= threshold;

        /// <summary>What Test-IdCardSimilarity -Detailed returns for one similarity.</summary>
        public static SimilarityDecision Similarity(double? similarity, double threshold) => new SimilarityDecision
        {
            Similarity = similarity,
            Threshold = threshold,
            IsMatch = IsMatch(similarity, threshold),
            FalseAcceptRate = FalseAcceptRates.At(threshold),
            FalseAcceptRateNote = FalseAcceptRates.NoteAt(threshold),
        };

        private static bool EndsWith(string code, string suffix) =>
            code.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
