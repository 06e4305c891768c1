using System.IO.Compression;
using System.Security.Cryptography;
using SkiaSharp;

namespace IdCardVerify.TestServer;

/// <summary>
/// The local files the tests verify, made on the spot (no binary fixtures in the repository): card scans as JPEG and
/// PNG, a phone photo over the API's limit, a photo turned by its EXIF orientation, and the hostile ones (a PNG named
/// .jpg, a cut-off JPEG, an empty file, a decompression bomb, a 40 MB file, HEIC and PDF magic).
/// Usage: IdCardVerify.TestServer --make-images &lt;folder&gt;
/// </summary>
public static class ImageFixtures
{
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var card = Card(1200, 760);
        File.WriteAllBytes(Path.Combine(folder, "card.jpg"), Encode(card, SKEncodedImageFormat.Jpeg, 88));
        File.WriteAllBytes(Path.Combine(folder, "card.png"), Encode(card, SKEncodedImageFormat.Png, 100));
        File.WriteAllBytes(Path.Combine(folder, "png-named.jpg"), Encode(card, SKEncodedImageFormat.Png, 100));
        var jpeg = Encode(card, SKEncodedImageFormat.Jpeg, 88);
        File.WriteAllBytes(Path.Combine(folder, "truncated.jpg"), jpeg.AsSpan(0, jpeg.Length * 6 / 10).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "empty.jpg"), Array.Empty<byte>());
        File.WriteAllBytes(Path.Combine(folder, "rotated.jpg"), WithOrientation(Encode(Card(760, 1200), SKEncodedImageFormat.Jpeg, 88), 6));
        File.WriteAllBytes(Path.Combine(folder, "phone-photo.jpg"), Encode(Photo(4032, 3024), SKEncodedImageFormat.Jpeg, 97));
        File.WriteAllBytes(Path.Combine(folder, "bomb.png"), Bomb(60000, 60000));
        File.WriteAllBytes(Path.Combine(folder, "photo.heic"), "\0\0\0\u0018ftypheic\0\0\0\0mif1heic"u8.ToArray().Concat(new byte[4096]).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "scan.pdf"), "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"u8.ToArray());
        using (var big = File.Create(Path.Combine(folder, "huge-40mb.jpg")))
        {
            big.Write(jpeg);
            big.SetLength(40L * 1024 * 1024);
        }
    }

    /// <summary>A card-like picture: a pale card, a portrait box, lines of "text".</summary>
    private static SKBitmap Card(int width, int height)
    {
        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(235, 238, 245));
        using var paint = new SKPaint { Color = new SKColor(60, 70, 90), IsAntialias = true };
        var portrait = width > height ? new SKRect(width * 0.65f, height * 0.15f, width * 0.92f, height * 0.8f) : new SKRect(width * 0.2f, height * 0.08f, width * 0.8f, height * 0.45f);
        canvas.DrawRect(portrait, paint);
        for (var line = 0; line < 6; line++)
        {
            canvas.DrawRect(width * 0.06f, height * (0.15f + line * 0.12f), width * 0.5f, height * 0.04f, paint);
        }

        // A mark in the top left corner, so that a test can tell which way up the picture came out.
        paint.Color = SKColors.Red;
        canvas.DrawRect(0, 0, width / 10f, height / 10f, paint);
        return bitmap;
    }

    /// <summary>A phone photo: smooth light and fine grain, which JPEG keeps large (several MB at this size).</summary>
    private static SKBitmap Photo(int width, int height)
    {
        var bitmap = new SKBitmap(width, height);
        var pixels = new byte[width * height * 4];
        var random = new Random(25);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 4;
                var grain = random.Next(-40, 40);
                pixels[i] = (byte)Math.Clamp((x * 255 / width) + grain, 0, 255);
                pixels[i + 1] = (byte)Math.Clamp((y * 255 / height) + grain, 0, 255);
                pixels[i + 2] = (byte)Math.Clamp(128 + grain, 0, 255);
                pixels[i + 3] = 255;
            }
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>The JPEG with an EXIF APP1 segment right after SOI that holds one tag: Orientation.</summary>
    public static byte[] WithOrientation(byte[] jpeg, ushort orientation)
    {
        var tiff = new List<byte>();
        tiff.AddRange("MM\0*"u8.ToArray());
        tiff.AddRange(new byte[] { 0, 0, 0, 8 });           // IFD0 at offset 8
        tiff.AddRange(new byte[] { 0, 1 });                 // one entry
        tiff.AddRange(new byte[] { 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0 });
        tiff.AddRange(new byte[] { 0, 0, 0, 0 });           // no next IFD
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        var segment = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)length }.Concat(payload);
        return jpeg.Take(2).Concat(segment).Concat(jpeg.Skip(2)).ToArray();
    }

    /// <summary>A real decompression bomb: a PNG of a few hundred KB whose header says width x height (1-bit gray).</summary>
    private static byte[] Bomb(int width, int height)
    {
        using var zlib = new MemoryStream();
        using (var z = new ZLibStream(zlib, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + ((width + 7) / 8)];
            for (var y = 0; y < height; y++)
            {
                z.Write(row);
            }
        }

        using var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth
        header[9] = 0; // gray
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", zlib.ToArray());
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }
}
