using System;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Contract;

namespace IdCardVerify.Client
{
    /// <summary>Builds the <c>config</c> string the API takes: a JSON object serialised as a string.</summary>
    internal static class RequestConfig
    {
        /// <summary>The config JSON for the checks asked for, or null when none is (the API's defaults are all false).</summary>
        public static string? Build(WarningChecks checks, ConfigKeyStyle style)
        {
            if (checks == WarningChecks.None)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var check in WarningCheck.All)
                {
                    if ((checks & check.Flag) != 0)
                    {
                        writer.WriteBoolean(check.KeyFor(style), true);
                    }
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>Reads which checks a config string asks for, accepting both spellings (the simulator; whether quality was asked).</summary>
        public static WarningChecks Parse(string? configJson)
        {
            var checks = WarningChecks.None;
            if (string.IsNullOrWhiteSpace(configJson))
            {
                return checks;
            }

            try
            {
                using var doc = JsonDocument.Parse(configJson!);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return checks;
                }

                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    foreach (var check in WarningCheck.All)
                    {
                        if ((string.Equals(property.Name, check.DocumentedKey, StringComparison.OrdinalIgnoreCase)
                             || string.Equals(property.Name, check.UpstreamKey, StringComparison.OrdinalIgnoreCase))
                            && property.Value.ValueKind == JsonValueKind.True)
                        {
                            checks |= check.Flag;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // A config the simulator cannot read asks for nothing, as the API treats unknown input.
            }

            return checks;
        }

        /// <summary>Checks that a user's raw config string is a JSON object; returns the reason when it is not.</summary>
        public static string? Validate(string configJson)
        {
            try
            {
                using var doc = JsonDocument.Parse(configJson);
                return doc.RootElement.ValueKind == JsonValueKind.Object
                    ? null
                    : $"it is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
            }
            catch (JsonException ex)
            {
                return ex.Message;
            }
        }

        /// <summary>The request body: <c>{"image_url": "...", "config": "..."}</c>, config sent as a string.</summary>
        public static byte[] BuildBody(string imageUrl, string? configJson)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString(ApiFields.ImageUrl, imageUrl);
                if (configJson != null)
                {
                    writer.WriteString(ApiFields.Config, configJson);
                }

                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }
    }
}
