using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// A journal's index, read in one pass when it is opened: each verified input's line (by the keyed hash of its key),
    /// the inputs an earlier run sent and never answered, and the header every line is signed under. A line that is not
    /// this user's, or not an entry, is skipped with a warning, and its input verified again.
    /// </summary>
    internal sealed class JournalIndex
    {
        private readonly JournalSigner _signer;
        private readonly string _path;

        public JournalIndex(JournalSigner signer, string path)
        {
            _signer = signer;
            _path = path;
        }

        /// <summary>Each answered input's line: keyed hash → offset.</summary>
        public Dictionary<ulong, long> Offsets { get; } = new Dictionary<ulong, long>();

        /// <summary>Inputs an earlier run sent (an intent line) whose answer never reached the journal: keyed hash → how it was shown.</summary>
        public Dictionary<ulong, string> Unanswered { get; } = new Dictionary<ulong, string>();

        /// <summary>The journal's first line: where its answers came from and the config, signed into every line.</summary>
        public string Header { get; private set; } = string.Empty;

        /// <summary>Indexes the entries; returns how the journal's settings differ from the run's, or null when they agree.</summary>
        public string? Load(FileStream stream, string answersFrom, string? config, List<string> warnings)
        {
            if (stream.Length == 0)
            {
                Header = JournalFormat.Header(answersFrom, config);
                var header = Encoding.UTF8.GetBytes(Header + "\n");
                stream.Write(header, 0, header.Length);
                stream.Flush();
                return null;
            }

            var reader = new LineReader(stream);
            var first = reader.Next(out _);
            var mismatch = JournalFormat.Mismatch(first, answersFrom, config);
            if (mismatch != null)
            {
                return mismatch;
            }

            Header = first!;
            var unsigned = 0;
            var lineNumber = 1;
            while (reader.Next(out var offset) is string text)
            {
                lineNumber++;
                if (text.Length == 0)
                {
                    continue;
                }

                try
                {
                    using var doc = JsonDocument.Parse(text);
                    var verified = JournalFormat.Verified(_signer, Header, doc.RootElement);
                    if (verified == null)
                    {
                        // Edited, or signed with another user's key: believed by no one, verified again.
                        unsigned++;
                        continue;
                    }

                    var index = JournalSigner.Index(verified.Value.Key);
                    if (verified.Value.Entry.TryGetProperty(JournalFormat.IntentField, out var intent) && intent.ValueKind == JsonValueKind.String)
                    {
                        // Sent; answered only if a result line for the same input follows (or came before, from a run before).
                        if (!Offsets.ContainsKey(index))
                        {
                            Unanswered[index] = intent.GetString()!;
                        }

                        continue;
                    }

                    if (verified.Value.Entry.TryGetProperty(JournalFormat.SettledField, out _))
                    {
                        // The request ended in an error: not billed as an answer, verified again; nothing to announce.
                        Unanswered.Remove(index);
                        continue;
                    }

                    if (verified.Value.Entry.GetProperty(JournalFormat.AnswerField).ValueKind != JsonValueKind.Object)
                    {
                        throw new JsonException("answer is not an object");
                    }

                    Offsets[index] = offset;
                    Unanswered.Remove(index);
                }
                catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
                {
                    warnings.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        Text.Journal_LineSkipped,
                        _path,
                        lineNumber,
                        reader.AtEnd && !reader.EndedWithNewline ? Text.Journal_Truncated : Text.Journal_NotAnEntry));
                }
            }

            if (unsigned > 0)
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    Text.Journal_Unsigned,
                    _path,
                    unsigned));
            }

            if (!reader.EndedWithNewline)
            {
                // A run killed mid-write left half a line: start the next entry on a line of its own.
                stream.Seek(0, SeekOrigin.End);
                stream.WriteByte((byte)'\n');
                stream.Flush();
            }

            return null;
        }
    }
}
