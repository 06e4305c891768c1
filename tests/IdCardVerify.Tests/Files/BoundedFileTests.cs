using System.Diagnostics;
using IdCardVerify.Bulk;
using IdCardVerify.Files;
using IdCardVerify.Staging.Images;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// Every file the module reads is read once, bounded, on the handle that was checked: a link to a device, a FIFO (or a
/// link to one), a folder, a sparse giant are refused at once, never read forever or blocked on. Each case runs under a
/// deadline, so a regression fails instead of hanging the suite.
/// </summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-bounded-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [UnixTheory]
    [InlineData("zero-link", "character device")]
    [InlineData("fifo", "FIFO")]
    [InlineData("fifo-link", "FIFO")]
    [InlineData("folder", "folder")]
    [InlineData("sparse", "over the")]
    [InlineData("missing", "no such file")]
    public void What_is_not_a_small_regular_file_is_refused_at_once(string name, string why)
    {
        var path = Make(name);
        var refused = Within(5, () => Assert.Throws<FileRefusedException>(() => BoundedFile.Read(path, 1024 * 1024)));
        Assert.Contains(why, refused.Reason);
    }

    [UnixFact]
    public void An_image_path_to_a_device_or_fifo_is_an_image_error_not_a_hang()
    {
        foreach (var name in new[] { "zero-link", "fifo-link", "sparse" })
        {
            var path = Make(name);
            var refused = Within(5, () => Assert.Throws<IdCardVerifyApiException>(() => ImagePreflight.Read(path)));
            Assert.Contains(name == "sparse" ? "ImageTooLarge" : "ImageUnreadable", refused.ErrorId);
        }
    }

    [Fact]
    public void A_regular_file_and_a_link_to_one_are_read_whole()
    {
        var path = Path.Combine(_dir, "plain.txt");
        File.WriteAllText(path, "hello");
        Assert.Equal("hello", BoundedFile.ReadText(path, 100));
        if (!OperatingSystem.IsWindows())
        {
            File.CreateSymbolicLink(Path.Combine(_dir, "link.txt"), path);
            Assert.Equal("hello", BoundedFile.ReadText(Path.Combine(_dir, "link.txt"), 100));
        }

        Assert.Equal(FileRefusal.TooLarge, Assert.Throws<FileRefusedException>(() => BoundedFile.Read(path, 4)).Kind);
    }

    [UnixTheory]
    [InlineData("world-writable")]
    [InlineData("link-to-other")]
    [InlineData("fifo")]
    [InlineData("zero-link")]
    public void A_journal_path_that_is_not_the_users_own_private_file_is_refused_and_left_untouched(string name)
    {
        var path = name switch
        {
            "world-writable" => WorldWritable(),
            "link-to-other" => LinkToOther(),
            _ => Make(name),
        };
        var before = name == "fifo" || name == "zero-link" ? null : File.ReadAllText(path);
        var refused = Within(5, () => Assert.ThrowsAny<IOException>(() => CheckpointJournal.Open(path, "https://api.test/x", null, false, new List<string>(), new byte[32])));
        Assert.Contains("not used", refused.Message);
        if (before != null)
        {
            Assert.Equal(before, File.ReadAllText(name == "link-to-other" ? Path.Combine(_dir, "others.txt") : path));
        }
    }

    private string WorldWritable()
    {
        var path = Path.Combine(_dir, "shared.jsonl");
        File.WriteAllText(path, "planted\n");
        PrivateFiles.SetMode(path, 0x1B6); // 0666
        return path;
    }

    private string LinkToOther()
    {
        var other = Path.Combine(_dir, "others.txt");
        File.WriteAllText(other, "someone else's\n");
        var path = Path.Combine(_dir, "journal.jsonl");
        File.CreateSymbolicLink(path, other);
        return path;
    }

    private string Make(string name)
    {
        var path = Path.Combine(_dir, name);
        switch (name)
        {
            case "zero-link":
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case "fifo":
                Run("mkfifo", path);
                break;
            case "fifo-link":
                Run("mkfifo", path + ".target");
                File.CreateSymbolicLink(path, path + ".target");
                break;
            case "folder":
                Directory.CreateDirectory(path);
                break;
            case "sparse":
                using (var stream = File.Create(path))
                {
                    stream.SetLength(10L * 1024 * 1024 * 1024);
                }

                break;
        }

        return path;
    }

    private static void Run(string program, string argument)
    {
        using var process = Process.Start(program, new[] { argument });
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private static T Within<T>(int seconds, Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(TimeSpan.FromSeconds(seconds)), $"Still running after {seconds} s: the read blocked or never ended.");
        return task.Result;
    }
}
