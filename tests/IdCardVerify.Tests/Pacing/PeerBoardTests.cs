using IdCardVerify.Client;
using Xunit;
using IdCardVerify.Pacing;

namespace IdCardVerify.Tests;

/// <summary>The peer board: the files through which runs in separate processes on one token see each other.</summary>
public sealed class PeerBoardTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "idcv-board-" + Guid.NewGuid().ToString("N"), "budget");
    private DateTime _now = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    public void Dispose()
    {
        var parent = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private PeerBoard Board(string id) => new PeerBoard(_folder, id, FuncTime.Wall(() => _now));

    [Fact]
    public void Each_run_reads_the_others_rates_and_not_its_own()
    {
        using var a = Board("a");
        using var b = Board("b");
        Assert.True(a.Write(new PeerState("a", 27.5, 29, 60)));
        Assert.True(b.Write(new PeerState("b", 31, double.PositiveInfinity, double.PositiveInfinity)));

        var seenByA = Assert.Single(a.Read());
        Assert.Equal("b", seenByA.Id);
        Assert.Equal(31, seenByA.Accepted);
        Assert.True(double.IsPositiveInfinity(seenByA.Rate));
        Assert.True(double.IsPositiveInfinity(seenByA.Ceiling));
        var seenByB = Assert.Single(b.Read());
        Assert.Equal(("a", 27.5, 29.0, 60.0), (seenByB.Id, seenByB.Accepted, seenByB.Rate, seenByB.Ceiling));
    }

    [Fact]
    public void A_run_that_ends_in_order_takes_its_file_and_the_empty_folder_with_it()
    {
        using var a = Board("a");
        var b = Board("b");
        a.Write(new PeerState("a", 10, 10));
        b.Write(new PeerState("b", 10, 10));
        Assert.Single(a.Read());
        b.Dispose();
        Assert.Empty(a.Read());
        a.Dispose();
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public void A_run_killed_without_a_word_is_gone_once_its_file_is_stale_and_its_file_is_cleared_later()
    {
        using var a = Board("a");
        var killed = Board("killed");
        killed.Write(new PeerState("killed", 30, 30));
        a.Write(new PeerState("a", 30, 30));
        Assert.Single(a.Read());

        _now += PeerBoard.Stale + TimeSpan.FromSeconds(0.1);
        Assert.Empty(a.Read());
        Assert.True(File.Exists(Path.Combine(_folder, "killed.peer")));
        _now += PeerBoard.Abandoned;
        a.Read();
        Assert.False(File.Exists(Path.Combine(_folder, "killed.peer")));
    }

    [Fact]
    public void A_run_that_begins_clears_files_runs_killed_long_ago_left_on_any_token_and_their_folders()
    {
        // As FolderFor lays them out: <user's folder>/peers/<token and endpoint>/<run>.peer.
        var peers = Path.Combine(Path.GetDirectoryName(_folder)!, "peers");
        var old = Path.Combine(peers, "old-token");
        var live = Path.Combine(peers, "live-token");
        Directory.CreateDirectory(old);
        Directory.CreateDirectory(live);
        File.WriteAllText(Path.Combine(old, "killed.peer"), $"1 {(_now - TimeSpan.FromHours(2)).Ticks} 30 30 60");
        File.WriteAllText(Path.Combine(live, "running.peer"), $"1 {_now.Ticks} 30 30 60");

        using var begins = new PeerBoard(Path.Combine(peers, "mine"), "begins", FuncTime.Wall(() => _now));
        Assert.True(begins.Write(new PeerState("begins", 0, 15)));
        Assert.False(Directory.Exists(old));
        Assert.True(File.Exists(Path.Combine(live, "running.peer")));
        Assert.True(File.Exists(Path.Combine(peers, "mine", "begins.peer")));
    }

    [Fact]
    public void A_file_caught_being_rewritten_keeps_the_runs_last_rates_and_a_stranger_file_is_ignored()
    {
        using var a = Board("a");
        using var b = Board("b");
        a.Write(new PeerState("a", 22, 23));
        b.Write(new PeerState("b", 22, 23));
        Assert.Single(a.Read());
        File.WriteAllText(Path.Combine(_folder, "b.peer"), string.Empty);
        File.WriteAllText(Path.Combine(_folder, "stranger.peer"), "not a board line");
        Assert.Equal(22, Assert.Single(a.Read()).Accepted);
    }

    [Fact]
    public void A_temp_folder_that_refuses_writes_leaves_the_run_on_its_own_without_an_error()
    {
        // The budget's folder cannot be made: a file stands where its parent should be (as a full disk or a
        // read-only temp folder refuse).
        var parent = Path.GetDirectoryName(_folder)!;
        Directory.CreateDirectory(Path.GetDirectoryName(parent)!);
        File.WriteAllText(parent, "in the way");
        try
        {
            using var a = Board("a");
            Assert.False(a.Write(new PeerState("a", 1, 1)));
            Assert.Empty(a.Read());
        }
        finally
        {
            File.Delete(parent);
        }
    }

    [Fact]
    public void A_write_or_a_listing_that_fails_once_does_not_make_the_other_runs_look_gone()
    {
        // Taken for gone, their room would be taken at once: a burst of 429s for every run on the token.
        using var a = Board("a");
        using var b = Board("b");
        Assert.True(a.Write(new PeerState("a", 20, 21)));
        Assert.True(b.Write(new PeerState("b", 20, 21)));
        Assert.Single(a.Read());
        File.Delete(Path.Combine(_folder, "a.peer"));
        Directory.CreateDirectory(Path.Combine(_folder, "a.peer")); // its file cannot be written now
        Assert.False(a.Write(new PeerState("a", 20, 21)));
        Assert.Equal("b", Assert.Single(a.Read()).Id);
        Directory.Delete(Path.Combine(_folder, "a.peer"));
        Assert.True(a.Write(new PeerState("a", 20, 21)));

        // Nor does a folder that cannot be listed once (here a file stands in its place).
        Directory.Delete(_folder, recursive: true);
        File.WriteAllText(_folder, "in the way");
        Assert.Equal("b", Assert.Single(a.Read()).Id);
        File.Delete(_folder);
    }

    // Unix only (skipped, and counted so, on Windows, where the user's own temp folder is the protection).
    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_folder_others_can_write_is_not_trusted_for_their_files_could_pose_as_runs()
    {
        using var a = Board("a");
        Assert.True(a.Write(new PeerState("a", 1, 1)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        File.WriteAllText(Path.Combine(_folder, "poser.peer"), $"1 {_now.Ticks} 50 50 60");
        Assert.Single(a.Read());

        File.SetUnixFileMode(_folder, (UnixFileMode)0x1FF); // 0777
        Assert.False(a.Write(new PeerState("a", 1, 1)));
        Assert.Empty(a.Read());
    }

    [Fact]
    public void The_folder_is_the_users_own_one_per_key_and_names_neither_token_nor_endpoint()
    {
        var key = "https://api.example.test/verify\ntoken-hash-a";
        var folder = PeerBoard.FolderFor(key)!;
        // In the user's own cache folder, never the shared temp folder where another user can make the path first.
        Assert.StartsWith(PeerBoard.BaseFolder()!, folder, StringComparison.Ordinal);
        Assert.False(folder.StartsWith(Path.GetTempPath(), StringComparison.Ordinal));
        Assert.Contains(Path.Combine("IdCardVerify", "peers"), folder, StringComparison.Ordinal);
        Assert.Equal(folder, PeerBoard.FolderFor(key));
        Assert.NotEqual(folder, PeerBoard.FolderFor("https://api.example.test/verify\ntoken-hash-b"));
        Assert.NotEqual(folder, PeerBoard.FolderFor("https://api.example.test/other\ntoken-hash-a"));
        Assert.DoesNotContain("token", folder, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example", folder, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(PeerBoard.NewId(), PeerBoard.NewId());
    }
}
