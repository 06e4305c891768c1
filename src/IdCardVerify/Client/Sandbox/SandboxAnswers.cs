using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Contract;

namespace IdCardVerify.Client.Sandbox
{
    /// <summary>What the simulator decided to answer for one request: the identity, similarity, result and warnings.</summary>
    internal sealed class Outcome
    {
        public FictionalIdentity Identity { get; set; } = FictionalIdentity.Empty;

        public double Similarity { get; set; }

        public string Result { get; set; } = "Success";

        public string Warnings { get; set; } = string.Empty;
    }

    /// <summary>Writes the simulator's answers as the API writes them: the success body and the error envelope in each shape.</summary>
    internal static class SandboxAnswers
    {
        /// <summary>A 1x1 JPEG: a real, decodable image that is obviously not anyone's portrait.</summary>
        public const string PortraitBase64 =
            "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=";

        public static string Success(Outcome answer, int quality, Scenario scenario)
        {
            var numbersAsStrings = scenario.NumbersAsStrings;
            var description = answer.Result == ApiFields.SuccessResult
                ? "成功"
                : SandboxContract.FailedOperations.TryGetValue(answer.Result.Substring(answer.Result.IndexOf('.') + 1), out var text) ? text : answer.Result;
            var body = Write(writer =>
            {
                writer.WriteStartObject();
                var sim = Math.Round(answer.Similarity, 2);
                if (double.IsNaN(sim) || double.IsInfinity(sim))
                {
                    // JSON has no NaN; a broken upstream would send it as text.
                    writer.WriteString(ApiFields.Similarity, sim.ToString(CultureInfo.InvariantCulture));
                }
                else if (numbersAsStrings)
                {
                    writer.WriteString(ApiFields.Similarity, sim.ToString("0.00", CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteNumber(ApiFields.Similarity, sim);
                }

                writer.WriteString(ApiFields.Result, answer.Result);
                writer.WriteString(ApiFields.Description, description);
                writer.WriteString(ApiFields.Name, answer.Identity.Name);
                writer.WriteString(ApiFields.Sex, answer.Identity.Sex);
                writer.WriteString(ApiFields.Nation, answer.Identity.Nation);
                writer.WriteString(ApiFields.Birth, answer.Identity.Birth);
                writer.WriteString(ApiFields.Address, answer.Identity.Address);
                writer.WriteString(ApiFields.IdNumber, answer.Identity.IdNumber);
                var portrait = answer.Identity.IdNumber.Length == 0 || scenario.NoPortrait ? string.Empty
                    : scenario.BadPortrait ? "this is not base64!" : PortraitBase64;
                writer.WriteString(ApiFields.Portrait, portrait);
                writer.WriteString(ApiFields.Warnings, answer.Warnings);
                if (numbersAsStrings)
                {
                    writer.WriteString(ApiFields.Quality, quality.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteNumber(ApiFields.Quality, quality);
                }

                if (scenario.EncryptionObject)
                {
                    writer.WriteStartObject(ApiFields.Encryption);
                    writer.WriteString("CiphertextBlob", "c2FuZGJveA==");
                    writer.WriteStartArray("EncryptList");
                    writer.WriteStringValue(ApiFields.IdNumber);
                    writer.WriteEndArray();
                    writer.WriteString("Iv", "AAAAAAAAAAAAAAAAAAAAAA==");
                    writer.WriteEndObject();
                }
                else if (scenario.EncryptionArray)
                {
                    writer.WriteStartArray(ApiFields.Encryption);
                    writer.WriteStringValue(ApiFields.IdNumber);
                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteNull(ApiFields.Encryption);
                }

                if (scenario.ExtraFields)
                {
                    writer.WriteString("request_id", "sandbox-" + answer.Identity.IdNumber);
                    writer.WriteStartObject("upstream");
                    writer.WriteNumber("latency_ms", 12);
                    writer.WriteEndObject();
                    writer.WriteBoolean(ApiFields.Success, true);
                }

                writer.WriteEndObject();
            });
            return scenario.ByteOrderMark ? "\uFEFF" + body : body;
        }

        public static SimulatedResponse Error(string code, int status, ErrorShape shape, uint hash, string? message = null)
        {
            message ??= SandboxContract.ErrorMessages.TryGetValue(code, out var known) ? known : "Error.";
            var body = Write(writer =>
            {
                writer.WriteStartObject();
                if ((shape & ErrorShape.NoSuccessField) == 0)
                {
                    writer.WriteBoolean(ApiFields.Success, false);
                }

                switch (shape & ~ErrorShape.NoSuccessField)
                {
                    case ErrorShape.BareString:
                        writer.WriteString(ApiFields.Error, code);
                        break;
                    case ErrorShape.Null:
                        writer.WriteNull(ApiFields.Error);
                        break;
                    case ErrorShape.Missing:
                        break;
                    default:
                        writer.WriteStartObject(ApiFields.Error);
                        writer.WriteString(ApiFields.Code, code);
                        writer.WriteString(ApiFields.Message, message);
                        writer.WriteEndObject();
                        break;
                }

                writer.WriteString(ApiFields.TraceId, TraceId(hash));
                writer.WriteEndObject();
            });
            return new SimulatedResponse(status, body);
        }

        private static string TraceId(uint hash)
        {
            var bytes = new byte[16];
            for (var i = 0; i < 16; i++)
            {
                bytes[i] = (byte)(hash >> (8 * (i % 4)) ^ (uint)(i * 37));
            }

            return new Guid(bytes).ToString();
        }

        public static uint Hash(string text)
        {
            // FNV-1a: stable across runs and platforms, unlike string.GetHashCode.
            var hash = 2166136261u;
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                hash = (hash ^ b) * 16777619u;
            }

            return hash;
        }

        private static string Write(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }
}
