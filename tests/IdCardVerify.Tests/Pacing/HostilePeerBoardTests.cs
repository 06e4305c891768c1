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

/// <summary>The peer board under files someone else planted: FIFOs, links, giants, garbage, folders of other users, faults on its timer. None may feed, crash or stall a run.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[System.Runtime.Versioning.SupportedOSPlatform("macos")]
public sealed class HostilePeerBoardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
    private DateTime _now = DateTime.UtcNow;

    private PeerBoard Board(string folder, string id) => new PeerBoard(folder, id, FuncTime.Wall(() => _now), root: _dir);

    private static async Task<IReadOnlyList<PeerState>> ReadWithin(PeerBoard board)
    {
        // A guard against a hang (a FIFO blocks whoever opens it), not a timing target.
        return await Task.Run(board.Read).WaitAsync(TimeSpan.FromSeconds(20));
    }

    [UnixFact]
    public async Task A_fifo_a_link_to_dev_zero_a_sparse_5GB_file_and_garbage_are_no_runs_and_nothing_hangs()
    {
        var folder = Path.Combine(_dir, "peers", "budget");
        using var own = Board(folder, "own");
        Assert.True(own.Write(new PeerState("own", 10, 10)));

        Shell.Run("mkfifo", Path.Combine(folder, "fifo.peer"));
        File.CreateSymbolicLink(Path.Combine(folder, "zero.peer"), "/dev/zero");
        using (var sparse = new FileStream(Path.Combine(folder, "sparse.peer"), FileMode.CreateNew))
        {
            sparse.SetLength(5L * 1024 * 1024 * 1024);
        }

        File.WriteAllText(Path.Combine(folder, "future.peer"), $"1 {_now.AddYears(10).Ticks} 20 20 60");
        File.WriteAllText(Path.Combine(folder, "infinite.peer"), $"1 {_now.Ticks} Infinity 1e300 -5");
        File.WriteAllText(Path.Combine(folder, "huge.peer"), $"1 {_now.Ticks} 1e300 20 60");
        File.WriteAllText(Path.Combine(folder, "real.peer"), $"1 {_now.Ticks} 20 21 60");

        var peers = await ReadWithin(own);
        var seen = Assert.Single(peers);
        Assert.Equal(("real", 20.0), (seen.Id, seen.Accepted));
        Assert.False(File.Exists(Path.Combine(folder, "future.peer")), "a file dated ahead never turns stale: it goes");
    }

    [UnixFact]
    public async Task Ten_thousand_files_cost_a_tick_no_more_than_its_cap()
    {
        var folder = Path.Combine(_dir, "peers", "many");
        using var own = Board(folder, "own");
        Assert.True(own.Write(new PeerState("own", 10, 10)));
        for (var i = 0; i < 10_000; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"r{i}.peer"), $"1 {_now.Ticks} 20 21 60");
        }

        Assert.Equal(PeerBoard.MaxFilesPerTick, (await ReadWithin(own)).Count);
    }

    [UnixFact]
    public async Task A_link_or_fifo_at_the_runs_own_name_is_replaced_not_written_through()
    {
        var folder = Path.Combine(_dir, "peers", "own-name");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.GetDirectoryName(folder)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var target = Path.Combine(_dir, "target.txt");
        File.WriteAllText(target, "keep me");
        File.CreateSymbolicLink(Path.Combine(folder, "a.peer"), target);
        Shell.Run("mkfifo", Path.Combine(folder, "b.peer"));

        var written = await Task.Run(() => Board(folder, "a").Write(new PeerState("a", 1, 1)) && Board(folder, "b").Write(new PeerState("b", 1, 1))).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(written);
        Assert.Equal("keep me", File.ReadAllText(target));
        Assert.Null(new FileInfo(Path.Combine(folder, "a.peer")).LinkTarget);
    }

    [UnixTheory]
    [InlineData("cache", "0777", 0)]
    [InlineData("cache", "0700", 65534)]
    [InlineData("cache", "0755", 65534)]
    [InlineData("cache/IdCardVerify", "0775", 0)]
    [InlineData("cache/IdCardVerify/peers", "0700", 65534)]
    [InlineData("cache/IdCardVerify/peers/budget", "0757", 0)]
    public void A_folder_on_the_boards_path_that_another_user_owns_or_can_write_turns_the_board_off(string which, string mode, int owner)
    {
        // Another user made a folder on the path first (or it is shared): their files could pose as runs, so nothing is read.
        var cache = Path.Combine(_dir, "cache");
        var folder = Path.Combine(cache, "IdCardVerify", "peers", "budget");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "planted.peer"), $"1 {_now.Ticks} 20 21 60");
        Shell.Run("chmod", mode, Path.Combine(_dir, which));
        Shell.Run("chown", owner.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(_dir, which));

        var board = new PeerBoard(folder, "victim", FuncTime.Wall(() => _now), root: cache);
        Assert.False(board.Write(new PeerState("victim", 10, 10)));
        Assert.Empty(board.Read());
    }

    [UnixFact]
    public void A_cache_folder_of_the_users_own_group_under_umask_002_is_still_used()
    {
        var cache = Path.Combine(_dir, "cache-775");
        var folder = Path.Combine(cache, "IdCardVerify", "peers", "budget");
        Directory.CreateDirectory(cache);
        Shell.Run("chmod", "0775", cache);
        var board = new PeerBoard(folder, "own", FuncTime.Wall(() => _now), root: cache);
        Assert.True(board.Write(new PeerState("own", 10, 10)));
        File.WriteAllText(Path.Combine(folder, "other.peer"), $"1 {_now.Ticks} 20 21 60");
        Assert.Equal("other", Assert.Single(board.Read()).Id);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    [Theory]
    [InlineData("write")]
    [InlineData("read")]
    [InlineData("peers")]
    public void A_fault_of_any_type_on_the_boards_timer_turns_the_board_off_and_the_process_lives(string where)
    {
        var token = "hostile-fault-" + Guid.NewGuid().ToString("N");
        var endpoint = new Uri("https://fault.example.test/verify");
        RateController? target = null;
        RateBudgets.PeerSync.Fault = (controller, at) =>
        {
            if (at == where && controller == target)
            {
                throw new InvalidCastException("injected at " + at);
            }
        };
        try
        {
            using var lease = RateBudgets.Acquire(endpoint, token, 60);
            target = lease.Controller;
            // An unhandled exception on the timer thread would have ended this test host.
            Assert.True(SpinWait.SpinUntil(() => lease.Controller.FaultReason != null, TimeSpan.FromSeconds(10)));
            Assert.Contains("InvalidCastException", lease.Controller.FaultReason, StringComparison.Ordinal);
        }
        finally
        {
            RateBudgets.PeerSync.Fault = null;
        }
    }

    [Fact]
    public void Ending_a_budget_returns_within_a_second_while_a_tick_is_stuck_in_the_file_system()
    {
        var token = "hostile-stuck-" + Guid.NewGuid().ToString("N");
        using var stuck = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        RateController? target = null;
        RateBudgets.PeerSync.Fault = (controller, at) =>
        {
            if (at == "read" && controller == target)
            {
                stuck.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            }
        };
        try
        {
            var lease = RateBudgets.Acquire(new Uri("https://stuck.example.test/verify"), token, 60);
            target = lease.Controller;
            Assert.True(stuck.Wait(TimeSpan.FromSeconds(10)));
            var clock = Stopwatch.StartNew();
            lease.Dispose();
            // Dispose waits PeerSync.DisposeWait (0.5 s) at most; 5 s is a hang guard, not a timing target.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Dispose took {clock.Elapsed}");
        }
        finally
        {
            release.Set();
            RateBudgets.PeerSync.Fault = null;
        }
    }
}
