using System.Text;
using IdCardVerify.Bulk;
using IdCardVerify.Client;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using Xunit;

namespace IdCardVerify.Tests;

public sealed class CheckpointJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-journal-").FullName;

    private const string Sandbox = CheckpointJournal.SandboxSource;
    private const string Endpoint = "https://api.example.test/identity/idcard/check-1e";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VerificationResult Result(string url) =>
        Judged.Parse(
            "{\"sim\":88.5,\"result\":\"Success\",\"description\":\"成功\",\"name\":\"张测试\",\"sex\":\"男\",\"nation\":\"汉\",\"birth\":\"1990/01/01\",\"address\":\"沙盒省\",\"id_num\":\"11010119900101001X\",\"portrait\":\"/9j/4AAQ\",\"warnings\":\"-9101\",\"quality\":55,\"encryption\":{\"Iv\":\"x\"}}",
            url,
            70);

    [Fact]
    public void A_result_written_is_read_back_with_every_field_and_the_current_threshold()
    {
        var path = Path.Combine(_dir, "run.jsonl");
        var warnings = new List<string>();
        using (var journal = CheckpointJournal.Open(path, Endpoint, "{\"copy_warn\":true}", false, warnings))
        {
            journal.Append(Result("https://s.test/a.jpg"));
        }

        using var reopened = CheckpointJournal.Open(path, Endpoint, "{\"copy_warn\":true}", false, warnings);
        Assert.Empty(warnings);
        Assert.Equal(1, reopened.Count);
        Assert.False(reopened.TryGet("https://s.test/b.jpg", 70, out _));
        Assert.True(reopened.TryGet("https://s.test/a.jpg", 90, out var back));
        Assert.True(back!.FromCheckpoint);
        Assert.Equal(88.5, back.Similarity);
        Assert.Equal(90, back.Threshold);
        Assert.Equal(Verdict.NoMatch, back.Verdict);
        Assert.Equal("张测试", back.Name);
        Assert.Equal("11010119900101001X", back.IdNumber);
        Assert.Equal(IdCardWarning.BorderIncomplete, back.Warnings);
        Assert.Equal(55, back.Quality);
        Assert.Equal("{\"Iv\":\"x\"}", back.Encryption);
        Assert.False(back.HasPortrait);
    }

    [Fact]
    public void A_truncated_last_line_is_skipped_with_a_warning_and_the_journal_stays_usable()
    {
        var path = Path.Combine(_dir, "run.jsonl");
        using (var journal = CheckpointJournal.Open(path, Sandbox, null, false, new List<string>()))
        {
            journal.Append(Result("https://s.test/a.jpg"));
            journal.Append(Result("https://s.test/b.jpg"));
        }

        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Substring(0, text.Length - 40), new UTF8Encoding(false));

        var warnings = new List<string>();
        using (var journal = CheckpointJournal.Open(path, Sandbox, null, false, warnings))
        {
            Assert.Single(warnings);
            Assert.Contains("truncated", warnings[0]);
            Assert.True(journal.TryGet("https://s.test/a.jpg", 70, out _));
            Assert.False(journal.TryGet("https://s.test/b.jpg", 70, out _));
            journal.Append(Result("https://s.test/c.jpg"));
        }

        warnings.Clear();
        using var again = CheckpointJournal.Open(path, Sandbox, null, false, warnings);
        Assert.True(again.TryGet("https://s.test/c.jpg", 70, out _), "the entry after the broken line must be readable");
        Assert.Single(warnings);
        Assert.Contains("not a journal entry", warnings[0]);
    }

    [Fact]
    public void Each_entry_reaches_the_file_before_append_returns()
    {
        var path = Path.Combine(_dir, "run.jsonl");
        using (var journal = CheckpointJournal.Open(path, Sandbox, null, false, new List<string>()))
        {
            var before = new FileInfo(path).Length;
            journal.Append(Result("https://s.test/a.jpg"));
            Assert.True(new FileInfo(path).Length > before, "the entry is in the file while the journal is still open");
        }

        var content = File.ReadAllText(path);
        Assert.Contains("https://s.test/a.jpg", content);
        Assert.DoesNotContain("/9j/4AAQ", content);
    }

    [Theory]
    [InlineData(Endpoint, null, "the sandbox")]
    [InlineData(Sandbox, "{\"copy_warn\":true}", "the config")]
    public void A_journal_written_under_other_settings_is_refused_not_reused(string answersFrom, string? config, string named)
    {
        var path = Path.Combine(_dir, "run.jsonl");
        using (var journal = CheckpointJournal.Open(path, Sandbox, null, false, new List<string>()))
        {
            journal.Append(Result("https://s.test/a.jpg"));
        }

        var refused = Assert.Throws<JournalMismatchException>(() => CheckpointJournal.Open(path, answersFrom, config, false, new List<string>()));
        Assert.Contains(named, refused.Message);
        Assert.Contains("-RestartCheckpoint", refused.Message);
        Assert.Contains(path, refused.Message);
    }

    [Fact]
    public void Restarting_moves_the_old_journal_aside_and_begins_an_empty_one()
    {
        var path = Path.Combine(_dir, "run.jsonl");
        using (var journal = CheckpointJournal.Open(path, Sandbox, null, false, new List<string>()))
        {
            journal.Append(Result("https://s.test/a.jpg"));
        }

        var warnings = new List<string>();
        using (var fresh = CheckpointJournal.Open(path, Endpoint, null, true, warnings))
        {
            Assert.Equal(0, fresh.Count);
            Assert.False(fresh.TryGet("https://s.test/a.jpg", 70, out _));
        }

        var aside = Assert.Single(Directory.GetFiles(_dir, "run.jsonl.replaced-*"));
        Assert.Contains("https://s.test/a.jpg", File.ReadAllText(aside));
        Assert.Contains(aside, Assert.Single(warnings));
    }

    [Fact]
    public void A_journal_of_the_earlier_format_is_refused_since_it_does_not_say_where_its_answers_came_from()
    {
        var path = Path.Combine(_dir, "v1.jsonl");
        File.WriteAllText(path, "{\"journal\":\"IdCardVerify\",\"version\":1}\n{\"imageUrl\":\"https://s.test/a.jpg\",\"answer\":{\"result\":\"Success\",\"sim\":90}}\n");
        IdCardVerify.Files.PrivateFiles.Restrict(path);
        var refused = Assert.Throws<JournalMismatchException>(() => CheckpointJournal.Open(path, Endpoint, null, false, new List<string>()));
        Assert.Contains("another version", refused.Message);
    }

    [Fact]
    public void A_second_open_of_a_journal_in_use_fails_at_once_naming_the_file()
    {
        var path = Path.Combine(_dir, "run.jsonl");
        using var first = CheckpointJournal.Open(path, Sandbox, null, false, new List<string>());
        var busy = Assert.Throws<JournalInUseException>(() => CheckpointJournal.Open(path, Sandbox, null, false, new List<string>()));
        Assert.Contains(path, busy.Message);
    }

    [Fact]
    public void Resuming_finds_each_entry_by_its_url_among_many()
    {
        var path = Path.Combine(_dir, "many.jsonl");
        using (var journal = CheckpointJournal.Open(path, Sandbox, null, false, new List<string>()))
        {
            for (var i = 0; i < 500; i++)
            {
                journal.Append(Result($"https://s.test/{i}.jpg"));
            }
        }

        using var reopened = CheckpointJournal.Open(path, Sandbox, null, false, new List<string>());
        Assert.Equal(500, reopened.Count);
        foreach (var i in new[] { 499, 0, 250, 17 })
        {
            Assert.True(reopened.TryGet($"https://s.test/{i}.jpg", 70, out var r));
            Assert.Equal($"https://s.test/{i}.jpg", r!.ImageUrl);
        }

        Assert.False(reopened.TryGet("https://s.test/500.jpg", 70, out _));
    }
}
