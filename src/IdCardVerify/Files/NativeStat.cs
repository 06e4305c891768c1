using System;
using System.Runtime.InteropServices;
using System.Text;

namespace IdCardVerify.Files
{
    /// <summary>
    /// What .NET cannot tell of a file on Linux and macOS: its type (a FIFO, a device) and its owner, read through the C
    /// library's public POSIX calls (<c>fstat</c>, <c>lstat</c>, <c>stat</c>, <c>geteuid</c>): on Linux through Tmds.LibC
    /// (MIT; its <c>struct stat</c> per architecture, glibc), on macOS through libSystem (Apple's 64-bit-inode
    /// <c>struct stat</c>, the same on Intel and Apple silicon). Failing closed: where they cannot be called (another C
    /// library, an architecture without a build), <see cref="Unavailable"/> says why and every caller treats the file as
    /// untrusted, naming that reason. Windows checks its own way (<c>GetFileType</c> on the handle) and never calls here.
    /// </summary>
    internal static class NativeStat
    {
        public const int TypeMask = 0xF000;
        public const int Regular = 0x8000;
        public const int Directory = 0x4000;
        public const int Link = 0xA000;

        /// <summary>The permission bits that let the group or others write.</summary>
        public const int WritableByOthers = 0x12; // 022

        /// <summary>The permission bit that lets others (not the group) write.</summary>
        public const int WritableByAll = 0x2; // 002

        private static readonly Lazy<string?> Probe = new Lazy<string?>(TryCalls);

        public readonly struct Status
        {
            public Status(int mode, uint uid, long size)
            {
                Mode = mode;
                Uid = uid;
                Size = size;
            }

            /// <summary>Type and permission bits.</summary>
            public int Mode { get; }

            public uint Uid { get; }

            public long Size { get; }
        }

        /// <summary>
        /// Why a file's type and owner cannot be read on this system, in words for a message; null where they can (and on
        /// Windows, which does not use them). Set for tests by <see cref="Disable"/>.
        /// </summary>
        public static string? Unavailable => PrivateFiles.IsWindows ? null : Disabled.Value ?? Probe.Value;

        // Set by a test of failing closed, for its own flow only.
        private static readonly System.Threading.AsyncLocal<string?> Disabled = new System.Threading.AsyncLocal<string?>();

        /// <summary>Makes the checks unavailable in this flow (a test of failing closed); null restores them.</summary>
        internal static void Disable(string? why) => Disabled.Value = why;

        /// <summary>The entry's type, mode and owner (with <paramref name="followLinks"/> false, a link's own); null when it cannot be read (no such entry) or on Windows.</summary>
        public static Status? Of(string path, bool followLinks)
        {
            if (PrivateFiles.IsWindows || Unavailable != null)
            {
                return null;
            }

            var bytes = Encoding.UTF8.GetBytes(path + "\0");
            return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? DarwinCalls.Path(bytes, followLinks) : LinuxCalls.Path(bytes, followLinks);
        }

        /// <summary>An open file's status (fstat); null when it cannot be read (see <see cref="Unavailable"/> for why, when that is the reason).</summary>
        public static Status? Of(SafeHandle handle)
        {
            if (PrivateFiles.IsWindows || Unavailable != null)
            {
                return null;
            }

            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var fd = handle.DangerousGetHandle().ToInt32();
                return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? DarwinCalls.Handle(fd) : LinuxCalls.Handle(fd);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>This process's effective user id; null on Windows or where it cannot be read.</summary>
        public static uint? EffectiveUser() =>
            PrivateFiles.IsWindows || Unavailable != null ? (uint?)null
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? DarwinCalls.EffectiveUser() : LinuxCalls.EffectiveUser();

        /// <summary>
        /// Null when <paramref name="folder"/> is a real folder (not a link) owned by this user that no one else can write
        /// (with <paramref name="groupMayWrite"/>, that only the user's group besides may write: a home's cache folder under
        /// umask 002, where the group is the user's own); else what is wrong, including that it cannot be checked here.
        /// Windows: null (its profile folders are the user's by their ACL).
        /// </summary>
        public static string? OwnFolderProblem(string folder, bool groupMayWrite = false)
        {
            if (PrivateFiles.IsWindows)
            {
                return null;
            }

            if (Unavailable is string why)
            {
                return FileWords.Format(FileText.File_OwnerUnchecked, why);
            }

            if (!(Of(folder, followLinks: false) is Status status))
            {
                return FileText.File_StatusUnreadable;
            }

            var mode = status.Mode;
            if ((mode & TypeMask) != Directory)
            {
                return (mode & TypeMask) == Link ? FileText.File_IsLink : FileText.File_NotAFolder;
            }

            if (status.Uid != EffectiveUser())
            {
                return FileWords.Format(FileText.File_OtherUser, status.Uid);
            }

            return (mode & (groupMayWrite ? WritableByAll : WritableByOthers)) != 0 ? FileWords.Format(FileText.File_OthersWrite, Convert.ToString(mode & 0x1FF, 8)) : null;
        }

        /// <summary>Calls each function once; null when they answer, else why they cannot be used.</summary>
        private static string? TryCalls()
        {
            try
            {
                var root = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? DarwinCalls.Path(Encoding.UTF8.GetBytes("/\0"), true) : LinuxCalls.Path(Encoding.UTF8.GetBytes("/\0"), true);
                var user = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? DarwinCalls.EffectiveUser() : LinuxCalls.EffectiveUser();
                return root is Status status && (status.Mode & TypeMask) == Directory
                    ? null
                    : FileText.File_StatOdd;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException
                || ex is System.IO.FileNotFoundException || ex is System.IO.FileLoadException || ex is TypeLoadException || ex is PlatformNotSupportedException)
            {
                return FileWords.Format(FileText.File_StatMissing, RuntimeInformation.OSDescription.Trim() + " " + RuntimeInformation.OSArchitecture, ex.GetType().Name);
            }
        }
    }
}
