using IdCardVerify.Staging;
using IdCardVerify.Staging.Images;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// The stager: a file put under a random name, read by the API through a URL signed for minutes whose signature is a
/// secret while it lives, deleted after its answer; a delete that fails is said, never thrown (the ledger keeps it: LocalFiles.Tests); a stager that
/// cannot stage stops the run at its first file. Real HTTP over loopback to a store that answers as told.
/// </summary>
public sealed class StagerTests : IDisposable
{
    private static readonly PreparedImage Jpeg = new PreparedImage(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg", 1, 1, false, null);
    private readonly string _ledgers = Directory.CreateTempSubdirectory("idcv-ledgers-").FullName;

    public void Dispose() => Directory.Delete(_ledgers, true);

    [Fact]
    public async Task A_file_is_up_from_its_put_to_its_delete_and_its_signature_is_scrubbed_while_it_lives()
    {
        using var store = new StagingStoreTests.ScriptedStore(200, 204);
        using var stager = new Stager(store.S3, null, Stager.DefaultLifetime, _ledgers);
        var staged = await stager.StageAsync(Jpeg, "card.jpg", CancellationToken.None);
        Assert.True(stager.Busy);
        Assert.StartsWith("idcv-", staged.Name, StringComparison.Ordinal);
        var signature = System.Text.RegularExpressions.Regex.Match(staged.Url, "X-Amz-Signature=([0-9a-f]{64})").Groups[1].Value;
        Assert.Equal(64, signature.Length);
        Assert.DoesNotContain(signature, Secrets.Scrub("the API said: " + staged.Url), StringComparison.Ordinal);
        Assert.Null(await stager.RemoveAsync(staged));
        Assert.False(stager.Busy);
        Assert.Equal(new[] { "PUT", "DELETE" }, store.Methods);
        // The object is gone: its signature is no longer a secret the module holds (it signs nothing that lives).
        Assert.Contains(signature, Secrets.Scrub(signature), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_that_fails_is_said_never_thrown_and_the_file_is_no_longer_counted_as_up()
    {
        using var store = new StagingStoreTests.ScriptedStore(200, 403);
        var stager = new Stager(store.S3, null, Stager.DefaultLifetime, _ledgers);
        var staged = await stager.StageAsync(Jpeg, "card.jpg", CancellationToken.None);
        var said = await stager.RemoveAsync(staged);
        Assert.Contains("could not be deleted", said, StringComparison.Ordinal);
        Assert.Contains(staged.Name, said, StringComparison.Ordinal);
        Assert.False(stager.Busy);
        stager.Dispose();
    }

    [Fact]
    public async Task A_stager_that_cannot_stage_stops_the_run_with_its_reason()
    {
        var reason = new IdCardVerifyApiException("No store is set up.") { ErrorId = "StagingNotConfigured" };
        using var stager = Stager.Failed(reason);
        var thrown = await Assert.ThrowsAsync<IdCardVerifyApiException>(() => stager.ProbeAsync(CancellationToken.None));
        Assert.Same(reason, thrown);
        Assert.True(thrown.StopsRun);
        Assert.Contains("StagingNotConfigured", stager.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandboxs_stager_sends_nothing_and_carries_the_files_name_for_its_scenario_words()
    {
        using var stager = new Stager(null, null, Stager.DefaultLifetime, null);
        var staged = await stager.StageAsync(Jpeg, "张三 copy.jpg", CancellationToken.None);
        Assert.StartsWith("https://staging.sandbox.invalid/", staged.Url, StringComparison.Ordinal);
        Assert.EndsWith("/" + Uri.EscapeDataString("张三 copy.jpg"), staged.Url, StringComparison.Ordinal);
        Assert.Null(await stager.RemoveAsync(staged));
        Assert.False(stager.Busy);
    }
}
