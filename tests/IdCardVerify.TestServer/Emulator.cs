using System.Net;
using System.Text;
using System.Text.Json;
using IdCardVerify.Client.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdCardVerify.TestServer;

/// <summary>Settings of one emulator instance; the fault knobs can be changed while it runs.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The token the emulator accepts as valid.</summary>
    public string Token { get; set; } = "test-token-0123456789";

    /// <summary>Delay added before every answer.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Requests allowed per one-second window; past it, 429. 0 = no limit.</summary>
    public int RateLimit { get; set; }

    /// <summary>Retry-After (seconds) sent with a rate-limit 429; null sends none.</summary>
    public int? RetryAfterSeconds { get; set; } = 1;

    /// <summary>Share of requests answered 500/503 (0-1).</summary>
    public double ErrorRate { get; set; }

    /// <summary>Share of requests whose connection is dropped without an answer (0-1).</summary>
    public double DropRate { get; set; }

    /// <summary>Share of requests that stall until the client gives up (0-1).</summary>
    public double StallRate { get; set; }

    /// <summary>Latency varies by up to this share either way (0.3 = ±30%), as a real OCR and face comparison does.</summary>
    public double LatencyJitter { get; set; }

    /// <summary>The rate limit counts the last second (a sliding window) instead of fixed one-second windows.</summary>
    public bool SlidingWindow { get; set; }

    /// <summary>Share of requests answered 429 whatever the rate (a gateway's noise), 0-1.</summary>
    public double ThrottleNoise { get; set; }

    /// <summary>A 429 is answered after the latency, as a server that throttles behind its work does (false: at once, as a gateway).</summary>
    public bool SlowThrottle { get; set; }

    /// <summary>
    /// An attacker's API, for the hostile suite: every request's image URL quoted back in the shapes servers quote URLs in
    /// (a path alone, percent-encoded, JSON-escaped with \/, raw): "error" in a 400's message, "ok" in a 200's description.
    /// </summary>
    public string? EchoShapes { get; set; }

    /// <summary>Seed of the fault dice, so a failing run can be replayed.</summary>
    public int Seed { get; set; } = 12345;
}

/// <summary>What the emulator saw of the last API request, for wire-format assertions.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string? ContentType, string? Accept, string Body);

/// <summary>
/// The API on loopback: a real Kestrel HTTP server on 127.0.0.1 and an ephemeral port, answering
/// with the module's simulator, behind a token check. Admin routes under /__emulator/ let a test
/// read the call counter and the last request.
/// </summary>
public sealed class Emulator : IAsyncDisposable
{
    public const string ApiPath = "/identity/idcard/check-1e";

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _perUrl = new(StringComparer.Ordinal);

