using System.Net;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using IdCardVerify.Bulk;
using IdCardVerify.Client;
using IdCardVerify.Pacing;
using IdCardVerify.Resilience;
using IdCardVerify.Settings;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// One clock: every read of time and every wait goes through a <see cref="TimeProvider"/>; only Files.Clock touches the
/// system's. Held on the compiled assembly's IL, and shown by runs on a fake clock that waits only when it is moved.
/// </summary>
public sealed class OneClockTests
{
    // What reads the system's clock, starts its timers or waits by it: (type, member, only when it takes a timeout).
    private static readonly (string Type, string Member, bool TimedOnly)[] SystemTime =
    {
        ("System.DateTime", "get_Now", false), ("System.DateTime", "get_UtcNow", false), ("System.DateTime", "get_Today", false),
        ("System.DateTimeOffset", "get_Now", false), ("System.DateTimeOffset", "get_UtcNow", false),
        ("System.Diagnostics.Stopwatch", "*", false), ("System.Environment", "get_TickCount", false), ("System.Environment", "get_TickCount64", false),
        ("System.Threading.Thread", "Sleep", false), ("System.Threading.Tasks.Task", "Delay", false), ("System.Threading.Timer", ".ctor", false),
        ("System.TimeProvider", "get_System", false), ("System.Threading.CancellationTokenSource", "CancelAfter", false),
        ("System.Threading.CancellationTokenSource", ".ctor", true), ("System.Threading.Tasks.Task", "Wait", true),
        ("System.Threading.Tasks.Task", "WaitAll", true), ("System.Threading.Tasks.Task", "WaitAny", true),
        ("System.Threading.SemaphoreSlim", "Wait", true), ("System.Threading.SemaphoreSlim", "WaitAsync", true),
        ("System.Threading.WaitHandle", "WaitOne", true), ("System.Threading.Monitor", "TryEnter", true), ("System.Threading.Monitor", "Wait", true),
        ("System.Threading.ManualResetEventSlim", "Wait", true), ("System.Threading.Thread", "Join", true),
    };

    [Fact]
    public void Only_the_clocks_own_file_touches_the_system_clock()
    {
        var uses = SystemClockUses();
        var found = uses.Where(u => u.From != "IdCardVerify.Files.Clock").ToList();
        Assert.True(found.Count == 0, "The system's clock read or waited on outside Files/Clock.cs (use the run's TimeProvider):\n" + string.Join("\n", found.Select(f => f.From + " -> " + f.Member)));
        // The scan sees real uses: the clock's own.
        Assert.Contains(uses, u => u.From == "IdCardVerify.Files.Clock" && u.Member == "System.TimeProvider.get_System");
    }

    [Fact]
    public async Task A_request_times_out_by_the_runs_clock_not_the_walls()
    {
        // A server that never answers; -TimeoutSec 30 on a fake clock: nothing happens until the clock is moved past it.
        var time = new FakeTimeProvider();
        var client = new IdCardVerifyClient(new HttpMessageInvoker(new Silent()), new Uri("https://api.example/verify"), null, TimeSpan.FromSeconds(30), time);
        var send = client.SendAsync("https://img.example/a.jpg", null, 1, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<IdCardVerifyApiException>(() => send);
        Assert.Equal(ApiFailureKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task A_retry_waits_its_backoff_on_the_runs_clock()
    {
        // A 503 then an answer: the retry is sent only when the fake clock has moved past the backoff.
        var time = new FakeTimeProvider();
        var server = new Scripted(HttpStatusCode.ServiceUnavailable);
        var client = new IdCardVerifyClient(new HttpMessageInvoker(server), new Uri("https://api.example/verify"), null, TimeSpan.FromSeconds(30), time);
        var sender = new ResilientSender(client, new RetryPolicy { MaxRetries = 2 }, new RateController(0, time), _ => { }, time);
        var send = sender.SendAsync("https://img.example/a.jpg", null, CancellationToken.None);
        await WaitFor(() => server.Calls == 1);
        await Task.Delay(300);
        Assert.Equal(1, server.Calls);
        time.Advance(TimeSpan.FromSeconds(60));
        await WaitFor(() => server.Calls == 2);
        await send;
    }

    [Fact]
    public void A_runs_elapsed_time_and_its_outage_breaker_go_by_the_clock_handed_to_it()
    {
        var time = new FakeTimeProvider();
        using var run = new VerificationRun(RunOptions.Resolve(new Dictionary<string, object> { ["Sandbox"] = true }, new SettingsValues(), p => p, inputCount: null), CancellationToken.None, time);
        Assert.Equal(TimeSpan.Zero, run.Elapsed);
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(TimeSpan.FromMinutes(3), run.Elapsed);
    }

    private static async Task WaitFor(Func<bool> done)
    {
        for (var i = 0; i < 100 && !done(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(done());
    }

    private sealed class Silent : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class Scripted(HttpStatusCode first) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            var body = call == 1 ? "{}" : "{\"result\":\"Success\",\"similarity\":90}";
            return Task.FromResult(new HttpResponseMessage(call == 1 ? first : HttpStatusCode.OK) { Content = new StringContent(body) });
        }
    }

    /// <summary>Every (type, member) the module's IL calls that reads or waits by the system's clock.</summary>
    private static List<(string From, string Member)> SystemClockUses()
    {
        using var stream = File.OpenRead(typeof(VerificationResult).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var found = new List<(string, string)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var outer = handle;
            while (reader.GetTypeDefinition(outer).GetDeclaringType() is { IsNil: false } declaring)
            {
                outer = declaring;
            }

            var from = ArchitectureTests.FullName(reader, outer);
            foreach (var m in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                foreach (var token in ArchitectureTests.Tokens(pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!))
                {
                    var entity = MetadataTokens.EntityHandle(token);
                    if (entity.Kind == HandleKind.MethodSpecification)
                    {
                        entity = reader.GetMethodSpecification((MethodSpecificationHandle)entity).Method;
                    }

                    if (entity.Kind != HandleKind.MemberReference)
                    {
                        continue;
                    }

                    var member = reader.GetMemberReference((MemberReferenceHandle)entity);
                    if (member.Parent.Kind != HandleKind.TypeReference || member.GetKind() != MemberReferenceKind.Method)
                    {
                        continue;
                    }

                    var parent = reader.GetTypeReference((TypeReferenceHandle)member.Parent);
                    var typeName = reader.GetString(parent.Namespace) + "." + reader.GetString(parent.Name);
                    var name = reader.GetString(member.Name);
                    var parameters = member.DecodeMethodSignature(new TypeNames(), null).ParameterTypes;
                    var timed = parameters.Any(p => p is "System.TimeSpan" or "System.Int32" or "System.Int64");
                    if (SystemTime.Any(s => s.Type == typeName && (s.Member == "*" || s.Member == name) && (!s.TimedOnly || timed)))
                    {
                        found.Add((from, typeName + "." + name));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>A signature's types by name (enough to tell a timeout parameter).</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var reference = reader.GetTypeReference(handle);
            return reader.GetString(reference.Namespace) + "." + reader.GetString(reference.Name);
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "spec";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericInstantiation(string genericType, System.Collections.Immutable.ImmutableArray<string> typeArguments) => genericType;

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetSZArrayType(string elementType) => elementType + "[]";
    }
}
