using System;
using System.Globalization;
using SkiaSharp;

namespace IdCardVerify.Staging.Images
{
    /// <summary>
    /// The only code that names SkiaSharp's types: read a file's header (size, EXIF orientation), and decode, turn
    /// upright and shrink it when it must change. Called through <see cref="ImagePreflight"/>, after the native
    /// library's resolver is in place.
    /// </summary>
    internal static class SkiaImages
    {
        public static PreparedImage Prepare(byte[] bytes, ImageKind kind, string path)
        {
            using var data = SKData.CreateCopy(bytes);
            using var codec = SKCodec.Create(data);
            if (codec == null)
            {
                throw ImagePreflight.Refuse("ImageUnreadable", path, Words.Format(Text.Image_BadHeader, ImageKinds.Name(kind)));
            }

            var width = codec.Info.Width;
            var height = codec.Info.Height;
            var pixels = (long)width * height;
            if (width <= 0 || height <= 0)
            {
                throw ImagePreflight.Refuse("ImageUnreadable", path, Text.Image_NoSize);
            }

            if (pixels > ImagePreflight.MaxPixels)
            {
                throw ImagePreflight.Refuse("ImageTooLarge", path, string.Format(CultureInfo.InvariantCulture, Text.Image_TooManyPixels, width, height, pixels / 1e6, ImagePreflight.MaxPixels / 1e6));
            }

            var origin = codec.EncodedOrigin;
            var upright = origin == SKEncodedOrigin.TopLeft || origin == default;
            if (upright && bytes.LongLength <= ImagePreflight.TargetBytes && Math.Max(width, height) <= ImagePreflight.MaxEdge * 2)
            {
                // As it is: the file's own bytes go (still decoded once by a cheap scaled read, so that a file whose
                // data is damaged past its header is refused here, not paid for).
                CheckDecodes(codec, path, kind);
                return new PreparedImage(bytes, kind == ImageKind.Png ? "image/png" : "image/jpeg", width, height, changed: false, change: null);
            }

            using var decoded = Decode(codec, path, kind);
            using var turned = Upright(decoded, origin);
            return Shrink(turned, bytes.LongLength, width, height, origin, path);
        }

        private static void CheckDecodes(SKCodec codec, string path, ImageKind kind)
        {
            // The smallest scale the codec offers (1/8 for JPEG): cheap, and it reads the whole stream.
            var size = codec.GetScaledDimensions(0.125f);
            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var bitmap = new SKBitmap(info);
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                throw Damaged(path, kind, result);
            }
        }

        private static SKBitmap Decode(SKCodec codec, string path, ImageKind kind)
        {
            // A JPEG decodes straight to a smaller scale when the target is much smaller (less memory, less time).
            var longEdge = Math.Max(codec.Info.Width, codec.Info.Height);
            var scale = Math.Min(1f, (float)ImagePreflight.MaxEdge / longEdge);
            var size = codec.GetScaledDimensions(scale);
            if (size.Width < 1 || size.Height < 1 || Math.Max(size.Width, size.Height) < Math.Min(longEdge, ImagePreflight.MaxEdge))
            {
                size = new SKSizeI(codec.Info.Width, codec.Info.Height);
            }

            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            var bitmap = new SKBitmap(info);
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                bitmap.Dispose();
                throw Damaged(path, kind, result);
            }

            return bitmap;
        }

        private static IdCardVerifyApiException Damaged(string path, ImageKind kind, SKCodecResult result) =>
            result == SKCodecResult.IncompleteInput
                ? ImagePreflight.Refuse("ImageUnreadable", path, Words.Format(Text.Image_EndsEarly, ImageKinds.Name(kind)))
                : ImagePreflight.Refuse("ImageUnreadable", path, Words.Format(Text.Image_Undecodable, ImageKinds.Name(kind), result));

        /// <summary>The bitmap turned as its EXIF orientation says, so the API sees the card the right way up.</summary>
        private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
        {
            var swap = origin == SKEncodedOrigin.LeftTop || origin == SKEncodedOrigin.RightTop || origin == SKEncodedOrigin.RightBottom || origin == SKEncodedOrigin.LeftBottom;
            var width = swap ? source.Height : source.Width;
            var height = swap ? source.Width : source.Height;
            var turned = new SKBitmap(new SKImageInfo(width, height, source.ColorType, source.AlphaType));
            using var canvas = new SKCanvas(turned);
            switch (origin)
            {
                case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, width / 2f, 0); break;
                case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, width / 2f, height / 2f); break;
                case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, height / 2f); break;
                case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
                case SKEncodedOrigin.RightTop: canvas.Translate(width, 0); canvas.RotateDegrees(90); break;
                case SKEncodedOrigin.RightBottom: canvas.Translate(width, height); canvas.RotateDegrees(-90); canvas.Scale(1, -1); break;
                case SKEncodedOrigin.LeftBottom: canvas.Translate(0, height); canvas.RotateDegrees(-90); break;
            }

            canvas.DrawBitmap(source, 0, 0);
            canvas.Flush();
            return turned;
        }

        private static PreparedImage Shrink(SKBitmap image, long originalBytes, int originalWidth, int originalHeight, SKEncodedOrigin origin, string path)
        {
            // Never enlarged: from the long edge the image has (at most MaxEdge), down by a fifth a step, JPEG at 90
            // then 82, until it fits the target with the margin.
            var edge = Math.Min(ImagePreflight.MaxEdge, Math.Max(image.Width, image.Height));
            for (var step = 0; step < 10; step++)
            {
                var quality = step == 0 ? 90 : 82;
                var scale = (double)edge / Math.Max(image.Width, image.Height);
                var width = Math.Max(1, (int)Math.Round(image.Width * scale));
                var height = Math.Max(1, (int)Math.Round(image.Height * scale));
                byte[] encoded;
                if (width == image.Width && height == image.Height)
                {
                    encoded = Encode(image, quality);
                }
                else
                {
                    using var resized = image.Resize(new SKImageInfo(width, height, image.ColorType, image.AlphaType), new SKSamplingOptions(SKCubicResampler.Mitchell));
                    encoded = Encode(resized, quality);
                }

                if (encoded.LongLength <= ImagePreflight.TargetBytes)
                {
                    var change = string.Format(
                        CultureInfo.InvariantCulture,
                        Text.Image_Changed,
                        origin == SKEncodedOrigin.TopLeft ? Text.Image_Shrunk : Words.Format(Text.Image_Turned, (int)origin),
                        originalWidth,
                        originalHeight,
                        ImagePreflight.Size(originalBytes),
                        width,
                        height,
                        ImagePreflight.Size(encoded.LongLength));
                    return new PreparedImage(encoded, "image/jpeg", width, height, changed: true, change: change);
                }

                edge = (int)(edge * 0.8);
            }

            throw ImagePreflight.Refuse("ImageTooLarge", path, Text.Image_WontFit);
        }

        private static byte[] Encode(SKBitmap bitmap, int quality)
        {
            using var image = SKImage.FromBitmap(bitmap);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
            return data.ToArray();
        }
    }
}
