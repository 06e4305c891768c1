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

/// <summary>A journal someone else edited, signed with another key or under an edited header: never believed, its inputs verified again; no signed URL or password in it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[System.Runtime.Versioning.SupportedOSPlatform("macos")]
public sealed class HostileJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcv-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

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
            journal.Append(Judged.Sample("https://s.test/a.jpg"));
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
            journal.Append(Judged.Sample("https://s.test/a.jpg"));
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
            journal.Append(Judged.Sample(url), url);
        }

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=***", text, StringComparison.Ordinal);
        using var reopened = CheckpointJournal.Open(path, CheckpointJournal.SandboxSource, null, false, new List<string>(), Key);
        Assert.True(reopened.TryGet(url, 70, out var back));
        Assert.False(reopened.TryGet("https://b.s3.test/card.jpg?X-Amz-Credential=AKIACANARY&X-Amz-Signature=OTHER", 70, out _));
        Assert.DoesNotContain("CANARY", back!.ImageUrl, StringComparison.Ordinal);
    }
}
