using System.IO;
using IdCardVerify.Files;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// A journal's file, opened for one run: created exclusively and 0600 when new, else this user's own regular 0600
    /// file checked on the handle that was opened, and locked so that a second run on it is refused (JournalInUse).
    /// </summary>
    internal static class JournalFile
    {
        /// <summary>The file at <paramref name="path"/>, opened unbuffered and locked.</summary>
        public static FileStream Open(string path)
        {
            try
            {
                // It will hold names and ID numbers: a new journal is created exclusively and 0600 from the start; a
                // journal that is there already must be this user's own regular 0600 file, checked on the handle that
                // was opened (a link planted at the name, or another user's file, never receives a line).
                if (PrivateFiles.IsOtherThanFile(path))
                {
                    throw new JournalNotOwnException(path, Files.NativeStat.Unavailable is string why
                        ? Words.Format(Text.Journal_Unchecked, why)
                        : Text.Journal_NotAFile);
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
    }
}
