using System.Security.Cryptography;
using IdCardVerify.Staging.Images;
using IdCardVerify.TestServer;
using SkiaSharp;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// The checks a local file passes before any paid call, on files made by <see cref="ImageFixtures"/>: what goes as it
/// is, what is shrunk or turned, and what is refused with which ErrorId; the original is never changed.
/// </summary>
public sealed class ImagePreflightTests : IClassFixture<ImagePreflightTests.Files>
{
    private readonly Files _files;

    public ImagePreflightTests(Files files) => _files = files;

    [Fact]
    public void A_small_jpeg_card_goes_as_it_is()
    {
        var path = _files.Path("card.jpg");
        var prepared = ImagePreflight.Prepare(path);
        Assert.False(prepared.Changed);
        Assert.Equal(File.ReadAllBytes(path), prepared.Bytes);
        Assert.Equal("image/jpeg", prepared.ContentType);
    }

    [Fact]
    public void A_png_named_jpg_is_read_as_the_png_it_is()
    {
        var prepared = ImagePreflight.Prepare(_files.Path("png-named.jpg"));
        Assert.Equal("image/png", prepared.ContentType);
        Assert.False(prepared.Changed);
    }

    [Fact]
    public void A_phone_photo_over_the_limit_is_shrunk_to_fit_with_a_margin_keeping_its_shape_and_the_file_is_untouched()
    {
        var path = _files.Path("phone-photo.jpg");
        var before = SHA256.HashData(File.ReadAllBytes(path));
        Assert.True(new FileInfo(path).Length > ImagePreflight.ApiLimitBytes, "the fixture must be over the API's limit");
        var prepared = ImagePreflight.Prepare(path);
        Assert.True(prepared.Changed);
        Assert.True(prepared.Bytes.LongLength <= ImagePreflight.TargetBytes);
        Assert.True(prepared.Bytes.LongLength * 4 / 3 < 3L * 1024 * 1024, "under 3 MB after base64");
        Assert.Equal(4032.0 / 3024.0, (double)prepared.Width / prepared.Height, 2);
        Assert.True(prepared.Width <= ImagePreflight.MaxEdge);
        using var decoded = SKBitmap.Decode(prepared.Bytes);
        Assert.Equal(prepared.Width, decoded.Width);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public void A_photo_turned_by_its_exif_orientation_is_sent_upright()
    {
        // The fixture is a landscape card stored as portrait pixels with orientation 6 (turn 90 degrees clockwise).
        var prepared = ImagePreflight.Prepare(_files.Path("rotated.jpg"));
        Assert.True(prepared.Changed);
        Assert.Equal(1200, prepared.Width);
        Assert.Equal(760, prepared.Height);
        using var decoded = SKBitmap.Decode(prepared.Bytes);
        // The stored picture's red corner mark was top left; turned clockwise, it is top right.
        var topRight = decoded.GetPixel(decoded.Width - 20, 20);
        var topLeft = decoded.GetPixel(20, 20);
        Assert.True(topRight.Red > 200 && topRight.Green < 80, $"top right is {topRight}");
        Assert.False(topLeft.Red > 200 && topLeft.Green < 80, $"top left is {topLeft}");
    }

    [Theory]
    [InlineData("empty.jpg", "ImageUnreadable", "empty")]
    [InlineData("truncated.jpg", "ImageUnreadable", "cut off")]
    [InlineData("huge-40mb.jpg", "ImageTooLarge", "40 MB")]
    [InlineData("bomb.png", "ImageTooLarge", "decompression bomb")]
    [InlineData("photo.heic", "ImageFormatUnsupported", "HEIC")]
    [InlineData("scan.pdf", "ImageFormatUnsupported", "PDF")]
    [InlineData("no-such-file.jpg", "ImageUnreadable", "no such file")]
    public void A_file_the_api_cannot_take_is_refused_naming_what_it_is(string name, string errorId, string why)
    {
        var ex = Assert.Throws<IdCardVerifyApiException>(() => ImagePreflight.Prepare(_files.Path(name)));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(why, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.StopsRun);
    }

    [Fact]
    public void A_jpeg_with_a_damaged_header_is_refused_not_sent()
    {
        var bytes = File.ReadAllBytes(_files.Path("card.jpg"));
        // Keep the start and end markers, wipe the segments after the start (tables, frame header).
        var damaged = bytes.ToArray();
        for (var i = 3; i < 400; i++)
        {
            damaged[i] = 0;
        }

        var ex = Assert.Throws<IdCardVerifyApiException>(() => ImagePreflight.Prepare(damaged, "damaged.jpg"));
        Assert.Equal("ImageUnreadable", ex.ErrorId);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, ImageKind.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ImageKind.Png)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, ImageKind.Gif)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50 }, ImageKind.WebP)]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63 }, ImageKind.Heic)]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66 }, ImageKind.Avif)]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46 }, ImageKind.Pdf)]
    [InlineData(new byte[] { 0x42, 0x4D, 0, 0 }, ImageKind.Bmp)]
    [InlineData(new byte[] { 0x49, 0x49, 0x2A, 0 }, ImageKind.Tiff)]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C }, ImageKind.Unknown)]
    public void A_format_is_read_from_the_bytes(byte[] head, object kind)
    {
        Assert.Equal((ImageKind)kind, ImageKinds.Of(head, head.Length));
    }

    /// <summary>The fixture files, made once for the class in a temporary folder.</summary>
    public sealed class Files : IDisposable
    {
        private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "idcv-images-" + Guid.NewGuid().ToString("N"));

        public Files() => ImageFixtures.Write(_folder);

        public string Path(string name) => System.IO.Path.Combine(_folder, name);

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
