using System;
using System.Runtime.InteropServices;

namespace IdCardVerify.Files
{
    /// <summary>
    /// What .NET cannot tell of a file on Linux and macOS: its type (a FIFO, a device) and its owner. Read through the
    /// runtime's own native shim (libSystem.Native's <c>SystemNative_Stat</c>/<c>SystemNative_LStat</c>, whose
    /// <c>FileStatus</c> begins with the same four 32-bit fields on every platform and every .NET since Core 2.0), so
    /// nothing depends on the layout of the C library's <c>struct stat</c>. Null wherever that cannot be read (Windows,
    /// Windows PowerShell 5.1, a runtime without the shim): callers then do without the check.
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

        public readonly struct Status
        {
            public Status(int mode, uint uid)
            {
                Mode = mode;
                Uid = uid;
            }

            /// <summary>Type and permission bits.</summary>
            public int Mode { get; }

            public uint Uid { get; }
        }

        /// <summary>The entry's type, mode and owner; with <paramref name="followLinks"/> false, a link's own (lstat).</summary>
        public static Status? Of(string path, bool followLinks)
        {
            if (PrivateFiles.IsWindows)
            {
                return null;
            }

            try
            {
                // FileStatus is 16 to 120 bytes depending on the .NET version: a buffer that holds any of them.
                var buffer = new byte[512];
                var result = followLinks ? Stat(path, buffer) : LStat(path, buffer);
                return result != 0 ? (Status?)null : new Status(BitConverter.ToInt32(buffer, 4), BitConverter.ToUInt32(buffer, 8));
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
            {
                return null;
            }
        }

        /// <summary>This process's effective user id; null where it cannot be read.</summary>
        public static uint? EffectiveUser()
        {
            if (PrivateFiles.IsWindows)
            {
                return null;
            }

            try
            {
                return geteuid();
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary>
        /// Null when <paramref name="folder"/> is a real folder (not a link) owned by this user that no one else can write
        /// (with <paramref name="groupMayWrite"/>, that only the user's group besides may write: a home's cache folder under
        /// umask 002, where the group is the user's own); else what is wrong. Where owners cannot be read, only what can be
        /// read is checked.
        /// </summary>
        public static string? OwnFolderProblem(string folder, bool groupMayWrite = false)
        {
            var status = Of(folder, followLinks: false);
            if (status == null)
            {
                return null;
            }

            var mode = status.Value.Mode;
            if ((mode & TypeMask) != Directory)
            {
                return (mode & TypeMask) == Link ? "it is a link" : "it is not a folder";
            }

            if (EffectiveUser() is uint user && status.Value.Uid != user)
            {
                return "it belongs to another user (uid " + status.Value.Uid + ")";
            }

            return (mode & (groupMayWrite ? WritableByAll : WritableByOthers)) != 0 ? "others can write to it (mode " + Convert.ToString(mode & 0x1FF, 8) + ")" : null;
        }

        /// <summary>An open file's status (fstat) into <paramref name="status"/> (a FileStatus: mode at 4, owner at 8, size at 16); null where the shim is missing.</summary>
        public static int? FStat(SafeHandle handle, byte[] status)
        {
            try
            {
                return FStatNative(handle, status);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
            {
                return null;
            }
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
        private static extern int FStatNative(SafeHandle fd, byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int Stat(string path, byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        private static extern int LStat(string path, byte[] status);

        [DllImport("libc")]
        private static extern uint geteuid();
    }
}
