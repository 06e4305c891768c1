using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// Every text a person reads comes from the resources, in English and Simplified Chinese: both files hold the same keys
/// with the same placeholders, every key is used, Chinese is Chinese, and no sentence is built in code outside them
/// (read from the compiled IL: a string literal of words is a sentence left behind).
/// </summary>
public sealed class TextTests
{
    private static readonly string Resources = Path.Combine(Repository.Root(), "src", "IdCardVerify", "Resources");

    // Keys whose Chinese is rightly the same as the English (a separator, a code).
    private static readonly HashSet<string> SameInBoth = new(StringComparer.Ordinal) { "Api_AnsweredCode", "Retry_Http" };

    // Types whose sentences are not in the resources yet: none. A type that gains a sentence fails the test.
    private static readonly HashSet<string> NotYetMoved = new(StringComparer.Ordinal)
    {
    };

    [Theory]
    [InlineData("Text", 200)]
    [InlineData("FileText", 20)]
    public void Both_languages_hold_the_same_keys_with_the_same_placeholders(string resources, int atLeast)
    {
        var en = Load(resources + ".resx");
        var zh = Load(resources + ".zh-CN.resx");
        Assert.True(en.Count > atLeast, "The resources were read.");
        Assert.Equal(en.Keys.OrderBy(k => k, StringComparer.Ordinal), zh.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var key in en.Keys)
        {
            Assert.True(Placeholders(en[key]).SetEquals(Placeholders(zh[key])), $"{key}: placeholders {string.Join(",", Placeholders(en[key]))} in English, {string.Join(",", Placeholders(zh[key]))} in Chinese.");
            if (!SameInBoth.Contains(key) && Regex.IsMatch(en[key], "[A-Za-z]{3}"))
            {
                Assert.True(Regex.IsMatch(zh[key], @"[\u4e00-\u9fff]"), $"{key} is not translated: '{zh[key]}'.");
            }
        }
    }

    [Fact]
    public void Every_key_is_used_by_the_code()
    {
        var code = string.Join("\n", Directory.EnumerateFiles(Path.Combine(Repository.Root(), "src", "IdCardVerify"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).Select(File.ReadAllText));
        var unused = Load("Text.resx").Keys.Select(k => ("Text.", k)).Concat(Load("FileText.resx").Keys.Select(k => ("FileText.", k))).Where(e =>
            !code.Contains(e.Item1 + e.k, StringComparison.Ordinal)
            && !code.Contains("\"" + e.k.Substring(0, e.k.IndexOf('_') + 1) + "\" +", StringComparison.Ordinal)).Select(e => e.Item1 + e.k).ToList();
        Assert.True(unused.Count == 0, "Keys no code uses (remove them):\n" + string.Join("\n", unused));
    }

    [Fact]
    public void No_sentence_a_person_reads_is_built_in_code_outside_the_resources()
    {
        var found = Sentences().GroupBy(s => s.Type).ToDictionary(g => g.Key, g => g.Select(s => s.Text).ToList());
        var offenders = found.Where(f => !NotYetMoved.Contains(f.Key) && !NotAPersonsWords.Contains(f.Key)).SelectMany(f => f.Value.Select(v => f.Key + ": " + v)).ToList();
        Assert.True(offenders.Count == 0, "Sentences in code (move them to Resources/Text.resx and Text.zh-CN.resx):\n" + string.Join("\n", offenders));
        var done = NotYetMoved.Where(t => !found.ContainsKey(t)).ToList();
        Assert.True(done.Count == 0, "Types whose sentences are all in the resources now (take them off NotYetMoved):\n" + string.Join("\n", done));
    }

    [Fact]
    public void The_scan_sees_a_sentence()
    {
        Assert.Matches(Sentence, "The run stopped at input 3: fix the cause.");
        Assert.DoesNotMatch(Sentence, "application/json; charset=utf-8");
        Assert.DoesNotMatch(Sentence, "<tr><td>{0}</td></tr>");
        Assert.Matches(Sentence, "Input {0} was not sent: its path leaves the folder.");
        Assert.DoesNotMatch(Sentence, "yyyy-MM-dd HH:mm:ss");
        Assert.DoesNotMatch(Sentence, "https://api.acedata.cloud/identity/idcard/check-1e");
    }

    // Words a person reads: four words or more of letters with spaces between them; not markup, a pattern or an address.
    private static readonly Regex Sentence = new(@"^(?!param\()(?!.*<\w)(?!.*\{[A-Za-z])(?!.*\(\?)(?!.*\\)(?!https?:)(?=(?:[^ ]* ){3})(?=(?:.*?\b[A-Za-z]{2,}\b[ ,:;.()'-]+){4}).*[a-z]{3}", RegexOptions.Singleline);

    // Words no person reads from this module: the simulated API's own answers (it speaks as the vendor's API does),
    // a type name the loader asks for, messages for a developer who called an internal wrongly.
    private static readonly HashSet<string> NotAPersonsWords = new(StringComparer.Ordinal)
    {
        "IdCardVerify.Client.Sandbox.SandboxContract", "IdCardVerify.Client.Sandbox.SandboxSimulator", "IdCardVerify.ModuleInitializer",
        "IdCardVerify.Bulk.VerificationEngine", "IdCardVerify.Verification.FalseAcceptRates",
        // Exceptions caught inside the module (never shown) or a developer's misuse of an internal.
        "IdCardVerify.Bulk.JournalIndex", "IdCardVerify.Client.ResponseParser", "IdCardVerify.Bulk.VerificationRun", "IdCardVerify.Contract.WarningCodes",
    };

    private static IEnumerable<(string Type, string Text)> Sentences()
    {
        using var stream = File.OpenRead(typeof(VerificationResult).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.TypeDefinitions)
        {
            var outer = handle;
            while (reader.GetTypeDefinition(outer).GetDeclaringType() is { IsNil: false } declaring)
            {
                outer = declaring;
            }

            var type = ArchitectureTests.FullName(reader, outer);
            foreach (var m in reader.GetTypeDefinition(handle).GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                foreach (var token in ArchitectureTests.Tokens(pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!, strings: true))
                {
                    var text = reader.GetUserString(MetadataTokens.UserStringHandle(token & 0xFFFFFF));
                    if (Sentence.IsMatch(text))
                    {
                        yield return (type, text);
                    }
                }
            }
        }
    }

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => new(Regex.Matches(text, @"\{(\d+)(?:[:,][^}]*)?\}").Select(m => m.Groups[1].Value));
}
