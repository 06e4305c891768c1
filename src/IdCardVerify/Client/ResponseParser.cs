using System;
using System.Globalization;
using System.Text.Json;
using IdCardVerify.Contract;

namespace IdCardVerify.Client
{
    /// <summary>
    /// Reads the API's answers as they are (deciding nothing), accepting every variant the contract lists: numbers sent as strings,
    /// <c>encryption</c> as null, object or array, unknown fields, error bodies of any shape.
    /// </summary>
    internal static class ResponseParser
    {
        /// <summary>Reads a 200 answer. Throws <see cref="JsonException"/> when the body is not a JSON object.</summary>
        public static ApiAnswer ParseAnswer(string body)
        {
            using var doc = JsonDocument.Parse(WithoutBom(body));
            return FromRoot(doc.RootElement);
        }

        /// <summary>
        /// Reads a 200 answer straight from its bytes. Returns false, with no answer, when the body is
        /// an error envelope (no <c>result</c>, an <c>error</c> instead), as some gateways send with 200.
        /// Throws <see cref="JsonException"/> when the body is not a JSON object.
        /// </summary>
        public static bool TryParseAnswer(ReadOnlyMemory<byte> body, out ApiAnswer? answer)
        {
            // A UTF-8 byte-order mark is legal before a JSON text; the parser does not skip it.
            var span = body.Span;
            if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF)
            {
                body = body.Slice(3);
            }

            using var doc = JsonDocument.Parse(body);
            if (IsErrorEnvelope(doc.RootElement))
            {
                answer = null;
                return false;
            }

            answer = FromRoot(doc.RootElement);
            return true;
        }

        private static ApiAnswer FromRoot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"expected a JSON object, got a JSON {root.ValueKind.ToString().ToLowerInvariant()}");
            }

            return new ApiAnswer
            {
                Result = Text(root, ApiFields.Result),
                Description = Text(root, ApiFields.Description),
                Name = Text(root, ApiFields.Name),
                Sex = Text(root, ApiFields.Sex),
                Nation = Text(root, ApiFields.Nation),
                Birth = Text(root, ApiFields.Birth),
                Address = Text(root, ApiFields.Address),
                IdNumber = Text(root, ApiFields.IdNumber),
                Similarity = Number(root, ApiFields.Similarity, out var rawSimilarity),
                SimilarityText = rawSimilarity,
                Quality = Number(root, ApiFields.Quality, out _),
                WarningCodes = Text(root, ApiFields.Warnings),
                Encryption = Raw(root, ApiFields.Encryption),
                Portrait = Base64(Text(root, ApiFields.Portrait)),
            };
        }

        private static bool IsErrorEnvelope(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object
            && !root.TryGetProperty(ApiFields.Result, out _)
            && root.TryGetProperty(ApiFields.Error, out var error)
            && error.ValueKind != JsonValueKind.Null;

        /// <summary>Reads an error body; every field may be missing and the body may not be JSON at all.</summary>
        public static (string? Code, string? Message, string? TraceId) ParseError(string? body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return (null, null, null);
            }

            try
            {
                using var doc = JsonDocument.Parse(WithoutBom(body!));
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return (null, null, null);
                }

                string? code = null;
                string? message = null;
                var traceId = NullableText(root, ApiFields.TraceId);
                if (root.TryGetProperty(ApiFields.Error, out var error))
                {
                    switch (error.ValueKind)
                    {
                        case JsonValueKind.Object:
                            code = NullableText(error, ApiFields.Code);
                            message = NullableText(error, ApiFields.Message);
                            traceId ??= NullableText(error, ApiFields.TraceId);
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

                code ??= NullableText(root, ApiFields.Code);
                message ??= NullableText(root, ApiFields.Message);
                return (code, message, traceId);
            }
            catch (JsonException)
            {
                return (null, null, null);
            }
        }

        private static string WithoutBom(string text) => text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text;

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
