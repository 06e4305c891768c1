using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdCardVerify.TestServer;

/// <summary>
/// A forward HTTP proxy on loopback, written for the tests: absolute-form requests (http targets) are
/// forwarded, CONNECT (https targets) is tunnelled, and with a user and password set every request must
/// carry matching Basic Proxy-Authorization, else the answer is 407 with a Basic challenge, as a
/// corporate proxy does. One request per connection; it counts what it forwarded and what it refused.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string? _expected;
    private readonly Task _accepting;
    private int _forwarded;
    private int _refused;

    private ForwardProxy(string? user, string? password)
    {
        _expected = user == null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri Address { get; }

    /// <summary>Requests passed on to their target (tunnels included).</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Requests answered 407.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static ForwardProxy Start(string? user = null, string? password = null) => new(user, password);

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException || ex is OperationCanceledException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException || ex is OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var (head, rest) = await ReadHeadAsync(stream).ConfigureAwait(false);
            if (head == null)
            {
                return;
            }

            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length < 3)
            {
                return;
            }

            var headers = lines.Skip(1).Where(l => l.Length > 0).ToList();
            var authorization = headers.FirstOrDefault(h => h.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))?.Substring(20).Trim();
            if (_expected != null && authorization != _expected)
            {
                Interlocked.Increment(ref _refused);
                await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"idcv-test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _forwarded);
            if (parts[0] == "CONNECT")
            {
                var target = parts[1].Split(':');
                using var tunnel = new TcpClient();
                await tunnel.ConnectAsync(target[0], int.Parse(target[1])).ConfigureAwait(false);
                await WriteAsync(stream, "HTTP/1.1 200 Connection Established\r\n\r\n").ConfigureAwait(false);
                await PipeAsync(stream, tunnel.GetStream(), rest).ConfigureAwait(false);
                return;
            }

            var uri = new Uri(parts[1]);
            using var origin = new TcpClient();
            await origin.ConnectAsync(uri.Host, uri.Port).ConfigureAwait(false);
            var forwarded = new StringBuilder($"{parts[0]} {uri.PathAndQuery} {parts[2]}\r\n");
            foreach (var header in headers)
            {
                if (!header.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !header.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
                {
                    forwarded.Append(header).Append("\r\n");
                }
            }

            forwarded.Append("Connection: close\r\n\r\n");
            await WriteAsync(origin.GetStream(), forwarded.ToString()).ConfigureAwait(false);
            await PipeAsync(stream, origin.GetStream(), rest).ConfigureAwait(false);
        }
    }

    /// <summary>Copies the client's remaining bytes to the server and the server's answer back, until the server closes.</summary>
    private static async Task PipeAsync(NetworkStream client, NetworkStream server, byte[] alreadyRead)
    {
        if (alreadyRead.Length > 0)
        {
            await server.WriteAsync(alreadyRead).ConfigureAwait(false);
        }

        var up = client.CopyToAsync(server);
        try
        {
            await server.CopyToAsync(client).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        client.Socket.Shutdown(SocketShutdown.Both);
        try
        {
            await up.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException)
        {
        }
    }

    private static async Task<(string? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (count < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(count)).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, Array.Empty<byte>());
            }

            count += read;
            var end = IndexOf(buffer, count, "\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(buffer, 0, end), buffer.AsSpan(end + 4, count - end - 4).ToArray());
            }
        }

        return (null, Array.Empty<byte>());
    }

    private static int IndexOf(byte[] buffer, int count, ReadOnlySpan<byte> value) => buffer.AsSpan(0, count).IndexOf(value);

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();
}
