using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using IdCardVerify.Files;

namespace IdCardVerify.Settings
{
    /// <summary>
    /// The user's key for checkpoint journals: 32 random bytes in <c>journal.key</c> beside the CurrentUser store (0600 in
    /// a 0700 folder off Windows; the user's own profile on Windows), made at the first journal. Every journal line
    /// carries an HMAC-SHA256 under it, so a line edited by anyone without the key (a raised similarity, a flipped
    /// "masked", a portrait path pointed at another file) is verified again instead of believed. Where there is no
    /// store (no home folder), a key lives for the process only: the journal then resumes only within this process,
    /// and the run says so.
    /// </summary>
    internal static class JournalKey
    {
        public const string FileName = "journal.key";
        private const int KeyBytes = 32;
        private static readonly object Gate = new object();
        private static byte[]? _processOnly;

        /// <summary>The key; <paramref name="warning"/> says when it is the process's own (the journal will not resume elsewhere).</summary>
        public static byte[] Get(out string? warning)
        {
            warning = null;
            var store = UserStore.FilePath;
            var path = store == null ? null : Path.Combine(Path.GetDirectoryName(store)!, FileName);
            string? problem;
            if (path != null)
            {
                var key = TryLoadOrCreate(path, out problem);
                if (key != null)
                {
                    return key;
                }
            }
            else
            {
                problem = Text.Key_NoHome;
            }

            warning = Words.Format(Text.Key_ProcessOnly, problem, FileName);
            lock (Gate)
            {
                return _processOnly ??= Random();
            }
        }

        private static byte[]? TryLoadOrCreate(string path, out string? problem)
        {
            problem = null;
            try
            {
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    if (File.Exists(path) || Directory.Exists(path))
                    {
                        var existing = Read(path, out problem);
                        if (existing != null || problem != null)
                        {
                            return existing;
                        }

                        // Another process is writing it this moment: read it again.
                        Clock.System.Sleep(TimeSpan.FromMilliseconds(25));
                        continue;
                    }

                    PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
                    var key = Random();
                    try
                    {
                        using var file = PrivateFiles.Exclusive(path);
                        var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(key));
                        file.Write(text, 0, text.Length);
                        return key;
                    }
                    catch (IOException) when (File.Exists(path))
                    {
                        // Made by another process between the two looks: use theirs.
                    }
                }

                problem = $"'{path}' stayed empty";
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                problem = Words.Format(Text.Key_Unreadable, path, ex.Message);
                return null;
            }
        }

        private static byte[]? Read(string path, out string? problem)
        {
            problem = null;
            if (!PrivateFiles.IsPlainFile(path, 1024))
            {
                var info = new FileInfo(path);
                if (info.Length == 0 && (info.Attributes & FileAttributes.ReparsePoint) == 0)
                {
                    // Another process made it and has not written it yet: the caller reads it again.
                    return null;
                }

                problem = Words.Format(Text.Key_NotOwn, path);
                return null;
            }

            // Where modes can be read, the key is its owner's alone (0600) or it is no key.
            if (!PrivateFiles.IsWindows && PrivateFiles.HasMode(path, PrivateFiles.OwnerReadWrite) == false)
            {
                problem = $"'{path}': {PrivateFiles.PermissionProblem(path, PrivateFiles.OwnerReadWrite)} Run 'chmod 600 {path}'";
                return null;
            }

            try
            {
                var key = Convert.FromBase64String(BoundedFile.ReadText(path, 1024).Trim());
                if (key.Length == KeyBytes)
                {
                    return key;
                }
            }
            catch (FormatException)
            {
            }

            problem = Words.Format(Text.Key_NoKey, path);
            return null;
        }

        private static byte[] Random()
        {
            var key = new byte[KeyBytes];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(key);
            return key;
        }
    }
}
