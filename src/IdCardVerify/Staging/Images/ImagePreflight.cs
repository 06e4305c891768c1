using System;
using System.Globalization;
using System.IO;
using System.Threading;
using IdCardVerify.Files;

namespace IdCardVerify.Staging.Images
{
    /// <summary>
    /// The checks a local file passes before any paid call: the format read from its bytes (JPEG and PNG go), its
    /// size and pixel count bounded (a 40 MB photo or a decompression bomb is refused, never decoded), a cut-off
    /// file refused, the EXIF orientation applied, and a file over the API's limit shrunk to fit with a margin,
    /// never enlarged. The original file is only read. Decoding is in <see cref="SkiaImages"/>, which loads
    /// SkiaSharp the first time a file is used (never at import).
    /// </summary>
    internal static class ImagePreflight
    {
        /// <summary>The API's limit: 3 MB after base64 (api-contract.md), as raw bytes.</summary>
        public const long ApiLimitBytes = 3L * 1024 * 1024 * 3 / 4;

        /// <summary>What a shrunk image must fit in: 85% of the API's limit (about 2 MB), the margin for a gateway that counts a little differently.</summary>
        public const long TargetBytes = ApiLimitBytes * 85 / 100;

        /// <summary>The largest file read at all; phone photos are 3-6 MB, a 40 MB file is something else.</summary>
        public const long MaxFileBytes = 32L * 1024 * 1024;

        /// <summary>The most pixels a file may decode to (a 108-megapixel camera is under it; a bomb is not).</summary>
        public const long MaxPixels = 120L * 1000 * 1000;

        /// <summary>The longest edge of a shrunk image: far more than a card's text and portrait need.</summary>
        public const int MaxEdge = 3000;

        // Decoding a large photo takes a few hundred MB for a moment: at most this many at once, whatever the concurrency.
        private static readonly SemaphoreSlim Decoders = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount / 2));

        /// <summary>Reads and checks the file; throws an <see cref="IdCardVerifyApiException"/> with an Image… ErrorId when it cannot go.</summary>
        public static PreparedImage Prepare(string path) => Prepare(Read(path), path);

        /// <summary>
        /// The file's bytes, read once, bounded, on the handle that was checked (<see cref="BoundedFile"/>): a link to a
        /// device, a FIFO, a socket or a folder is refused without blocking, and nothing over <see cref="MaxFileBytes"/>
        /// is read. Throws the Image… error that names the file and the fix.
        /// </summary>
        public static byte[] Read(string path)
        {
            byte[] bytes;
            try
            {
                bytes = BoundedFile.Read(path, MaxFileBytes);
            }
            catch (FileRefusedException ex) when (ex.Kind == FileRefusal.TooLarge)
            {
                throw Refuse("ImageTooLarge", path, string.Format(CultureInfo.InvariantCulture, Text.Image_FileTooLarge, Size(ex.Length), Size(MaxFileBytes)));
            }
            catch (FileRefusedException ex) when (ex.Kind == FileRefusal.Missing)
            {
                throw Refuse("ImageUnreadable", path, Text.Image_NoFile);
            }
            catch (FileRefusedException ex)
            {
                throw Refuse("ImageUnreadable", path, ex.Reason + Text.Image_GiveFile);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Refuse("ImageUnreadable", path, Words.Format(Text.Image_Unreadable, ex.Message));
            }

            if (bytes.Length == 0)
            {
                throw Refuse("ImageUnreadable", path, Text.Image_Empty);
            }

            return bytes;
        }

        /// <summary>Checks bytes read from <paramref name="path"/> (named in errors only).</summary>
        public static PreparedImage Prepare(byte[] bytes, string path)
        {
            var kind = ImageKinds.Of(bytes, bytes.Length);
            if (kind != ImageKind.Jpeg && kind != ImageKind.Png)
            {
                throw Refuse("ImageFormatUnsupported", path, Words.Format(Text.Image_Unsupported, ImageKinds.Fix(kind)));
            }

            if (!Complete(bytes, kind))
            {
                throw Refuse("ImageUnreadable", path, string.Format(CultureInfo.InvariantCulture, Text.Image_CutOff, ImageKinds.Name(kind)));
            }

            SkiaNative.EnsureResolver();
            Decoders.Wait();
            try
            {
                return SkiaImages.Prepare(bytes, kind, path);
            }
            finally
            {
                Decoders.Release();
            }
        }

        /// <summary>Whether the file ends as its format ends: a JPEG's EOI marker (trailing padding allowed), a PNG's IEND chunk.</summary>
        internal static bool Complete(byte[] bytes, ImageKind kind)
        {
            if (kind == ImageKind.Png)
            {
                var iend = new byte[] { 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 };
                return IndexOf(bytes, iend, Math.Max(0, bytes.Length - 64)) >= 0;
            }

            // Cameras and editors pad after the EOI marker now and then: look in the last 4 KB.
            for (var i = bytes.Length - 2; i >= Math.Max(2, bytes.Length - 4096); i--)
            {
                if (bytes[i] == 0xFF && bytes[i + 1] == 0xD9)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A file's path as messages show it: an ID number in it masked, as in a URL (scans are often named by number).</summary>
        public static string ForDisplay(string path) => PersonalData.MaskIdNumbersIn(path);

        internal static IdCardVerifyApiException Refuse(string errorId, string path, string why)
        {
            var message = Words.Format(Text.Image_NotSent, ForDisplay(path), why);
            return new IdCardVerifyApiException(message)
            {
                ErrorId = errorId,
                Kind = ApiFailureKind.InvalidRequest,
                Advice = why,
            };
        }

        internal static string Size(long bytes) => bytes >= 1024 * 1024
            ? (bytes / 1024.0 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
            : (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB";

        private static int IndexOf(byte[] haystack, byte[] needle, int from)
        {
            for (var i = from; i <= haystack.Length - needle.Length; i++)
            {
                var found = true;
                for (var j = 0; j < needle.Length && found; j++)
                {
                    found = haystack[i + j] == needle[j];
                }

                if (found)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
