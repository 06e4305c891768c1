using System;
using System.Collections.Generic;
using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.Contract;

namespace IdCardVerify.Client.Sandbox
{
    /// <summary>
    /// The API, simulated: deterministic, fictional identities, and every outcome of the contract
    /// forced from the image URL (<see cref="Scenario"/>). The same code answers in-process for -Sandbox
    /// (through <see cref="SandboxHandler"/>) and over loopback HTTP in the test emulator, which checks
    /// the token itself first.
    /// </summary>
    internal static class SandboxSimulator
    {
        /// <summary>Answers one request; no token is needed.</summary>
        public static SimulatedResponse Respond(string method, string requestBody)
        {
            if (!string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
            {
                return SandboxAnswers.Error("no_api", 404, ErrorShape.Default, SandboxAnswers.Hash("method:" + method));
            }

            string? imageUrl;
            string? config;
            try
            {
                using var doc = JsonDocument.Parse(requestBody);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty(ApiFields.ImageUrl, out var urlElement)
                    || urlElement.ValueKind != JsonValueKind.String)
                {
                    return SandboxAnswers.Error("bad_request", 400, ErrorShape.Default, 1, "image_url is required and must be a string.");
                }

                imageUrl = urlElement.GetString();
                config = null;
                if (root.TryGetProperty(ApiFields.Config, out var configElement) && configElement.ValueKind != JsonValueKind.Null)
                {
                    if (configElement.ValueKind != JsonValueKind.String)
                    {
                        return SandboxAnswers.Error("bad_request", 400, ErrorShape.Default, 2, "config must be a JSON object serialised as a string.");
                    }

                    config = configElement.GetString();
                }
            }
            catch (JsonException)
            {
                return SandboxAnswers.Error("bad_request", 400, ErrorShape.Default, 3, "The request body is not JSON.");
            }

            return Answer(imageUrl ?? string.Empty, RequestConfig.Parse(config));
        }

        /// <summary>The answer to a request that carried a token the API refuses with <paramref name="code"/> (no_token, invalid_token, ...).</summary>
        public static SimulatedResponse TokenError(string code) =>
            SandboxAnswers.Error(code, SandboxContract.ErrorStatus[code], ErrorShape.Default, SandboxAnswers.Hash(code));

        private static SimulatedResponse Answer(string imageUrl, WarningChecks checks)
        {
            var scenario = Scenario.Parse(imageUrl);
            var hash = SandboxAnswers.Hash(imageUrl);
            if (scenario.ErrorCode != null)
            {
                var status = SandboxContract.ErrorStatus.TryGetValue(scenario.ErrorCode, out var known) ? known : 400;
                var response = SandboxAnswers.Error(scenario.ErrorCode, status, scenario.Shape, hash);
                response.RetryAfter = scenario.RetryAfter;
                return response;
            }

            if (scenario.HttpStatus is int httpStatus)
            {
                return new SimulatedResponse(httpStatus, $"<html><head><title>{httpStatus}</title></head><body><h1>{httpStatus}</h1><p>nginx</p></body></html>", "text/html")
                {
                    RetryAfter = scenario.RetryAfter,
                };
            }

            var qualityChecked = (checks & WarningChecks.Quality) != 0;
            var answer = new Outcome
            {
                Identity = FictionalIdentity.From(hash),
                Similarity = scenario.Similarity ?? (scenario.NoMatch ? 20 + (hash % 4500) / 100.0 : 80 + (hash % 2000) / 100.0),
                Result = ApiFields.SuccessResult,
            };
            var quality = !qualityChecked ? 0 : scenario.Quality ?? 60 + (int)(hash % 40);

            // Warnings stop the comparison only when the request asked for that check, as the API does.
            var fired = new List<string>();
            foreach (var (code, warning, raisedBy) in WarningCodes.All)
            {
                if ((scenario.Warnings & warning) != 0 && (checks & raisedBy) != 0)
                {
                    fired.Add(code);
                }
            }

            var blurCode = WarningCodes.CodeOf(IdCardWarning.Blurred);
            if (qualityChecked && quality < 50 && !fired.Contains(blurCode))
            {
                fired.Add(blurCode);
            }

            if ((scenario.Warnings & IdCardWarning.Blurred) != 0 && qualityChecked && quality >= 50)
            {
                quality = 30;
            }

            if (scenario.UnknownWarning && checks != WarningChecks.None)
            {
                fired.Add("-9999");
            }

            if (fired.Count > 0)
            {
                answer.Result = "FailedOperation.OcrWarningOccurred";
                answer.Similarity = 0;
                answer.Warnings = string.Join("|", fired);
            }

            if (scenario.FailCode is string fail)
            {
                var keepsIdentity = fail.Equals("IdNameMisMatch", StringComparison.OrdinalIgnoreCase) || fail.Equals("CompareLowSimilarity", StringComparison.OrdinalIgnoreCase);
                answer.Result = fail.IndexOf('.') >= 0 ? fail : "FailedOperation." + SandboxContract.Canonical(fail);
                answer.Similarity = fail.Equals("CompareLowSimilarity", StringComparison.OrdinalIgnoreCase) ? 30 + (hash % 3000) / 100.0 : 0;
                answer.Identity = keepsIdentity ? answer.Identity : FictionalIdentity.Empty;
            }

            if (scenario.IdMismatch && answer.Identity.IdNumber.Length > 0)
            {
                answer.Identity = answer.Identity.Disagreeing();
            }

            return new SimulatedResponse(200, SandboxAnswers.Success(answer, quality, scenario));
        }
    }
}