    // Every API request's image URL and how many times it came (for "paid twice" accounting).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _requested = new(StringComparer.Ordinal);
    private Random _dice;
    private readonly int _startSeed;
    private long _window = -1;
    private int _inWindow;
    private int _calls;
    private readonly Queue<long> _accepted = new();
    private int _throttled;
    private int _fetched;
    private int _fetchFailed;
    private static readonly HttpClient Downloader = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };
    private int _faults;
    private int _inFlight;
    private int _redirects;
    private int _peakInFlight;
    private RecordedRequest? _last;
    private readonly CancellationTokenSource _stopping = new();

    private Emulator(WebApplication app, EmulatorOptions options)
    {
        _app = app;
        Options = options;
        _dice = new Random(options.Seed);
        _startSeed = options.Seed;
    }

    public EmulatorOptions Options { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>The full API URL to give as -Endpoint.</summary>
    public Uri Endpoint => new(BaseAddress, ApiPath);

    /// <summary>API requests received (admin routes not counted).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public RecordedRequest? LastRequest => Volatile.Read(ref _last);

    /// <summary>429s answered by the rate limit.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>The most API requests the emulator was handling at once since the last reset.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Injected 5xx, drops and stalls.</summary>
    public int Faults => Volatile.Read(ref _faults);

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _throttled, 0);
        Interlocked.Exchange(ref _fetched, 0);
        Interlocked.Exchange(ref _fetchFailed, 0);
        Interlocked.Exchange(ref _faults, 0);
        Interlocked.Exchange(ref _peakInFlight, 0);
        Interlocked.Exchange(ref _redirects, 0);
        _perUrl.Clear();
        _requested.Clear();
        Volatile.Write(ref _last, null);
        lock (_gate)
        {
            _dice = new Random(Options.Seed);
            _window = -1;
            _inWindow = 0;
        }
    }

    /// <summary>Turns every fault off.</summary>
    public void ClearFaults()
    {
        Options.Latency = TimeSpan.Zero;
        Options.RateLimit = 0;
        Options.RetryAfterSeconds = 1;
        Options.ErrorRate = Options.DropRate = Options.StallRate = 0;
        Options.LatencyJitter = Options.ThrottleNoise = 0;
        Options.SlidingWindow = Options.SlowThrottle = false;
        Options.EchoShapes = null;
        lock (_gate)
        {
            _accepted.Clear();
        }

    }

    private enum Fault
    {
        None,
        Throttle,
        Error,
        Drop,
        Stall,
    }

    private Fault Roll(string imageUrl, HashSet<string> words)
    {
        // Deterministic per-URL faults: a file name with flaky-<n> fails its first n calls with 503;
        // drop and stall keywords always drop or stall.
        foreach (var word in words)
        {
            if (word.StartsWith("flaky-", StringComparison.Ordinal) && int.TryParse(word.AsSpan(6), out var failures))
            {
                var seen = _perUrl.AddOrUpdate(imageUrl, 1, (_, n) => n + 1);
                if (seen <= failures)
                {
                    return Fault.Error;
                }
            }
        }

        if (words.Contains("drop")) return Fault.Drop;
        if (words.Contains("stall")) return Fault.Stall;

        lock (_gate)
        {
            if (Options.RateLimit > 0 && Options.SlidingWindow)
            {
                var now = Environment.TickCount64;
                while (_accepted.Count > 0 && now - _accepted.Peek() >= 1000)
                {
                    _accepted.Dequeue();
                }

                if (_accepted.Count >= Options.RateLimit)
                {
                    return Fault.Throttle;
                }

                _accepted.Enqueue(now);
            }
            else if (Options.RateLimit > 0)
            {
                var second = Environment.TickCount64 / 1000;
                if (second != _window)
                {
                    _window = second;
                    _inWindow = 0;
                }

                if (++_inWindow > Options.RateLimit)
                {
                    return Fault.Throttle;
                }
            }

            if (Options.ThrottleNoise > 0 && _dice.NextDouble() < Options.ThrottleNoise)
            {
                return Fault.Throttle;
            }

            var roll = _dice.NextDouble();
            if (roll < Options.DropRate) return Fault.Drop;
            if (roll < Options.DropRate + Options.StallRate) return Fault.Stall;
            if (roll < Options.DropRate + Options.StallRate + Options.ErrorRate) return Fault.Error;
            return Fault.None;
        }
    }

    private static string ImageUrlOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("image_url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    public static async Task<Emulator> StartAsync(EmulatorOptions? options = null, int port = 0)
    {
        options ??= new EmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var emulator = new Emulator(app, options);
        app.Run(emulator.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1"));
        return emulator;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(quick.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/__emulator", out var rest))
        {
            await AdminAsync(context, rest.Value ?? string.Empty).ConfigureAwait(false);
            return;
        }

        if (request.Path.StartsWithSegments("/__redirect"))
        {
            // A gateway that redirects elsewhere: the client must not follow it with the token.
            Interlocked.Increment(ref _redirects);
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = $"http://localhost:{context.Connection.LocalPort}{ApiPath}";
            return;
        }

        Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while ((peak = Volatile.Read(ref _peakInFlight)) < now && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
        {
        }

        try
        {
            await HandleApiAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleApiAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        Volatile.Write(ref _last, new RecordedRequest(
            request.Method, request.Path.Value ?? "/", request.Headers.Authorization.FirstOrDefault(),
            request.ContentType, request.Headers.Accept.FirstOrDefault(), body));

        // The image URL and its keywords, read once for every decision below.
        var imageUrl = ImageUrlOf(body);
        _requested.AddOrUpdate(imageUrl, 1, (_, n) => n + 1);
        var keywords = Scenario.KeywordsOf(imageUrl).ToHashSet();

        // The rate limit counts arrivals and a 429 answers at once, as an API gateway's does: the latency is the
        // work behind the gateway (OCR, the face compare), which a throttled request never reaches.
        var fault = Roll(imageUrl, keywords);
        if (fault != Fault.Throttle || Options.SlowThrottle)
        {
            if (Options.Latency > TimeSpan.Zero)
            {
                var jitter = Options.LatencyJitter;
                double factor;
                lock (_gate)
                {
                    factor = jitter > 0 ? 1 + ((_dice.NextDouble() * 2) - 1) * jitter : 1;
                }

                await Task.Delay(TimeSpan.FromTicks((long)(Options.Latency.Ticks * factor)), context.RequestAborted).ConfigureAwait(false);
            }
        }

        if (keywords.Contains("huge"))
        {
            // 50 MB of a JSON string, streamed without a length: the client must stop reading, not buffer it all.
            context.Response.ContentType = "application/json";
            var chunk = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));
            await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("{\"result\":\"Success\",\"portrait\":\""), context.RequestAborted).ConfigureAwait(false);
            try
            {
                for (var sent = 0; sent < 50 * 1024 * 1024; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is IOException)
            {
                // The client hung up, as it should.
            }

            return;
        }

        if (keywords.Contains("endless"))
        {
            // An answer that starts and never ends: a byte a second until the client gives up.
            context.Response.ContentType = "application/json";
            try
            {
                await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("{\"result\":"), context.RequestAborted).ConfigureAwait(false);
                while (!context.RequestAborted.IsCancellationRequested && !_stopping.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(" "), context.RequestAborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    await Task.Delay(1000, _stopping.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is IOException)
            {
            }

            return;
        }

        switch (fault)
        {
            case Fault.Throttle:
                Interlocked.Increment(ref _throttled);
                await WriteAsync(context, new SimulatedResponse(429, "{\"success\":false,\"error\":{\"code\":\"too_many_requests\",\"message\":\"Too many requests.\"},\"trace_id\":\"00000000-0000-0000-0000-000000000429\"}")
                {
                    RetryAfter = Options.RetryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }).ConfigureAwait(false);
                return;
            case Fault.Error:
                Interlocked.Increment(ref _faults);
                await WriteAsync(context, new SimulatedResponse(503, "<html><body><h1>503 Service Unavailable</h1></body></html>", "text/html")).ConfigureAwait(false);
                return;
            case Fault.Drop:
                Interlocked.Increment(ref _faults);
                context.Abort();
                return;
            case Fault.Stall:
                Interlocked.Increment(ref _faults);
                using (var stall = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, stall.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }

                return;
        }

        if (request.Path.Value == ApiPath && await FetchProblemAsync(imageUrl).ConfigureAwait(false) is string failCode)
        {
            // The image could not be downloaded, or is not one the API takes: its business failure, as the API answers.
            body = "{\"image_url\":\"https://emulator.invalid/fail-" + failCode + ".jpg\"}";
        }

        SimulatedResponse answer = request.Path.Value == ApiPath
            ? Answer(request.Method, body, imageUrl, keywords, request.Headers.Authorization.FirstOrDefault())
            : new SimulatedResponse(404, "{\"success\":false,\"error\":{\"code\":\"no_api\",\"message\":\"No API registered for this path.\"},\"trace_id\":\"00000000-0000-0000-0000-000000000404\"}");
        await WriteAsync(context, answer).ConfigureAwait(false);
    }

    /// <summary>
    /// As the real API does, downloads an image served on this machine (a staged file's signed URL, from the tests'
    /// storage servers): a GET that must finish in 3 s, at most 3 MB after base64, JPEG or PNG. Other hosts are the
    /// tests' made-up URLs and are not fetched. Returns the failure code, or null when the image is good.
    /// </summary>
    private async Task<string?> FetchProblemAsync(string imageUrl)
    {
        if (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) || !(uri.IsLoopback || uri.Host == "127.0.0.1"))
        {
            return null;
        }

        try
        {
            using var answer = await Downloader.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _fetchFailed);
                return "ImageDecodeFailed";
            }

            var bytes = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (bytes.LongLength * 4 / 3 > 3L * 1024 * 1024)
            {
                Interlocked.Increment(ref _fetchFailed);
                return "ImageSizeTooLarge";
            }

            var jpeg = bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
            var png = bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == 0x50 && bytes[2] == 0x4E && bytes[3] == 0x47;
            if (!jpeg && !png)
            {
                Interlocked.Increment(ref _fetchFailed);
                return "ImageDecodeFailed";
            }

            Interlocked.Increment(ref _fetched);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException)
        {
            Interlocked.Increment(ref _fetchFailed);
            return "ImageDecodeFailed";
        }
    }

    /// <summary>The API's answer: the token checked as the real service checks it, then the module's own simulator.</summary>
    private SimulatedResponse Answer(string method, string body, string imageUrl, HashSet<string> keywords, string? authorization)
    {
        var tokenError = HttpMethods.IsPost(method) ? new SandboxTokens(Options.Token).Check(authorization) : null;
        return tokenError != null ? SandboxSimulator.TokenError(tokenError)
            : Shapes(imageUrl) ?? Echo(imageUrl, keywords, authorization) ?? SandboxSimulator.Respond(method, body);
    }

    /// <summary>The image URL in every shape a server may quote it (see <see cref="EmulatorOptions.EchoShapes"/>).</summary>
    private SimulatedResponse? Shapes(string imageUrl)
    {
        if (Options.EchoShapes == null || !Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var quoted = "Max retries exceeded with url: " + uri.PathAndQuery + " (Caused by ReadTimeoutError); fetched "
            + Uri.EscapeDataString(imageUrl) + " ; as json " + imageUrl.Replace("/", "\\/") + " ; raw <" + imageUrl + ">";
        var text = JsonEncodedText.Encode(quoted).ToString();
        return Options.EchoShapes == "ok"
            ? new SimulatedResponse(200, "{\"result\":\"Success\",\"sim\":91.5,\"description\":\"" + text + "\",\"name\":\"张三\",\"idcard\":\"11010519491231002X\",\"warnings\":\"\"}")
            : new SimulatedResponse(400, "{\"success\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"" + text + "\"},\"trace_id\":\"shapes\"}");
    }

    /// <summary>
    /// A careless server, for the hygiene tests: <c>echotoken</c> answers 400 quoting the token and
    /// <c>echotoken-ok</c> answers 200 with it in the description, both JSON-escaped as a serializer may
    /// write it; <c>echourl</c> answers 400 quoting the image URL, as a download error would.
    /// </summary>
    private static SimulatedResponse? Echo(string imageUrl, HashSet<string> keywords, string? authorization)
    {
        var token = authorization != null && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization.Substring(7) : string.Empty;
        if (keywords.Contains("echotoken-ok"))
        {
            return new SimulatedResponse(200, "{\"result\":\"Success\",\"sim\":91.5,\"description\":\"ok for " + EscapeAll(token) + "\",\"name\":\"" + EscapeAll(token) + "\",\"warnings\":\"\",\"encryption\":{\"k\":\"" + EscapeAll(token) + "\"}}");
        }

        if (keywords.Contains("echotoken"))
        {
            return new SimulatedResponse(400, "{\"success\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"refused token " + EscapeAll(token) + "\"},\"token\":\"" + EscapeAll(token) + "\",\"trace_id\":\"echo\"}");
        }

        if (keywords.Contains("echourl"))
        {
            var url = JsonEncodedText.Encode(imageUrl).ToString();
            return new SimulatedResponse(400, "{\"success\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"could not download " + url + "\"},\"request\":{\"image_url\":\"" + url + "\"},\"trace_id\":\"echo\"}");
        }

        return null;
    }

    /// <summary>Every character but letters and digits as a \u escape: the token in a form a plain search would miss.</summary>
    private static string EscapeAll(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            escaped.Append(char.IsAsciiLetterOrDigit(c) ? c.ToString() : "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return escaped.ToString();
    }

    private static async Task WriteAsync(HttpContext context, SimulatedResponse answer)
    {
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType + "; charset=utf-8";
        if (answer.RetryAfter != null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        await context.Response.WriteAsync(answer.Body, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task AdminAsync(HttpContext context, string route)
    {
        switch (route)
        {
            case "/calls":
                await JsonAsync(context, new { calls = Calls, throttled = Throttled, faults = Faults, peakInFlight = PeakInFlight, redirects = Volatile.Read(ref _redirects), imagesFetched = Volatile.Read(ref _fetched), imageFetchFailures = Volatile.Read(ref _fetchFailed) }).ConfigureAwait(false);
                break;
            case "/faults":
                var q = context.Request.Query;
                if (q.ContainsKey("clear")) ClearFaults();
                // The fault dice's seed: a benchmark varies it to run one scenario over several noise sequences.
                if (q.TryGetValue("seed", out var seedText)) Options.Seed = int.Parse(seedText!, System.Globalization.CultureInfo.InvariantCulture);
                else if (q.ContainsKey("clear")) Options.Seed = _startSeed;
                if (q.TryGetValue("latencyMs", out var latency)) Options.Latency = TimeSpan.FromMilliseconds(double.Parse(latency!, System.Globalization.CultureInfo.InvariantCulture));
                if (q.TryGetValue("rateLimit", out var limit)) Options.RateLimit = int.Parse(limit!, System.Globalization.CultureInfo.InvariantCulture);
                if (q.TryGetValue("retryAfter", out var after)) Options.RetryAfterSeconds = int.TryParse(after, out var seconds) && seconds >= 0 ? seconds : null;
                if (q.TryGetValue("errorRate", out var errors)) Options.ErrorRate = double.Parse(errors!, System.Globalization.CultureInfo.InvariantCulture);
                if (q.TryGetValue("dropRate", out var drops)) Options.DropRate = double.Parse(drops!, System.Globalization.CultureInfo.InvariantCulture);
                if (q.TryGetValue("stallRate", out var stalls)) Options.StallRate = double.Parse(stalls!, System.Globalization.CultureInfo.InvariantCulture);
                if (q.TryGetValue("jitter", out var jitterText)) Options.LatencyJitter = double.Parse(jitterText!, System.Globalization.CultureInfo.InvariantCulture);
                if (q.TryGetValue("slidingWindow", out var sliding)) Options.SlidingWindow = sliding == "1" || string.Equals(sliding, "true", StringComparison.OrdinalIgnoreCase);
                if (q.TryGetValue("slowThrottle", out var slow)) Options.SlowThrottle = slow == "1" || string.Equals(slow, "true", StringComparison.OrdinalIgnoreCase);
                if (q.TryGetValue("throttleNoise", out var noise)) Options.ThrottleNoise = double.Parse(noise!, System.Globalization.CultureInfo.InvariantCulture);
                if (q.TryGetValue("echoShapes", out var shapes)) Options.EchoShapes = string.IsNullOrEmpty(shapes) ? null : shapes.ToString();
                await JsonAsync(context, new
                {
                    latencyMs = Options.Latency.TotalMilliseconds,
                    rateLimit = Options.RateLimit,
                    retryAfter = Options.RetryAfterSeconds,
                    errorRate = Options.ErrorRate,
                    dropRate = Options.DropRate,
                    stallRate = Options.StallRate,
                    jitter = Options.LatencyJitter,
                    slidingWindow = Options.SlidingWindow,
                    throttleNoise = Options.ThrottleNoise,
                    slowThrottle = Options.SlowThrottle,
                }).ConfigureAwait(false);
                break;
            case "/urls":
                await JsonAsync(context, _requested.ToDictionary(p => p.Key, p => p.Value)).ConfigureAwait(false);
                break;
            case "/last":
                await JsonAsync(context, LastRequest).ConfigureAwait(false);
                break;
            case "/reset":
                ResetCounters();
                await JsonAsync(context, new { calls = Calls }).ConfigureAwait(false);
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private static Task JsonAsync(HttpContext context, object? value)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
}
