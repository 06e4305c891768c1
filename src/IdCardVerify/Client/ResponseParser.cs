using System;
using System.Globalization;
using System.Text.Json;
using IdCardVerify.IdNumbers;

namespace IdCardVerify.Client
{
    /// <summary>
    /// Reads the API's answers, accepting every variant the contract lists: numbers sent as strings,
    /// <c>encryption</c> as null, object or array, unknown fields, error bodies of any shape.
    /// </summary>
    internal static class ResponseParser
    {
        /// <summary>Parses a 200 answer into a result. Throws <see cref="JsonException"/> when the body is not a JSON object.</summary>
        public static VerificationResult ParseSuccess(string body, string imageUrl, double threshold)
        {
            using var doc = JsonDocument.Parse(body);
            return FromRoot(doc.RootElement, imageUrl, threshold);
        }

        /// <summary>
        /// Parses a 200 answer straight from its bytes. Returns false, with no result, when the body is
        /// an error envelope (no <c>result</c>, an <c>error</c> instead), as some gateways send with 200.
        /// Throws <see cref="JsonException"/> when the body is not a JSON object.
        /// </summary>
        public static bool TryParseSuccess(ReadOnlyMemory<byte> body, string imageUrl, double threshold, out VerificationResult? result)
        {
            using var doc = JsonDocument.Parse(body);
            if (IsErrorEnvelope(doc.RootElement))
            {
                result = null;
                return false;
            }

            result = FromRoot(doc.RootElement, imageUrl, threshold);
            return true;
        }

        private static VerificationResult FromRoot(JsonElement root, string imageUrl, double threshold)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"expected a JSON object, got a JSON {root.ValueKind.ToString().ToLowerInvariant()}");
            }

            var result = new VerificationResult
            {
                ImageUrl = imageUrl,
                Threshold = threshold,
                Result = Text(root, "result"),
                Description = Text(root, "description"),
                Name = Text(root, "name"),
                Sex = Text(root, "sex"),
                Nation = Text(root, "nation"),
                Birth = Text(root, "birth"),
                Address = Text(root, "address"),
                IdNumber = Text(root, "id_num"),
                Similarity = Number(root, "sim", out var rawSimilarity),
                Quality = Number(root, "quality", out _),
                WarningCodes = Text(root, "warnings"),
                Encryption = Raw(root, "encryption"),
            };
            result.Warnings = IdCardWarningCodes.Parse(result.WarningCodes, out _, out _);
            result.SetPortrait(Base64(Text(root, "portrait")));
            var issues = new System.Collections.Generic.List<string>();
            if (result.Similarity.HasValue && (result.Similarity.Value < 0 || result.Similarity.Value > 100))
            {
                issues.Add($"the API's similarity {rawSimilarity} is outside 0-100, so it was not used");
                result.Similarity = null;
            }
            else if (rawSimilarity != null && !result.Similarity.HasValue)
            {
                issues.Add($"the API's similarity {rawSimilarity} is not a number, so it was not used");
            }

            issues.AddRange(CrossCheck.Compare(result, DateTime.Today));
            result.Inconsistencies = string.Join("; ", issues);
            Decide(result);
            return result;
        }

        private static bool IsErrorEnvelope(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object
            && !root.TryGetProperty("result", out _)
            && root.TryGetProperty("error", out var error)
            && error.ValueKind != JsonValueKind.Null;

        /// <summary>Sets IsSuccess, IsMatch and Verdict from Result, Similarity and Threshold.</summary>
        public static void Decide(VerificationResult result)
        {
            var code = result.Result ?? string.Empty;
            result.IsSuccess = string.Equals(code, "Success", StringComparison.OrdinalIgnoreCase);
            result.IsMatch = result.IsSuccess && result.Similarity.HasValue && result.Similarity.Value >= result.Threshold;
            if (result.IsSuccess)
            {
                // A Success without a usable similarity cannot be decided either way.
                result.Verdict = result.IsMatch ? Verdict.Match : result.Similarity.HasValue ? Verdict.NoMatch : Verdict.Failed;
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

        /// <summary>Reads an error body; every field may be missing and the body may not be JSON at all.</summary>
        public static (string? Code, string? Message, string? TraceId) ParseError(string? body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return (null, null, null);
            }

            try
            {
                using var doc = JsonDocument.Parse(body!);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return (null, null, null);
                }

                string? code = null;
                string? message = null;
                var traceId = NullableText(root, "trace_id");
                if (root.TryGetProperty("error", out var error))
                {
                    switch (error.ValueKind)
                    {
                        case JsonValueKind.Object:
                            code = NullableText(error, "code");
                            message = NullableText(error, "message");
                            traceId ??= NullableText(error, "trace_id");
                            break;
                        case JsonValueKind.String:
                            var text = error.GetString();
                            // A bare string is a code when it looks like one (used_up), else a message.
                            if (!string.IsNullOrEmpty(text) && IsCodeLike(text!))
                            {
                                code = text;
                            }
                            else
                            {
                                message = text;
                            }

                            break;
                    }
                }

                code ??= NullableText(root, "code");
                message ??= NullableText(root, "message");
                return (code, message, traceId);
            }
            catch (JsonException)
            {
                return (null, null, null);
            }
        }

        private static bool IsCodeLike(string text)
        {
            foreach (var c in text)
            {
                if (!(c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
                {
                    return false;
                }
            }

            return text.Length <= 64;
        }

        private static bool EndsWith(string code, string suffix) =>
            code.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);

        private static string Text(JsonElement obj, string name) => NullableText(obj, name) ?? string.Empty;

        private static string? NullableText(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out var value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    return null;
                default:
                    return value.GetRawText();
            }
        }

        private static double? Number(JsonElement obj, string name, out string? raw)
        {
            raw = null;
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            raw = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();

            double number;
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    if (!value.TryGetDouble(out number))
                    {
                        return null;
                    }

                    break;
                case JsonValueKind.String:
                    if (!double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                    {
                        return null;
                    }

                    break;
                default:
                    return null;
            }

            return double.IsNaN(number) || double.IsInfinity(number) ? (double?)null : number;
        }

        private static string? Raw(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.GetRawText();
        }

        private static byte[]? Base64(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                return Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
