using System.Net;
using System.Net.Sockets;
using IdCardVerify.Staging;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// A store that stumbles: a put or a delete is idempotent, so a 503 or a dropped answer is tried again (three attempts
/// in all), and what is left is one Staging… error naming the store. Real HTTP over loopback, to a listener that
/// answers as told.
/// </summary>
public sealed class StagingStoreTests
{
    [Fact]
    public async Task A_put_that_meets_two_503s_is_tried_again_and_lands()
    {
        using var store = new ScriptedStore(503, 503, 200);
        await store.S3.PutAsync("idcv-" + new string('a', 32) + ".jpg", new byte[] { 0xFF, 0xD8, 0xFF }, "image/jpeg", CancellationToken.None);
        Assert.Equal(3, store.Requests);
        Assert.All(store.Methods, m => Assert.Equal("PUT", m));
        Assert.All(store.Authorizations, a => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_that_keeps_failing_is_one_unavailable_error_after_three_attempts()
    {
        using var store = new ScriptedStore(503, 503, 503, 200);
        var ex = await Assert.ThrowsAsync<IdCardVerifyApiException>(() => store.S3.PutAsync("idcv-" + new string('b', 32) + ".jpg", new byte[] { 1 }, "image/jpeg", CancellationToken.None));
        Assert.Equal("StagingUnavailable", ex.ErrorId);
        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
        Assert.Equal(StagingStore.Attempts, store.Requests);
    }

    [Fact]
    public async Task Access_denied_is_not_tried_again()
    {
        using var store = new ScriptedStore(403, 200);
        var ex = await Assert.ThrowsAsync<IdCardVerifyApiException>(() => store.S3.DeleteAsync("idcv-" + new string('c', 32) + ".jpg", CancellationToken.None));
        Assert.Equal("StagingAccessDenied", ex.ErrorId);
        Assert.Equal(1, store.Requests);
        Assert.DoesNotContain("SECRETTEST", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_of_an_object_already_gone_is_done()
    {
        using var store = new ScriptedStore(404);
        await store.S3.DeleteAsync("idcv-" + new string('d', 32) + ".jpg", CancellationToken.None);
        Assert.Equal(1, store.Requests);
    }

    /// <summary>An HTTP listener on loopback that answers each request with the next status of its script.</summary>
    internal sealed class ScriptedStore : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Queue<int> _script;
        private readonly HttpClient _client = new();
        private readonly Task _serving;

        public ScriptedStore(params int[] statuses)
        {
            _script = new Queue<int>(statuses);
            var port = Listen(_listener);
            _serving = Task.Run(ServeAsync);
            var target = StagingTarget.Parse(new Uri("s3://scans/p"), new Uri($"http://127.0.0.1:{port}"), "us-east-1");
            S3 = new S3Store(target, new StagingSecret("AKIDTEST", "SECRETTEST"), _client);
        }

        public S3Store S3 { get; }

        public int Requests => Methods.Count;

        public List<string> Methods { get; } = new();

        public List<string> Authorizations { get; } = new();

        public void Dispose()
        {
            // Close alone: on Unix, Stop then Close removes the listener twice, and the second removal binds the port
            // again (dotnet's managed HttpListener), which fails when another test has taken it in between.
            _listener.Close();
            _client.Dispose();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException || ex is ObjectDisposedException || ex is InvalidOperationException)
                {
                    return;
                }

                lock (Methods)
                {
                    Methods.Add(context.Request.HttpMethod);
                    Authorizations.Add(context.Request.Headers["Authorization"] ?? string.Empty);
                }

                context.Response.StatusCode = _script.Count > 0 ? _script.Dequeue() : 200;
                context.Response.Close();
            }
        }

        /// <summary>Starts the listener on a free port, trying another if one is taken between the choice and the bind.</summary>
        private static int Listen(HttpListener listener)
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    listener.Start();
                    return port;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    listener.Prefixes.Clear();
                }
            }
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
