using IdCardVerify.Files;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// A file's type and owner through the C library's stat calls (Tmds.LibC on Linux): read as the kernel tells them, and
/// failing closed where they cannot be read (the file is untrusted, and the message says why).
/// </summary>
public sealed class NativeStatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-stat-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [UnixFact]
    public void Type_owner_and_size_are_the_kernels()
    {
        Assert.Null(NativeStat.Unavailable);
        var file = Path.Combine(_dir, "own.txt");
        File.WriteAllText(file, "twelve bytes");
        var status = Assert.NotNull(NativeStat.Of(file, followLinks: true));
        Assert.Equal(NativeStat.Regular, status.Mode & NativeStat.TypeMask);
        Assert.Equal(12, status.Size);
        Assert.Equal(NativeStat.EffectiveUser(), status.Uid);
        Shell.Run("mkfifo", Path.Combine(_dir, "fifo"));
        Assert.Equal(0x1000, NativeStat.Of(Path.Combine(_dir, "fifo"), followLinks: false)!.Value.Mode & NativeStat.TypeMask);
        File.CreateSymbolicLink(Path.Combine(_dir, "link"), file);
        Assert.Equal(NativeStat.Link, NativeStat.Of(Path.Combine(_dir, "link"), followLinks: false)!.Value.Mode & NativeStat.TypeMask);
        Assert.Equal(NativeStat.Regular, NativeStat.Of(Path.Combine(_dir, "link"), followLinks: true)!.Value.Mode & NativeStat.TypeMask);
        Assert.Null(NativeStat.Of(Path.Combine(_dir, "missing"), followLinks: false));
        using var stream = File.OpenRead(file);
        Assert.Equal(12, NativeStat.Of(stream.SafeFileHandle)!.Value.Size);
    }

    [UnixFact]
    public void Another_users_file_is_told_by_its_owner()
    {
        if (NativeStat.EffectiveUser() != 0)
        {
            return; // Only root can give a file away; CI runs as root.
        }

        var file = Path.Combine(_dir, "theirs");
        File.WriteAllText(file, "x");
        Shell.Run("chmod", "600", file);
        Shell.Run("chown", "65534", file);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read);
        Assert.Equal("it belongs to another user (uid 65534)", PrivateFiles.OwnFileProblem(stream.SafeFileHandle));
    }

    [UnixFact]
    public void Where_the_checks_cannot_be_made_every_file_is_untrusted_and_the_reason_said()
    {
        var file = Path.Combine(_dir, "plain.txt");
        File.WriteAllText(file, "hello");
        Shell.Run("chmod", "600", file);
        var folder = Path.Combine(_dir, "mine");
        Directory.CreateDirectory(folder);
        NativeStat.Disable("no C library here");
        try
        {
            var refused = Assert.Throws<FileRefusedException>(() => BoundedFile.ReadText(file, 100));
            Assert.Contains("cannot be checked on this system (no C library here)", refused.Reason);
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read);
            Assert.Contains("cannot be checked", PrivateFiles.OwnFileProblem(stream.SafeFileHandle));
            Assert.Contains("cannot be checked", NativeStat.OwnFolderProblem(folder));
            Assert.False(PrivateFiles.IsPlainFile(file, 100));
            Assert.True(PrivateFiles.IsOtherThanFile(file));
        }
        finally
        {
            NativeStat.Disable(null);
        }

        // The same calls, with the checks back: the file is read and is the user's own.
        Assert.Equal("hello", BoundedFile.ReadText(file, 100));
        Assert.Null(NativeStat.OwnFolderProblem(folder));
    }
}
