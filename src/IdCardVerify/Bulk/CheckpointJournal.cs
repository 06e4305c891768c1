using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Client;
using IdCardVerify.Contract;
using IdCardVerify.Verification;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// An append-only journal of verified inputs (one JSON line each, written to the OS as each
    /// result completes) so that rerunning the same command skips what was already paid for.
    /// Only results are journaled: an input that ended in an error is tried again on the rerun.
    /// Each line holds the answer in the API's own shape (the field names of <see cref="ApiFields"/>), so
    /// resuming reuses the response parser, and the resuming run's threshold decides the verdict again.
    /// The portrait is not journaled (its file is, with -PortraitDirectory).
    /// </summary>
    internal sealed class CheckpointJournal : IDisposable
    {
        private const string Header = "{\"journal\":\"IdCardVerify\",\"version\":1}";

        // The journal's own fields around each answer.
        private const string UrlField = "imageUrl";
        private const string ConfigField = "config";
        private const string VerifiedAtField = "verifiedAt";
        private const string PortraitPathField = "portraitPath";
        private const string MaskedField = "masked";
        private const string AnswerField = "answer";
        private readonly Dictionary<string, string> _done = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly object _gate = new object();
        private readonly FileStream _stream;

        private readonly string _path;

        private CheckpointJournal(string path, FileStream stream)
        {
            _path = path;
            _stream = stream;
        }

        /// <summary>Inputs the journal already holds.</summary>
        public int Count => _done.Count;

        /// <summary>Opens (or creates) the journal; <paramref name="warnings"/> gets what could not be read.</summary>
        public static CheckpointJournal Open(string path, List<string> warnings)
        {
            var full = System.IO.Path.GetFullPath(path);
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            var journal = new CheckpointJournal(full, stream);
            try
            {
                journal.Load(warnings);
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return journal;
        }

        /// <summary>The key of one input: the same image with the same config is the same verification.</summary>
        public static string KeyOf(string imageUrl, string? configJson) => imageUrl + "\n" + (configJson ?? string.Empty);

        public bool TryGet(string imageUrl, string? configJson, double threshold, out VerificationResult? result)
        {
            result = null;
            if (!_done.TryGetValue(KeyOf(imageUrl, configJson), out var line))
            {
                return false;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            // The answer is kept as the API sent it; the threshold of this run decides it again.
            result = Decisions.Judge(ResponseParser.ParseAnswer(root.GetProperty(AnswerField).GetRawText()), imageUrl, threshold);
            if (root.TryGetProperty(PortraitPathField, out var portrait) && portrait.ValueKind == JsonValueKind.String)
            {
                result.PortraitPath = portrait.GetString();
            }

            result.IsMasked = root.TryGetProperty(MaskedField, out var masked) && masked.ValueKind == JsonValueKind.True;
            result.FromCheckpoint = true;
            return true;
        }

        /// <summary>Appends one result and pushes it to the operating system before returning.</summary>
        public void Append(VerificationResult result, string? configJson)
        {
            var line = Serialize(result, configJson);
            lock (_gate)
            {
                _stream.Write(line, 0, line.Length);
                _stream.Flush();
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stream.Dispose();
            }
        }

        private void Load(List<string> warnings)
        {
            var lines = new List<string>();
            using (var reader = new StreamReader(_stream, new UTF8Encoding(false), false, 64 * 1024, leaveOpen: true))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    lines.Add(line);
                }
            }

            var endsWithNewline = true;
            if (_stream.Length > 0)
            {
                _stream.Seek(-1, SeekOrigin.End);
                endsWithNewline = _stream.ReadByte() == '\n';
            }

            _stream.Seek(0, SeekOrigin.End);
            if (_stream.Length == 0)
            {
                var header = Encoding.UTF8.GetBytes(Header + "\n");
                _stream.Write(header, 0, header.Length);
                _stream.Flush();
                return;
            }

            if (!endsWithNewline)
            {
                // A run killed mid-write left half a line: start the next entry on a line of its own.
                _stream.WriteByte((byte)'\n');
                _stream.Flush();
            }

            for (var i = 0; i < lines.Count; i++)
            {
                var text = lines[i];
                if (text.Length == 0 || text == Header)
                {
                    continue;
                }

                try
                {
                    using var doc = JsonDocument.Parse(text);
                    var root = doc.RootElement;
                    var url = root.GetProperty(UrlField).GetString() ?? string.Empty;
                    var config = root.TryGetProperty(ConfigField, out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    if (root.GetProperty(AnswerField).ValueKind != JsonValueKind.Object)
                    {
                        throw new JsonException("answer is not an object");
                    }

                    _done[KeyOf(url, config)] = text;
                }
                catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
                {
                    warnings.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "Checkpoint journal '{0}': line {1} is {2} and was skipped; that input will be verified again.",
                        _path,
                        i + 1,
                        i == lines.Count - 1 ? "truncated (the last run was probably killed while writing it)" : "not a journal entry"));
                }
            }
        }

        private static byte[] Serialize(VerificationResult r, string? configJson)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString(UrlField, r.ImageUrl);
                if (configJson != null)
                {
                    writer.WriteString(ConfigField, configJson);
                }

                writer.WriteString(VerifiedAtField, DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
                if (r.PortraitPath != null)
                {
                    writer.WriteString(PortraitPathField, r.PortraitPath);
                }

                if (r.IsMasked)
                {
                    writer.WriteBoolean(MaskedField, true);
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

            buffer.WriteByte((byte)'\n');
            return buffer.ToArray();
        }
    }
}
