using System;

namespace IdCardVerify.Staging.Images
{
    /// <summary>What a file is, read from its first bytes (never from its name).</summary>
    internal enum ImageKind
    {
        Unknown,
        Jpeg,
        Png,
        Gif,
        WebP,
        Heic,
        Avif,
        Pdf,
        Bmp,
        Tiff,
    }

    /// <summary>Tells a file's format from its magic bytes; JPEG and PNG are what the API takes.</summary>
    internal static class ImageKinds
    {
        /// <summary>How many leading bytes <see cref="Of"/> needs.</summary>
        public const int HeaderLength = 16;

        public static ImageKind Of(byte[] head, int length)
        {
            bool At(int offset, params byte[] magic)
            {
                if (length < offset + magic.Length)
                {
                    return false;
                }

                for (var i = 0; i < magic.Length; i++)
                {
                    if (head[offset + i] != magic[i])
                    {
                        return false;
                    }
                }

                return true;
            }

            bool Ascii(int offset, string text)
            {
                var bytes = new byte[text.Length];
                for (var i = 0; i < text.Length; i++)
                {
                    bytes[i] = (byte)text[i];
                }

                return At(offset, bytes);
            }

            if (At(0, 0xFF, 0xD8, 0xFF))
            {
                return ImageKind.Jpeg;
            }

            if (At(0, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A))
            {
                return ImageKind.Png;
            }

            if (Ascii(0, "GIF8"))
            {
                return ImageKind.Gif;
            }

            if (Ascii(0, "RIFF") && Ascii(8, "WEBP"))
            {
                return ImageKind.WebP;
            }

            if (Ascii(4, "ftyp"))
            {
                return Ascii(8, "avif") || Ascii(8, "avis") ? ImageKind.Avif : ImageKind.Heic;
            }

            if (Ascii(0, "%PDF"))
            {
                return ImageKind.Pdf;
            }

            if (Ascii(0, "BM"))
            {
                return ImageKind.Bmp;
            }

            return At(0, 0x49, 0x49, 0x2A, 0x00) || At(0, 0x4D, 0x4D, 0x00, 0x2A) ? ImageKind.Tiff : ImageKind.Unknown;
        }

        /// <summary>How to turn a file of this kind into one the API takes.</summary>
        public static string Fix(ImageKind kind)
        {
            switch (kind)
            {
                case ImageKind.Heic:
                    return Text.Image_Heic;
                case ImageKind.Pdf:
                    return Text.Image_Pdf;
                case ImageKind.Unknown:
                    return Text.Image_Unknown;
                default:
                    return Words.Format(Text.Image_OtherFormat, Name(kind), Name(kind).ToLowerInvariant());
            }
        }

        public static string Name(ImageKind kind) => kind == ImageKind.Jpeg ? "JPEG" : kind == ImageKind.WebP ? "WebP" : kind.ToString().ToUpperInvariant();
    }
}
