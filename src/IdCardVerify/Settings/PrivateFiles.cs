using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IdCardVerify.Settings
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

        /// <summary>Writes <paramref name="bytes"/> to a new file that is 0600 before anything is in it.</summary>
        public static void WriteAllBytes(string path, byte[] bytes)
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            Restrict(path);
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>Whether <paramref name="path"/> has exactly <paramref name="mode"/>; null where modes cannot be read (before .NET 7).</summary>
        public static bool? HasMode(string path, int mode) => Permissions(path) is int actual ? actual == mode : (bool?)null;

        /// <summary>Null when <paramref name="path"/> has exactly <paramref name="mode"/>; else what is wrong.</summary>
        public static string? PermissionProblem(string path, int mode)
        {
            var actual = Permissions(path);
            if (actual == null)
            {
                return "its permissions cannot be read on this system.";
            }

            return actual.Value == mode
                ? null
                : string.Format(CultureInfo.InvariantCulture, "its permissions are {0} where {1} is needed (readable by its owner alone).", Convert.ToString(actual.Value, 8), Convert.ToString(mode, 8));
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
    }
}
