using System.Diagnostics;
using System.Text;
using IdCardVerify.Bulk;
using IdCardVerify.Client;
using IdCardVerify.Report;
using IdCardVerify.Settings;
using Xunit;
using IdCardVerify.Pacing;
using IdCardVerify.Files;

namespace IdCardVerify.Tests;

/// <summary>Portrait files and the review page: a link planted at a portrait's name is replaced, never followed; the page embeds only an image the module wrote.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[System.Runtime.Versioning.SupportedOSPlatform("macos")]
public sealed class HostilePortraitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [UnixFact]
    public void A_link_planted_at_a_files_name_is_replaced_never_followed()
    {
        var target = Path.Combine(_dir, "victim.txt");
        File.WriteAllText(target, "keep me");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var name = Path.Combine(_dir, "portrait-0123456789abcdef.jpg");
        File.CreateSymbolicLink(name, target);

        PrivateFiles.WriteAllBytes(name, new byte[] { 0xFF, 0xD8, 0xFF, 1 });

        Assert.Equal("keep me", File.ReadAllText(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(target));
        Assert.Null(new FileInfo(name).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(name));
        Assert.Equal(4, File.ReadAllBytes(name).Length);
    }

    [UnixFact]
    public void The_report_embeds_only_a_jpeg_or_png_the_module_wrote_under_its_own_name()
    {
        var secret = Path.Combine(_dir, "settings.json");
        File.WriteAllText(secret, "{\"token\":\"SECRETTOKEN\"}");
        var jpeg = Path.Combine(_dir, "portrait-00112233445566ff.jpg");
        File.WriteAllBytes(jpeg, new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 9, 9 });
        var disguised = Path.Combine(_dir, "portrait-aaaaaaaaaaaaaaaa.jpg");
        File.Copy(secret, disguised);
        var linked = Path.Combine(_dir, "portrait-bbbbbbbbbbbbbbbb.jpg");
        File.CreateSymbolicLink(linked, jpeg);

        string Page(string path, bool written)
        {
            var r = Judged.Sample("https://s.test/a.jpg");
            r.PortraitPath = path;
            r.PortraitWrittenByModule = written;
            using var report = new ReviewReport(new ReportOptions());
            report.Add(r, new List<KeyValuePair<string, object?>>(), DateTimeOffset.UtcNow);
            var file = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".html");
            report.WriteTo(file);
            return File.ReadAllText(file);
        }

        Assert.Contains("data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(jpeg)), Page(jpeg, true), StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", Page(jpeg, false), StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", Page(secret, true), StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", Page(disguised, true), StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", Page(linked, true), StringComparison.Ordinal);
    }
}
