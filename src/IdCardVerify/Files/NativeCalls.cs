using System;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace IdCardVerify.Files
{
    /// <summary>Linux: the C library's stat calls through Tmds.LibC (its struct per architecture). Loaded only on Linux.</summary>
    internal static class LinuxCalls
    {
        public static unsafe NativeStat.Status? Path(byte[] path, bool followLinks)
        {
            stat buffer;
            fixed (byte* p = path)
            {
                var result = followLinks ? LibC.stat(p, &buffer) : LibC.lstat(p, &buffer);
                return result == 0 ? Of(buffer) : (NativeStat.Status?)null;
            }
        }

        public static unsafe NativeStat.Status? Handle(int fd)
        {
            stat buffer;
            return LibC.fstat(fd, &buffer) == 0 ? Of(buffer) : (NativeStat.Status?)null;
        }

        public static uint EffectiveUser() => LibC.geteuid();

        private static NativeStat.Status Of(stat buffer) => new NativeStat.Status((int)(uint)buffer.st_mode, buffer.st_uid, buffer.st_size);
    }

    /// <summary>
    /// macOS: libSystem's stat calls with the 64-bit-inode <c>struct stat</c> of Apple's &lt;sys/stat.h&gt; (st_mode a
    /// 16-bit field at 4, st_uid at 16, st_size at 96; 144 bytes): the plain names on Apple silicon, the
    /// <c>$INODE64</c> ones on Intel, where the plain names keep the old layout.
    /// </summary>
    internal static class DarwinCalls
    {
        private const string System = "/usr/lib/libSystem.dylib";

        public static NativeStat.Status? Path(byte[] path, bool followLinks)
        {
            var buffer = new byte[256];
            var intel = RuntimeInformation.ProcessArchitecture == Architecture.X64;
            var result = followLinks ? (intel ? StatIntel(path, buffer) : Stat(path, buffer)) : (intel ? LStatIntel(path, buffer) : LStat(path, buffer));
            return result == 0 ? Of(buffer) : (NativeStat.Status?)null;
        }

        public static NativeStat.Status? Handle(int fd)
        {
            var buffer = new byte[256];
            var result = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? FStatIntel(fd, buffer) : FStat(fd, buffer);
            return result == 0 ? Of(buffer) : (NativeStat.Status?)null;
        }

        public static uint EffectiveUser() => geteuid();

        private static NativeStat.Status Of(byte[] b) => new NativeStat.Status(BitConverter.ToUInt16(b, 4), BitConverter.ToUInt32(b, 16), BitConverter.ToInt64(b, 96));

        [DllImport(System, EntryPoint = "stat")]
        private static extern int Stat(byte[] path, byte[] buffer);

        [DllImport(System, EntryPoint = "lstat")]
        private static extern int LStat(byte[] path, byte[] buffer);

        [DllImport(System, EntryPoint = "fstat")]
        private static extern int FStat(int fd, byte[] buffer);

        [DllImport(System, EntryPoint = "stat$INODE64")]
        private static extern int StatIntel(byte[] path, byte[] buffer);

        [DllImport(System, EntryPoint = "lstat$INODE64")]
        private static extern int LStatIntel(byte[] path, byte[] buffer);

        [DllImport(System, EntryPoint = "fstat$INODE64")]
        private static extern int FStatIntel(int fd, byte[] buffer);

        [DllImport(System)]
        private static extern uint geteuid();
    }
}
