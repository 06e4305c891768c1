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
        using (var journal = CheckpointJournal.Open(path, warnings))
        {
            journal.Append(Result("https://s.test/a.jpg"), "{\"copy_warn\":true}");
        }

        using var reopened = CheckpointJournal.Open(path, warnings);
        Assert.Empty(warnings);
        Assert.Equal(1, reopened.Count);
        Assert.False(reopened.TryGet("https://s.test/a.jpg", null, 70, out _), "another config is another verification");
        Assert.True(reopened.TryGet("https://s.test/a.jpg", "{\"copy_warn\":true}", 90, out var back));
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
        using (var journal = CheckpointJournal.Open(path, new List<string>()))
        {
            journal.Append(Result("https://s.test/a.jpg"), null);
            journal.Append(Result("https://s.test/b.jpg"), null);
        }

        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Substring(0, text.Length - 40), new UTF8Encoding(false));

        var warnings = new List<string>();
        using (var journal = CheckpointJournal.Open(path, warnings))
        {
            Assert.Single(warnings);
            Assert.Contains("truncated", warnings[0]);
            Assert.True(journal.TryGet("https://s.test/a.jpg", null, 70, out _));
            Assert.False(journal.TryGet("https://s.test/b.jpg", null, 70, out _));
            journal.Append(Result("https://s.test/c.jpg"), null);
        }

        warnings.Clear();
        using var again = CheckpointJournal.Open(path, warnings);
        Assert.True(again.TryGet("https://s.test/c.jpg", null, 70, out _), "the entry after the broken line must be readable");
        Assert.Single(warnings);
        Assert.Contains("not a journal entry", warnings[0]);
    }

    [Fact]
    public void Each_entry_reaches_the_file_before_append_returns()
    {
        var path = Path.Combine(_dir, "run.jsonl");
        using var journal = CheckpointJournal.Open(path, new List<string>());
        journal.Append(Result("https://s.test/a.jpg"), null);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var content = new StreamReader(reader).ReadToEnd();
        Assert.Contains("https://s.test/a.jpg", content);
        Assert.DoesNotContain("/9j/4AAQ", content);
    }
}
