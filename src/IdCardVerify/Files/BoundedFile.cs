using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace IdCardVerify.Files
{
    /// <summary>Why a file was not read: <see cref="Reason"/> says it in words a message can end with.</summary>
    internal sealed class FileRefusedException : IOException
    {
        public FileRefusedException(FileRefusal kind, string reason)
            : base(reason)
        {
            Kind = kind;
            Reason = reason;
        }

        public FileRefusal Kind { get; }

        /// <summary>The file's size, when it was refused for it.</summary>
        public long Length { get; set; }

        public string Reason { get; }
    }

    internal enum FileRefusal
    {
        Missing,
        NotRegular,
        TooLarge,
        Unreadable,
    }

    /// <summary>
    /// Every file the module reads (images, settings, the AWS credentials file, journal keys, ledgers, the peer board)
    /// is read here, once, bounded, on the handle that was checked: opened without blocking (a FIFO's open would wait
    /// for a writer forever), the opened handle's own type checked (a regular file; a link is followed only to one,
    /// never to a device, a FIFO or a socket), its size checked, then at most the limit plus one byte read from that
    /// same handle. What was checked is what was read: no second open for a path that may have changed in between.
    /// </summary>
    internal static class BoundedFile
    {
        /// <summary>
        /// The whole of <paramref name="path"/>, at most <paramref name="maxBytes"/> bytes; a <see cref="FileRefusedException"/>
        /// when it is missing, not a regular file, larger, or unreadable.
        /// </summary>
        public static byte[] Read(string path, long maxBytes)
        {
            using var stream = Open(path, maxBytes, out var length);
            var capacity = (int)Math.Min(maxBytes + 1, Math.Max(length, 0) + 1);
            var buffer = new MemoryStream(Math.Max(capacity, 16));
            var chunk = new byte[81920];
            long total = 0;
            while (true)
            {
                var want = (int)Math.Min(chunk.Length, maxBytes + 1 - total);
                if (want <= 0)
                {
                    break;
                }

                var read = stream.Read(chunk, 0, want);
                if (read <= 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, read);
                total += read;
            }

            if (total > maxBytes)
            {
                // It grew past the limit while being read.
                throw TooLarge(total, maxBytes);
            }

            return buffer.ToArray();
        }

        /// <summary>The text of a small file (UTF-8, a byte-order mark skipped), read as <see cref="Read"/> reads.</summary>
        public static string ReadText(string path, long maxBytes)
        {
            var bytes = Read(path, maxBytes);
            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        }

        /// <summary>The file opened for reading after the checks of <see cref="Read"/>; <paramref name="length"/> its size then.</summary>
        public static Stream Open(string path, long maxBytes, out long length)
        {
            if (PrivateFiles.IsWindows)
            {
                return OpenOnWindows(path, maxBytes, out length);
            }

            var fd = open(path, OpenFlags());
            if (fd < 0)
            {
                var errno = Marshal.GetLastWin32Error();
                throw errno == 2 || errno == 20
                    ? new FileRefusedException(FileRefusal.Missing, FileText.File_Missing)
                    : errno == 13 || errno == 1
                        ? new FileRefusedException(FileRefusal.Unreadable, FileText.File_Denied)
                        : new FileRefusedException(FileRefusal.NotRegular, string.Format(CultureInfo.InvariantCulture, FileText.File_CannotOpen, errno));
            }

            var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            try
            {
                if (NativeStat.Unavailable is string why)
                {
                    // Failing closed: a file whose type cannot be checked might be a FIFO or a device.
                    throw new FileRefusedException(FileRefusal.Unreadable, FileWords.Format(FileText.File_TypeUnchecked, why));
                }

                if (!(NativeStat.Of(handle) is NativeStat.Status status))
                {
                    throw new FileRefusedException(FileRefusal.Unreadable, FileText.File_TypeUnreadable);
                }

                var mode = status.Mode & NativeStat.TypeMask;
                if (mode != NativeStat.Regular)
                {
                    throw new FileRefusedException(FileRefusal.NotRegular, FileWords.Format(FileText.File_NotRegular, TypeName(mode)));
                }

                length = status.Size;
                if (length > maxBytes)
                {
                    throw TooLarge(length, maxBytes);
                }

                return new FileStream(handle, FileAccess.Read, 1);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private static Stream OpenOnWindows(string path, long maxBytes, out long length)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1);
            }
            catch (FileNotFoundException)
            {
                throw new FileRefusedException(FileRefusal.Missing, FileText.File_Missing);
            }
            catch (DirectoryNotFoundException)
            {
                throw new FileRefusedException(FileRefusal.Missing, FileText.File_Missing);
            }
            catch (UnauthorizedAccessException)
            {
                throw new FileRefusedException(FileRefusal.Unreadable, FileText.File_DeniedOrFolder);
            }

            try
            {
                if (GetFileType(stream.SafeFileHandle) != 1)
                {
                    throw new FileRefusedException(FileRefusal.NotRegular, FileText.File_DeviceOrPipe);
                }

                length = stream.Length;
                if (length > maxBytes)
                {
                    throw TooLarge(length, maxBytes);
                }

                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        private static FileRefusedException TooLarge(long length, long maxBytes) =>
            new FileRefusedException(FileRefusal.TooLarge, string.Format(CultureInfo.InvariantCulture, FileText.File_TooLarge, length, maxBytes)) { Length = length };

        private static string TypeName(int mode)
        {
            switch (mode)
            {
                case 0x1000: return FileText.File_Fifo;
                case 0x2000: return FileText.File_CharDevice;
                case 0x6000: return FileText.File_BlockDevice;
                case 0xC000: return FileText.File_Socket;
                case NativeStat.Directory: return FileText.File_Folder;
                default: return FileText.File_NotAFile;
            }
        }

        // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC: a FIFO opens at once instead of waiting for a writer, a terminal
        // never becomes the process's, the descriptor is not inherited. The values of Linux (every architecture) and macOS.
        private static int OpenFlags() => RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
            ? 0x4 | 0x20000 | 0x1000000
            : 0x800 | 0x100 | 0x80000;

        [DllImport("libc", SetLastError = true)]
        private static extern int open(string path, int flags);

        [DllImport("kernel32.dll")]
        private static extern int GetFileType(SafeFileHandle handle);
    }
}
