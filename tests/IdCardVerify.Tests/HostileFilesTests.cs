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

/// <summary>Files someone else planted or edited: the journal, portrait names, the peer board. None may feed, crash or stall a run.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[System.Runtime.Versioning.SupportedOSPlatform("macos")]
public sealed class HostileFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-hostile-").FullName;
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private DateTime _now = DateTime.UtcNow;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VerificationResult Result(string url, double sim = 40) =>
        Judged.Parse("{\"sim\":" + sim + ",\"result\":\"Success\",\"description\":\"成功\",\"name\":\"张测试\",\"sex\":\"男\",\"nation\":\"汉\",\"birth\":\"1990/01/01\",\"address\":\"沙盒省\",\"id_num\":\"11010119900101001X\",\"warnings\":\"\"}", url, 70);

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, file + " " + string.Join(" ", args) + ": " + process.StandardError.ReadToEnd());
    }

    // ---- the journal ----

    [Theory]
    [InlineData("\"sim\":40", "\"sim\":99")]
    [InlineData("\"id_num\":\"11010119900101001X\"", "\"id_num\":\"110105194912310021\"")]
    [InlineData("\"answer\"", "\"masked\":true,\"answer\"")]
    [InlineData("\"answer\"", "\"portraitPath\":\"/root/.config/IdCardVerify/settings.json\",\"answer\"")]
    public void An_edited_journal_line_is_verified_again_not_believed(string from, string to)
    {
        var path = Path.Combine(_dir, "edited.jsonl");
        using (var journal = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Key))
        {
            journal.Append(Result("https://s.test/a.jpg"));
        }

        var lines = File.ReadAllLines(path);
        Assert.Contains(from, lines[1], StringComparison.Ordinal);
        lines[1] = lines[1].Replace(from, to, StringComparison.Ordinal);
        File.WriteAllLines(path, lines);

        var warnings = new List<string>();
        using var reopened = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, warnings, Key);
        Assert.False(reopened.TryGet("https://s.test/a.jpg", 70, out _));
        Assert.Contains(warnings, w => w.Contains("1 line(s) do not carry this user's signature", StringComparison.Ordinal));
    }

    [Fact]
    public void A_journal_signed_with_another_key_or_under_an_edited_header_is_not_trusted()
    {
        var path = Path.Combine(_dir, "other.jsonl");
        using (var journal = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Key))
        {
            journal.Append(Result("https://s.test/a.jpg"));
        }

        using (var other = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Enumerable.Repeat((byte)7, 32).ToArray()))
        {
            Assert.False(other.TryGet("https://s.test/a.jpg", 70, out _));
        }

        using (var own = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Key))
        {
            Assert.True(own.TryGet("https://s.test/a.jpg", 70, out var back));
            Assert.Equal(40, back!.Similarity);
        }

        // The header names where the answers came from; each line is signed under it.
        var lines = File.ReadAllLines(path);
        lines[0] = lines[0].Replace("}", ",\"x\":1}", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);
        using var edited = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Key);
        Assert.False(edited.TryGet("https://s.test/a.jpg", 70, out _));
    }

    [Fact]
    public void The_journal_keeps_no_signed_url_and_no_url_password()
    {
        var path = Path.Combine(_dir, "signed.jsonl");
        var url = "https://b.s3.test/card.jpg?X-Amz-Credential=AKIACANARY&X-Amz-Signature=CANARYSIG";
        using (var journal = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Key))
        {
            journal.Append(Result(url), url);
        }

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=***", text, StringComparison.Ordinal);
        using var reopened = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Key);
        Assert.True(reopened.TryGet(url, 70, out var back));
        Assert.False(reopened.TryGet("https://b.s3.test/card.jpg?X-Amz-Credential=AKIACANARY&X-Amz-Signature=OTHER", 70, out _));
        Assert.DoesNotContain("CANARY", back!.ImageUrl, StringComparison.Ordinal);
    }

    // ---- portrait files and the report ----

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
            var r = Result("https://s.test/a.jpg");
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

    // ---- the peer board ----

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

        Run("mkfifo", Path.Combine(folder, "fifo.peer"));
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
        Run("mkfifo", Path.Combine(folder, "b.peer"));

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
        Run("chmod", mode, Path.Combine(_dir, which));
        Run("chown", owner.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(_dir, which));

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
        Run("chmod", "0775", cache);
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
            Assert.True(SpinWait.SpinUntil(() => lease.Controller.BoardOffReason != null, TimeSpan.FromSeconds(10)));
            Assert.Contains("InvalidCastException", lease.Controller.BoardOffReason, StringComparison.Ordinal);
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

/// <summary>Nothing on a background thread may end the process or leave a run waiting forever.</summary>
public sealed class BackgroundFaultTests
{
    [Fact]
    public async Task A_fault_of_any_type_in_the_send_queues_pump_lets_every_waiter_go_and_turns_pacing_off()
    {
        var gate = new object();
        var calls = 0;
        // One slot a second, then the rate function throws something nobody expects: on the pump's pool thread.
        var queue = new SlotQueue(gate, TimeProvider.System, _ => ++calls > 2 ? throw new InvalidCastException("injected") : 1.0, double.PositiveInfinity);
        var waits = Enumerable.Range(0, 5).Select(_ => queue.WaitAsync(CancellationToken.None)).ToArray();

        // A guard against a hang, not a timing target.
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(20));
        lock (gate)
        {
            Assert.Contains("InvalidCastException", queue.Fault, StringComparison.Ordinal);
        }

        // From then on a slot is never held.
        await queue.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
