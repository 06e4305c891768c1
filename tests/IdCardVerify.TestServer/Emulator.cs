using System.Net;
using System.Text;
using System.Text.Json;
using IdCardVerify.Sandbox;
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
    private int _calls;
    private RecordedRequest? _last;

    private Emulator(WebApplication app, EmulatorOptions options)
    {
        _app = app;
        Options = options;
    }

    public EmulatorOptions Options { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>The full API URL to give as -Endpoint.</summary>
    public Uri Endpoint => new(BaseAddress, ApiPath);

    /// <summary>API requests received (admin routes not counted).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public RecordedRequest? LastRequest => Volatile.Read(ref _last);

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _calls, 0);
        Volatile.Write(ref _last, null);
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
        await _app.StopAsync().ConfigureAwait(false);
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

        Interlocked.Increment(ref _calls);
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        Volatile.Write(ref _last, new RecordedRequest(
            request.Method, request.Path.Value ?? "/", request.Headers.Authorization.FirstOrDefault(),
            request.ContentType, request.Headers.Accept.FirstOrDefault(), body));

        if (Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Options.Latency, context.RequestAborted).ConfigureAwait(false);
        }

        SimulatedResponse answer = request.Path.Value == ApiPath
            ? SandboxSimulator.Respond(request.Method, body, request.Headers.Authorization.FirstOrDefault(), new SandboxTokens(Options.Token))
            : new SimulatedResponse(404, "{\"success\":false,\"error\":{\"code\":\"no_api\",\"message\":\"No API registered for this path.\"},\"trace_id\":\"00000000-0000-0000-0000-000000000404\"}");
        await WriteAsync(context, answer).ConfigureAwait(false);
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
                await JsonAsync(context, new { calls = Calls }).ConfigureAwait(false);
                break;
            case "/last":
                await JsonAsync(context, LastRequest).ConfigureAwait(false);
                break;
            case "/reset":
                ResetCounters();
                await JsonAsync(context, new { calls = Calls }).ConfigureAwait(false);
                break;
            case "/latency":
                Options.Latency = TimeSpan.FromMilliseconds(int.Parse(context.Request.Query["ms"].ToString() is { Length: > 0 } ms ? ms : "0"));
                await JsonAsync(context, new { latencyMs = Options.Latency.TotalMilliseconds }).ConfigureAwait(false);
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
