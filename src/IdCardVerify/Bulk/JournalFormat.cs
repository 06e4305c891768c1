using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Contract;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// The journal's lines: the header (which names where the answers came from and the config) and one
    /// entry per verified input (the answer in the API's own shape, under the journal's own fields).
    /// </summary>
    internal static class JournalFormat
    {
        /// <summary>The format's version: 2 since the header names where the answers came from, 3 since every line is signed.</summary>
        public const int FormatVersion = 3;

        public const string JournalField = "journal";
        public const string VersionField = "version";
        public const string AnswersFromField = "answersFrom";
        public const string UrlField = "imageUrl";
        public const string ConfigField = "config";
        public const string VerifiedAtField = "verifiedAt";
        public const string PortraitPathField = "portraitPath";
        public const string MaskedField = "masked";
        public const string InconsistenciesField = "inconsistencies";
        public const string IdentityField = "identity";
        public const string AnswerField = "answer";

        /// <summary>An intent line's entry: {"intent": how the input is shown}, written before its request goes out.</summary>
        public const string IntentField = "intent";

        /// <summary>A settled intent's entry: {"settled": the ErrorId its request ended with}.</summary>
        public const string SettledField = "settled";

        // A version 3 line: {"key": the URL's keyed hash, "entry": {...}, "mac": the line's signature}.
        public const string KeyField = "key";
        public const string EntryField = "entry";
        public const string MacField = "mac";

        /// <summary>
        /// One entry line, signed: <paramref name="entry"/> (from <see cref="Serialize"/>) under the URL's keyed hash, with
        /// an HMAC over the journal's header, that hash and the entry's exact bytes.
        /// </summary>
        public static byte[] Line(JournalSigner signer, string header, string urlKey, string entryText)
        {
            var line = "{\"" + KeyField + "\":\"" + urlKey + "\",\"" + EntryField + "\":" + entryText + ",\"" + MacField + "\":\"" + signer.Mac(header, urlKey, entryText) + "\"}\n";
            return Encoding.UTF8.GetBytes(line);
        }

        /// <summary>A line's URL key and entry when its signature holds under <paramref name="signer"/>; null when it does not (or it is no entry line).</summary>
        public static (string Key, JsonElement Entry)? Verified(JournalSigner signer, string header, JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(KeyField, out var key) || key.ValueKind != JsonValueKind.String
                || !root.TryGetProperty(EntryField, out var entry) || entry.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(MacField, out var mac) || mac.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var urlKey = key.GetString()!;
            return signer.Verify(header, urlKey, entry.GetRawText(), mac.GetString()!) ? (urlKey, entry) : ((string, JsonElement)?)null;
        }

        public static string? Mismatch(string? header, string answersFrom, string? config)
        {
            try
            {
                using var doc = JsonDocument.Parse(header ?? string.Empty);
                var root = doc.RootElement;
                if (!root.TryGetProperty(JournalField, out _) || !root.TryGetProperty(VersionField, out var version) || version.GetInt32() != FormatVersion)
                {
                    return root.TryGetProperty(VersionField, out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == 2
                        ? Text.Journal_ByRelease02
                        : Text.Journal_ByOtherVersion;
                }

                var from = root.GetProperty(AnswersFromField).GetString();
                var written = root.TryGetProperty(ConfigField, out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                if (from != answersFrom)
                {
                    return Words.Format(Text.Journal_OtherSource, Describe(from), Describe(answersFrom));
                }

                return written != config
                    ? Words.Format(Text.Journal_OtherConfig, written ?? Text.Journal_None, config ?? Text.Journal_None)
                    : null;
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                return Text.Journal_Unrecognised;
            }
        }

        private static string Describe(string? answersFrom) => answersFrom == CheckpointJournal.SandboxSource ? Text.Journal_TheSandbox : Words.Format(Text.Journal_Quoted, answersFrom);

        public static string Header(string answersFrom, string? config)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString(JournalField, "IdCardVerify");
                writer.WriteNumber(VersionField, FormatVersion);
                writer.WriteString(AnswersFromField, answersFrom);
                if (config != null)
                {
                    writer.WriteString(ConfigField, config);
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>An intent line's entry, as JSON text (signed and written by <see cref="Line"/>).</summary>
        public static string Intent(string shown) => OneField(IntentField, shown);

        /// <summary>A settled intent's entry, as JSON text.</summary>
        public static string Settled(string errorId) => OneField(SettledField, errorId);

        // {"name": value}, escaped as every entry is.
        private static string OneField(string name, string value)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString(name, value);
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>One result's entry, as JSON text (signed and written by <see cref="Line"/>).</summary>
        public static string Serialize(VerificationResult r, DateTimeOffset verifiedAt)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                // The URL as the result shows it (no user info, no query values): the line is found by its keyed hash.
                writer.WriteString(UrlField, r.ImageUrl);
                writer.WriteString(VerifiedAtField, verifiedAt.ToString("o", CultureInfo.InvariantCulture));
                if (r.PortraitPath != null)
                {
                    writer.WriteString(PortraitPathField, r.PortraitPath);
                }

                if (r.IsMasked)
                {
                    writer.WriteBoolean(MaskedField, true);
                    if (r.Inconsistencies.Length > 0)
                    {
                        // The masked answer can no longer be checked against itself: keep what was found.
                        writer.WriteString(InconsistenciesField, r.Inconsistencies);
                    }

                    if (r.Identity != IdentityCheck.NotChecked)
                    {
                        // Nor against the row's person.
                        writer.WriteString(IdentityField, r.Identity.ToString());
                    }
                }

                writer.WriteStartObject(AnswerField);
                if (r.Similarity.HasValue)
                {
                    writer.WriteNumber(ApiFields.Similarity, r.Similarity.Value);
                }

                writer.WriteString(ApiFields.Result, r.Result);
                writer.WriteString(ApiFields.Description, r.Description);
                writer.WriteString(ApiFields.Name, r.Name);
                writer.WriteString(ApiFields.Sex, r.Sex);
                writer.WriteString(ApiFields.Nation, r.Nation);
                writer.WriteString(ApiFields.Birth, r.Birth);
                writer.WriteString(ApiFields.Address, r.Address);
                writer.WriteString(ApiFields.IdNumber, r.IdNumber);
                writer.WriteString(ApiFields.Warnings, r.WarningCodes);
                if (r.Quality.HasValue)
                {
                    writer.WriteNumber(ApiFields.Quality, r.Quality.Value);
                }

                if (r.Encryption != null)
                {
                    writer.WritePropertyName(ApiFields.Encryption);
                    using var encryption = JsonDocument.Parse(r.Encryption);
                    encryption.RootElement.WriteTo(writer);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
