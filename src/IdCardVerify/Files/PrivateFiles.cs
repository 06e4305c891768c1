using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IdCardVerify.Files
{
    /// <summary>
    /// Files the module writes that hold secrets or personal data (the CurrentUser store, the checkpoint
    /// journal, portraits) are readable by their owner alone: 0600 files, and 0700 for a folder the module
    /// creates. On Windows a new file inherits its folder's access list, which under the user's profile is
    /// the user's own; the module sets nothing there.
    /// </summary>
    internal static class PrivateFiles
    {
        public const int OwnerReadWrite = 0x180; // 0600
        public const int OwnerAll = 0x1C0;       // 0700

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Creates <paramref name="folder"/> (and its parents) when missing; a folder created here is 0700.</summary>
        public static void CreateFolder(string folder)
        {
            if (Directory.Exists(folder))
            {
                return;
            }

            Directory.CreateDirectory(folder);
            if (!IsWindows)
            {
                SetMode(folder, OwnerAll);
            }
        }

        /// <summary>Makes <paramref name="path"/> readable and writable by its owner alone (0600); nothing on Windows.</summary>
        public static void Restrict(string path)
        {
            if (!IsWindows)
            {
                SetMode(path, OwnerReadWrite);
            }
        }

        /// <summary>Writes <paramref name="bytes"/> to a new file that is 0600 from its creation (<see cref="CreateNew"/>).</summary>
        public static void WriteAllBytes(string path, byte[] bytes)
        {
            using var stream = CreateNew(path);
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>
        /// A new, empty file at <paramref name="path"/>, never reached through a link: whatever is at the name (an
        /// earlier run's file, or a link planted there to make the module write or chmod its target) is removed, not
        /// followed, and the file is created exclusively (O_CREAT|O_EXCL, which fails on any existing entry, a link
        /// included). Off Windows it is 0600 from the start (the mode is given at creation where .NET can, else set on
        /// the open handle before anything is written), so no one else can open it even for a moment.
        /// </summary>
        public static FileStream CreateNew(string path)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return Exclusive(path);
                }
                catch (IOException) when (attempt < 3 && !Directory.Exists(path))
                {
                    // Something is at the name: a file of an earlier run, or a link. Deleting a link deletes the link.
                    File.Delete(path);
                }
            }
        }

        /// <summary>A new file at <paramref name="path"/>, 0600 from the start off Windows; an <see cref="IOException"/> when anything is at the name already.</summary>
        public static FileStream Exclusive(string path)
        {
            if (IsWindows)
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }

            if (WithCreateMode(path) is FileStream created)
            {
                return created;
            }

            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            try
            {
                if (fchmod(stream.SafeFileHandle.DangerousGetHandle().ToInt32(), OwnerReadWrite) != 0)
                {
                    throw new IOException($"chmod 600 '{path}' failed (errno {Marshal.GetLastWin32Error()}).");
                }

                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        // .NET 7 and later (PowerShell 7.4+) take the file's mode at creation: FileStreamOptions.UnixCreateMode.
        private static readonly Type? StreamOptions = Type.GetType("System.IO.FileStreamOptions");
        private static readonly PropertyInfo? UnixCreateMode = StreamOptions?.GetProperty("UnixCreateMode");
        private static readonly ConstructorInfo? StreamWithOptions = StreamOptions == null ? null : typeof(FileStream).GetConstructor(new[] { typeof(string), StreamOptions });

        private static FileStream? WithCreateMode(string path)
        {
            if (UnixCreateMode == null || StreamWithOptions == null)
            {
                return null;
            }

            var options = Activator.CreateInstance(StreamOptions!);
            StreamOptions!.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
            StreamOptions.GetProperty("Access")!.SetValue(options, FileAccess.Write);
            StreamOptions.GetProperty("Share")!.SetValue(options, FileShare.None);
            var modeType = Nullable.GetUnderlyingType(UnixCreateMode.PropertyType) ?? UnixCreateMode.PropertyType;
            UnixCreateMode.SetValue(options, Enum.ToObject(modeType, OwnerReadWrite));
            try
            {
                return (FileStream)StreamWithOptions.Invoke(new[] { path, options });
            }
            catch (TargetInvocationException ex) when (ex.InnerException != null)
            {
                throw ex.InnerException;
            }
        }

        /// <summary>
        /// True when <paramref name="path"/> is a regular file reached without a link, no larger than
        /// <paramref name="maxBytes"/> and not empty (a FIFO, a device or a link to one is none of these).
        /// </summary>
        public static bool IsPlainFile(string path, long maxBytes)
        {
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists || (info.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Directory | FileAttributes.Device)) != 0)
                {
                    return false;
                }

                if (info.Length <= 0 || info.Length > maxBytes)
                {
                    return false;
                }

                // Windows tells a device by its attributes; elsewhere the type is read, and where it cannot be, the file is not plain.
                return IsWindows || (FileType(path) is int type && type == NativeStat.Regular);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                return false;
            }
        }

        /// <summary>
        /// True when something other than a regular file is at <paramref name="path"/> (a link, dangling or not, a FIFO, a
        /// device): opening it would follow the link or block. False when nothing is there, or a regular file.
        /// </summary>
        public static bool IsOtherThanFile(string path)
        {
            if (FileType(path) is int type)
            {
                return type != NativeStat.Regular;
            }

            if (!IsWindows && NativeStat.Unavailable != null)
            {
                // Failing closed: whatever is there cannot be told from a FIFO or a link.
                return File.Exists(path) || Directory.Exists(path);
            }

            var info = new FileInfo(path);
            return info.Exists && (info.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Device)) != 0;
        }

        /// <summary>
        /// True when <paramref name="folder"/> is a real folder (not a link) of this user's that no one else can write
        /// (<see cref="NativeStat.OwnFolderProblem"/>; <paramref name="groupMayWrite"/>: that the user's group may).
        /// </summary>
        public static bool IsOwnFolder(string folder, bool groupMayWrite = false) =>
            (new DirectoryInfo(folder).Attributes & FileAttributes.ReparsePoint) == 0 && NativeStat.OwnFolderProblem(folder, groupMayWrite) == null;

        /// <summary>
        /// Null when the open <paramref name="handle"/> is a regular file of this user's that only the user can read and
        /// write (0600); else what is wrong with it, including that it cannot be checked on this system (failing closed).
        /// Checked on the handle, so what was checked is what is written. Windows: null (the file is made the user's own by
        /// its ACL when created).
        /// </summary>
        public static string? OwnFileProblem(SafeHandle handle)
        {
            if (IsWindows)
            {
                return null;
            }

            if (NativeStat.Unavailable is string why)
            {
                return FileWords.Format(FileText.File_OwnerUnchecked, why);
            }

            if (!(NativeStat.Of(handle) is NativeStat.Status status))
            {
                return FileText.File_StatusUnreadable;
            }

            if ((status.Mode & NativeStat.TypeMask) != NativeStat.Regular)
            {
                return FileText.File_ItIsNotRegular;
            }

            if (status.Uid != NativeStat.EffectiveUser())
            {
                return FileWords.Format(FileText.File_OtherUser, status.Uid.ToString(CultureInfo.InvariantCulture));
            }

            if ((status.Mode & 0x1FF) != OwnerReadWrite)
            {
                return FileWords.Format(FileText.File_Not600, Convert.ToString(status.Mode & 0x1FF, 8));
            }

            return null;
        }

        /// <summary>The file-type bits of <paramref name="path"/>'s own entry (lstat); null on Windows, where nothing is there, or where it cannot be read.</summary>
        private static int? FileType(string path) => NativeStat.Of(path, followLinks: false) is NativeStat.Status status ? status.Mode & NativeStat.TypeMask : (int?)null;

        /// <summary>Whether <paramref name="path"/> has exactly <paramref name="mode"/>; null where modes cannot be read (before .NET 7).</summary>
        public static bool? HasMode(string path, int mode) => Permissions(path) is int actual ? actual == mode : (bool?)null;

        /// <summary>Null when <paramref name="path"/> has exactly <paramref name="mode"/>; else what is wrong.</summary>
        public static string? PermissionProblem(string path, int mode)
        {
            var actual = Permissions(path);
            if (actual == null)
            {
                return FileText.File_ModeUnreadable;
            }

            return actual.Value == mode
                ? null
                : string.Format(CultureInfo.InvariantCulture, FileText.File_WrongMode, Convert.ToString(actual.Value, 8), Convert.ToString(mode, 8));
        }

        // The permission bits of a path's mode (rwx for owner, group and others); null where modes cannot be read.
        private static int? Permissions(string path) => GetMode(path) & 0x1FF;

        // File.SetUnixFileMode and GetUnixFileMode exist from .NET 7 (PowerShell 7.4+); netstandard2.0
        // cannot name them, so they are found by reflection. Without them, libc's chmod sets the mode
        // and the check reports it cannot read it back, so nothing is written.
        private static readonly MethodInfo? SetUnixFileMode = typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), Type.GetType("System.IO.UnixFileMode") ?? typeof(void) });
        private static readonly MethodInfo? GetUnixFileMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

        public static void SetMode(string path, int mode)
        {
            if (SetUnixFileMode != null)
            {
                var unixMode = Enum.ToObject(SetUnixFileMode.GetParameters()[1].ParameterType, mode);
                SetUnixFileMode.Invoke(null, new[] { path, unixMode });
                return;
            }

            if (chmod(path, mode) != 0)
            {
                throw new IOException($"chmod {Convert.ToString(mode, 8)} '{path}' failed (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        private static int? GetMode(string path)
        {
            if (GetUnixFileMode == null)
            {
                return null;
            }

            return Convert.ToInt32(GetUnixFileMode.Invoke(null, new object[] { path }), CultureInfo.InvariantCulture);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int fchmod(int fd, int mode);
    }
}
