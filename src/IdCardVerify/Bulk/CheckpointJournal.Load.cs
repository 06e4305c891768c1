using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Files;

namespace IdCardVerify.Bulk
{
    /// <summary>Opening the journal: the lock, and the index of its signed entries.</summary>
    internal sealed partial class CheckpointJournal
    {
        private static FileStream Lock(string path)
        {
            try
            {
                // It will hold names and ID numbers: a new journal is created exclusively and 0600 from the start; a
                // journal that is there already must be this user's own regular 0600 file, checked on the handle that
                // was opened (a link planted at the name, or another user's file, never receives a line).
                if (PrivateFiles.IsOtherThanFile(path))
                {
                    throw new JournalNotOwnException(path, Files.NativeStat.Unavailable is string why
                        ? "its type and owner cannot be checked on this system (" + why + ")"
                        : "it is a link, a FIFO or a device, not a regular file");
                }

                if (!File.Exists(path))
                {
                    try
                    {
                        PrivateFiles.Exclusive(path).Dispose();
                    }
                    catch (IOException)
                    {
                        // Made by someone else meanwhile: checked below like any existing file.
                    }
                }

                // Unbuffered, so every Append reaches the OS and nothing is left to fail on close.
                var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                if (PrivateFiles.OwnFileProblem(stream.SafeFileHandle) is string problem)
                {
                    stream.Dispose();
                    throw new JournalNotOwnException(path, problem);
                }

                return stream;
            }
            catch (IOException ex) when (IsLocked(ex))
            {
                throw new JournalInUseException(path, ex);
            }
        }

        /// <summary>The lock is held elsewhere: EWOULDBLOCK from flock (11 on Linux, 35 on macOS), or a sharing or lock violation on Windows.</summary>
        private static bool IsLocked(IOException ex) =>
            ex.HResult == 11 || ex.HResult == 35 || (ex.HResult & 0xFFFF) == 32 || (ex.HResult & 0xFFFF) == 33;

        /// <summary>Indexes the entries; returns how the journal's settings differ from the run's, or null when they agree.</summary>
        private string? Load(string answersFrom, string? config, List<string> warnings)
        {
            if (_stream.Length == 0)
            {
                _header = JournalFormat.Header(answersFrom, config);
                var header = Encoding.UTF8.GetBytes(_header + "\n");
                _stream.Write(header, 0, header.Length);
                _stream.Flush();
                return null;
            }

            var reader = new LineReader(_stream);
            var first = reader.Next(out _);
            var mismatch = JournalFormat.Mismatch(first, answersFrom, config);
            if (mismatch != null)
            {
                return mismatch;
            }

            _header = first!;
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
                    var verified = JournalFormat.Verified(_signer, _header, doc.RootElement);
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
                        if (!_offsets.ContainsKey(index))
                        {
                            _unanswered[index] = intent.GetString()!;
                        }

                        continue;
                    }

                    if (verified.Value.Entry.TryGetProperty(JournalFormat.SettledField, out _))
                    {
                        // The request ended in an error: not billed as an answer, verified again; nothing to announce.
                        _unanswered.Remove(index);
                        continue;
                    }

                    if (verified.Value.Entry.GetProperty(JournalFormat.AnswerField).ValueKind != JsonValueKind.Object)
                    {
                        throw new JsonException("answer is not an object");
                    }

                    _offsets[index] = offset;
                    _unanswered.Remove(index);
                }
                catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
                {
                    warnings.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "Checkpoint journal '{0}': line {1} is {2} and was skipped; that input will be verified again.",
                        _path,
                        lineNumber,
                        reader.AtEnd && !reader.EndedWithNewline ? "truncated (the last run was probably killed while writing it)" : "not a journal entry"));
                }
            }

            if (unsigned > 0)
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "Checkpoint journal '{0}': {1} line(s) do not carry this user's signature (edited since they were written, or written with another user's journal key), so they are not trusted; those inputs will be verified again.",
                    _path,
                    unsigned));
            }

            if (!reader.EndedWithNewline)
            {
                // A run killed mid-write left half a line: start the next entry on a line of its own.
                _stream.Seek(0, SeekOrigin.End);
                _stream.WriteByte((byte)'\n');
                _stream.Flush();
            }

            return null;
        }
    }
}
