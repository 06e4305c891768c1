using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Client;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// An append-only journal of verified inputs (one JSON line each, written to the OS as each
    /// result completes) so that rerunning the same command skips what was already paid for.
    /// Only results are journaled: an input that ended in an error is tried again on the rerun.
    /// Each line holds the answer in the API's own shape, so resuming reuses the response parser.
    /// The portrait is not journaled (its file is, with -PortraitDirectory).
    /// </summary>
    internal sealed class CheckpointJournal : IDisposable
    {
        private const string Header = "{\"journal\":\"IdCardVerify\",\"version\":1}";
        private readonly Dictionary<string, string> _done = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly object _gate = new object();
        private readonly FileStream _stream;

        private CheckpointJournal(string path, FileStream stream)
        {
            Path = path;
            _stream = stream;
        }

        public string Path { get; }

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
            result = ResponseParser.ParseSuccess(root.GetProperty("answer").GetRawText(), imageUrl, threshold);
            if (root.TryGetProperty("portraitPath", out var portrait) && portrait.ValueKind == JsonValueKind.String)
            {
                result.PortraitPath = portrait.GetString();
            }

            result.IsMasked = root.TryGetProperty("masked", out var masked) && masked.ValueKind == JsonValueKind.True;
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
                    var url = root.GetProperty("imageUrl").GetString() ?? string.Empty;
                    var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    if (root.GetProperty("answer").ValueKind != JsonValueKind.Object)
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
                        Path,
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
                writer.WriteString("imageUrl", r.ImageUrl);
                if (configJson != null)
                {
                    writer.WriteString("config", configJson);
                }

                writer.WriteString("verifiedAt", DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
                if (r.PortraitPath != null)
                {
                    writer.WriteString("portraitPath", r.PortraitPath);
                }

                if (r.IsMasked)
                {
                    writer.WriteBoolean("masked", true);
                }

                writer.WriteStartObject("answer");
                if (r.Similarity.HasValue)
                {
                    writer.WriteNumber("sim", r.Similarity.Value);
                }

                writer.WriteString("result", r.Result);
                writer.WriteString("description", r.Description);
                writer.WriteString("name", r.Name);
                writer.WriteString("sex", r.Sex);
                writer.WriteString("nation", r.Nation);
                writer.WriteString("birth", r.Birth);
                writer.WriteString("address", r.Address);
                writer.WriteString("id_num", r.IdNumber);
                writer.WriteString("warnings", r.WarningCodes);
                if (r.Quality.HasValue)
                {
                    writer.WriteNumber("quality", r.Quality.Value);
                }

                if (r.Encryption != null)
                {
                    writer.WritePropertyName("encryption");
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
