using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// The rooms of the assembly and which may use which: read from the compiled assembly's metadata and IL (every type
/// a type names in its signatures, fields, attributes and method bodies), checked against the arrows block of
/// ARCHITECTURE.md. A use the arrows do not allow fails, naming the types.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Module = typeof(VerificationResult).Assembly;

    [Fact]
    public void Every_use_between_rooms_is_an_arrow_of_ARCHITECTURE_md()
    {
        var allowed = Arrows(File.ReadAllText(Path.Combine(Repository.Root(), "ARCHITECTURE.md")));
        var uses = Uses().ToList();
        // The scan sees real uses (from a method body, and from a signature), so an empty result cannot pass for a clean one.
        Assert.Contains(uses, u => u.From == "Resilience" && u.To == "Pacing");
        Assert.Contains(uses, u => u.From == "Model" && u.To == "Files");
        var violations = Violations(allowed, uses).ToList();
        Assert.True(violations.Count == 0, "Uses the arrows of ARCHITECTURE.md do not allow:\n" + string.Join("\n", violations.Take(40)));
    }

    [Fact]
    public void Every_arrow_of_ARCHITECTURE_md_is_used_by_some_code()
    {
        // A declared arrow no code uses is a door left open for the next change: the map says what is, not what may be.
        var allowed = Arrows(File.ReadAllText(Path.Combine(Repository.Root(), "ARCHITECTURE.md")));
        var used = new HashSet<(string, string)>(Uses().Where(u => u.To != PowerShell).Select(u => (u.From, u.To)));
        var unused = allowed.SelectMany(a => a.Value.Select(to => (a.Key, to))).Where(arrow => !used.Contains(arrow)).Select(a => a.Item1 + " -> " + a.Item2).ToList();
        Assert.True(unused.Count == 0, "Arrows of ARCHITECTURE.md that no code uses (remove them):\n" + string.Join("\n", unused));
    }

    [Theory]
    [InlineData("Commands", 7)]
    [InlineData("Bulk", 8)]
    public void The_commands_and_the_run_reach_a_few_rooms(string room, int most)
    {
        // The cmdlets talk to a small surface (the run, settings, the report, decisions, ID numbers, the sheets, the
        // model); the run composes at most eight rooms. Held on the map, which the other tests hold the code to.
        var allowed = Arrows(File.ReadAllText(Path.Combine(Repository.Root(), "ARCHITECTURE.md")));
        Assert.True(allowed[room].Count <= most, $"{room} reaches {allowed[room].Count} rooms ({string.Join(" ", allowed[room])}); at most {most}.");
        var reached = Uses().Where(u => u.From == room && u.To != room && u.To != PowerShell).Select(u => u.To).Distinct().ToList();
        Assert.True(reached.Count <= most, $"{room} uses {reached.Count} rooms ({string.Join(" ", reached)}); at most {most}.");
    }

    [Fact]
    public void A_command_reaching_past_the_run_is_caught()
    {
        // Planted: a cmdlet using the wire's client directly, past the run. The map does not allow it.
        var allowed = Arrows(File.ReadAllText(Path.Combine(Repository.Root(), "ARCHITECTURE.md")));
        var planted = Uses().Append(("Commands", "Client", "IdCardVerify.InvokeIdCardVerificationCommand -> IdCardVerify.Client.IdCardVerifyClient"));
        Assert.Contains(Violations(allowed, planted), v => v.StartsWith("Commands -> Client", StringComparison.Ordinal));
    }

    [Fact]
    public void PowerShell_types_are_used_by_the_commands_alone()
    {
        // Beside Commands: the module initializer (Loading) and the [Hidden] on VerificationResult.InputObject (Model).
        var uses = Uses().Where(u => u.To == PowerShell).ToList();
        Assert.Contains(uses, u => u.From == "Commands");
        // The scan sees an attribute's use outside Commands (the one allowed), so it would see any other.
        Assert.Contains(uses, u => u.From == "Model" && u.Example.EndsWith("HiddenAttribute", StringComparison.Ordinal));
        var outside = uses.Where(u => u.From != "Commands" && u.From != "Loading"
            && !(u.From == "Model" && u.Example.EndsWith("System.Management.Automation.HiddenAttribute", StringComparison.Ordinal))).Select(u => u.Example).ToList();
        Assert.True(outside.Count == 0, "PowerShell's types used outside Commands:\n" + string.Join("\n", outside.Take(40)));
    }

    [Fact]
    public void The_check_fails_when_a_forbidden_use_is_added()
    {
        var allowed = Arrows(File.ReadAllText(Path.Combine(Repository.Root(), "ARCHITECTURE.md")));
        // The wire using the commands, and the pacing using the settings: both against the arrows.
        var added = Uses().Append(("Client", "Commands", "IdCardVerify.Client.ApiErrors -> IdCardVerify.InvokeIdCardVerificationCommand"))
            .Append(("Pacing", "Settings", "IdCardVerify.Pacing.RateController -> IdCardVerify.Settings.Defaults"));
        var violations = Violations(allowed, added).ToList();
        Assert.Contains(violations, v => v.Contains("Client -> Commands", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("Pacing -> Settings", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_room_is_on_the_map_and_the_arrows_have_no_cycle()
    {
        var allowed = Arrows(File.ReadAllText(Path.Combine(Repository.Root(), "ARCHITECTURE.md")));
        foreach (var room in Uses().SelectMany(u => new[] { u.From, u.To }).Where(r => r != PowerShell).Distinct())
        {
            Assert.True(allowed.ContainsKey(room!), $"The room {room} is not in ARCHITECTURE.md's arrows.");
        }

        // One direction: no room reaches itself through the arrows.
        foreach (var start in allowed.Keys)
        {
            var seen = new HashSet<string>();
            var todo = new Stack<string>(allowed[start]);
            while (todo.Count > 0)
            {
                var room = todo.Pop();
                Assert.False(room == start, $"The arrows make a cycle through {start}.");
                if (seen.Add(room) && allowed.TryGetValue(room, out var next))
                {
                    foreach (var n in next)
                    {
                        todo.Push(n);
                    }
                }
            }
        }
    }

    private const string PowerShell = "PowerShell";

    private static IEnumerable<string> Violations(Dictionary<string, HashSet<string>> allowed, IEnumerable<(string From, string To, string Example)> uses) =>
        uses.Where(u => u.To != PowerShell && u.From != u.To && !(allowed.TryGetValue(u.From, out var to) && to.Contains(u.To)))
            .GroupBy(u => (u.From, u.To))
            .Select(g => $"{g.Key.From} -> {g.Key.To}: {g.First().Example}");

    /// <summary>The arrows block: lines "Room -> Other Other".</summary>
    private static Dictionary<string, HashSet<string>> Arrows(string architecture)
    {
        var block = Regex.Match(architecture, "```arrows\\r?\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "ARCHITECTURE.md has no ```arrows block.");
        var arrows = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in block.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var parts = line.Split("->", 2, StringSplitOptions.TrimEntries);
            arrows[parts[0]] = new HashSet<string>(parts.Length > 1 ? parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>(), StringComparer.Ordinal);
        }

        return arrows;
    }

    /// <summary>Every (room, room, example) use between types of the module, read from its metadata and IL.</summary>
    private static IEnumerable<(string From, string To, string Example)> Uses()
    {
        using var stream = File.OpenRead(Module.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new Dictionary<TypeDefinitionHandle, string>();
        var rooms = new Dictionary<TypeDefinitionHandle, string?>();
        foreach (var handle in reader.TypeDefinitions)
        {
            names[handle] = FullName(reader, handle);
            rooms[handle] = RoomOf(reader, handle);
        }

        var uses = new List<(string, string, string)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var from = rooms[handle];
            if (from == null)
            {
                continue;
            }

            var used = new HashSet<TypeDefinitionHandle>();
            var collector = new Collector(used);
            var type = reader.GetTypeDefinition(handle);
            collector.Add(reader, type.BaseType);
            foreach (var i in type.GetInterfaceImplementations())
            {
                collector.Add(reader, reader.GetInterfaceImplementation(i).Interface);
            }

            foreach (var a in type.GetCustomAttributes())
            {
                collector.Add(reader, reader.GetCustomAttribute(a).Constructor);
            }

            foreach (var p in type.GetProperties())
            {
                foreach (var a in reader.GetPropertyDefinition(p).GetCustomAttributes())
                {
                    collector.Add(reader, reader.GetCustomAttribute(a).Constructor);
                }
            }

            foreach (var f in type.GetFields())
            {
                reader.GetFieldDefinition(f).DecodeSignature(collector, null);
            }

            foreach (var m in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                method.DecodeSignature(collector, null);
                foreach (var a in method.GetCustomAttributes())
                {
                    collector.Add(reader, reader.GetCustomAttribute(a).Constructor);
                }

                if (method.RelativeVirtualAddress != 0)
                {
                    foreach (var token in Tokens(pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!))
                    {
                        collector.Add(reader, MetadataTokens.EntityHandle(token));
                    }
                }
            }

            foreach (var t in used)
            {
                var to = rooms.TryGetValue(t, out var room) ? room : null;
                if (to != null && to != from)
                {
                    uses.Add((from, to, $"{names[handle]} -> {names[t]}"));
                }
            }

            // PowerShell's own types, as a room of their own (not on the map: ARCHITECTURE.md names who may use them).
            foreach (var external in collector.External.Where(n => n.StartsWith("System.Management.Automation.", StringComparison.Ordinal)))
            {
                uses.Add((from, PowerShell, $"{names[handle]} -> {external}"));
            }
        }

        return uses;
    }

    /// <summary>The room of a type of the module: its namespace under IdCardVerify; in the root namespace, Commands, Loading or Model.</summary>
    private static string? RoomOf(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (type.GetDeclaringType() is { IsNil: false } outer)
        {
            handle = outer;
            type = reader.GetTypeDefinition(outer);
        }

        var ns = reader.GetString(type.Namespace);
        var name = reader.GetString(type.Name);
        if (name.StartsWith('<') || (ns != "IdCardVerify" && !ns.StartsWith("IdCardVerify.", StringComparison.Ordinal)))
        {
            return null;
        }

        if (ns != "IdCardVerify")
        {
            // A room is the first namespace below the root: Client.Sandbox is part of Client, Staging.Images of Staging.
            return ns.Substring("IdCardVerify.".Length).Split('.')[0];
        }

        // By name: the tests do not load PowerShell's assembly.
        // A cmdlet derives from PSCmdlet, perhaps through a base of the module's own (RunOptionsCmdlet).
        var baseType = type.BaseType;
        while (baseType.Kind == HandleKind.TypeDefinition)
        {
            baseType = reader.GetTypeDefinition((TypeDefinitionHandle)baseType).BaseType;
        }

        var baseName = baseType.Kind == HandleKind.TypeReference ? reader.GetString(reader.GetTypeReference((TypeReferenceHandle)baseType).Name) : null;
        var completer = type.GetInterfaceImplementations().Any(i => reader.GetInterfaceImplementation(i).Interface is var h && h.Kind == HandleKind.TypeReference
            && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)h).Name) == "IArgumentCompleter");
        return baseName == "PSCmdlet" || baseName == "Cmdlet" || completer ? "Commands" : name == "ModuleInitializer" ? "Loading" : "Model";
    }

    internal static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var outer = type.GetDeclaringType();
        return (outer.IsNil ? reader.GetString(type.Namespace) : FullName(reader, outer)) + "." + reader.GetString(type.Name);
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue =
        typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The metadata tokens in a method's IL: its calls, loads, stores, news, casts and ldtoken.</summary>
    internal static IEnumerable<int> Tokens(byte[] il, bool strings = false)
    {
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[++i]) : il[i];
            i++;
            var op = OpCodesByValue[value];
            var size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (strings ? op.OperandType == OperandType.InlineString : op.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
            {
                yield return BitConverter.ToInt32(il, i);
            }

            i += size;
        }
    }

    /// <summary>Collects the module's own types a handle or a signature names (generic arguments and element types too).</summary>
    private sealed class Collector : ISignatureTypeProvider<int, object?>
    {
        private readonly HashSet<TypeDefinitionHandle> _used;

        public Collector(HashSet<TypeDefinitionHandle> used) => _used = used;

        /// <summary>Types of other assemblies the type names, as Namespace.Name.</summary>
        public HashSet<string> External { get; } = new HashSet<string>(StringComparer.Ordinal);

        private void AddExternal(MetadataReader reader, TypeReferenceHandle handle)
        {
            var reference = reader.GetTypeReference(handle);
            External.Add(reader.GetString(reference.Namespace) + "." + reader.GetString(reference.Name));
        }

        public void Add(MetadataReader reader, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    _used.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeReference:
                    AddExternal(reader, (TypeReferenceHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    _used.Add(method.GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition:
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    _used.Add(field.GetDeclaringType());
                    field.DecodeSignature(this, null);
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    Add(reader, member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(reader, spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
            }
        }

        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            _used.Add(handle);
            return 0;
        }

        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            AddExternal(reader, handle);
            return 0;
        }

        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
            return 0;
        }

        public int GetArrayType(int elementType, ArrayShape shape) => 0;

        public int GetByReferenceType(int elementType) => 0;

        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;

        public int GetGenericInstantiation(int genericType, System.Collections.Immutable.ImmutableArray<int> typeArguments) => 0;

        public int GetGenericMethodParameter(object? genericContext, int index) => 0;

        public int GetGenericTypeParameter(object? genericContext, int index) => 0;

        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;

        public int GetPinnedType(int elementType) => 0;

        public int GetPointerType(int elementType) => 0;

        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;

        public int GetSZArrayType(int elementType) => 0;
    }
}
