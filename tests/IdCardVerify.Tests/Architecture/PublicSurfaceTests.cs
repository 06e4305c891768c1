using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The types a script can name are a contract once the module is on the Gallery: one namespace, nothing public by accident.</summary>
public class PublicSurfaceTests
{
    private static readonly (string Namespace, string Name)[] Exported = ExportedTypes();

    [Fact]
    public void Every_public_type_is_in_the_IdCardVerify_namespace()
    {
        Assert.NotEmpty(Exported);
        Assert.All(Exported, t => Assert.Equal("IdCardVerify", t.Namespace));
    }

    [Fact]
    public void The_public_types_are_the_ones_users_type_and_no_others()
    {
        var expected = new[]
        {
            // What the cmdlets emit and take.
            "VerificationResult", "Verdict", "IdCardWarning", "IdCardVerifyApiException", "ApiFailureKind",
            "Configuration", "SimilarityDecision", "IdNumberReport", "ConfigKeyStyle", "ConfigScope", "TokenSource", "IdentityCheck",
            // Called from the format views.
            "PersonalData",
            // What PowerShell itself must see: the cmdlets, their completers, the module initializer.
            "InvokeIdCardVerificationCommand", "SetIdCardVerifyConfigCommand", "GetIdCardVerifyConfigCommand",
            "TestIdCardSimilarityCommand", "TestIdCardNumberCommand", "ExportIdCardVerificationReportCommand", "ImportIdCardSheetCommand", "ExportIdCardSheetCommand", "RunOptionsCmdlet", "EncodingNameCompleter", "ThresholdCompleter", "EndpointCompleter", "ModuleInitializer",
        };
        Assert.Equal(expected.OrderBy(n => n, StringComparer.Ordinal), Exported.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    /// <summary>
    /// The assembly's public types, read from its metadata: loading them would need System.Management.Automation,
    /// which only a PowerShell host provides.
    /// </summary>
    private static (string Namespace, string Name)[] ExportedTypes()
    {
        using var stream = File.OpenRead(typeof(VerificationResult).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.TypeDefinitions
            .Select(reader.GetTypeDefinition)
            .Where(t => (t.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public)
            .Select(t => (reader.GetString(t.Namespace), reader.GetString(t.Name)))
            .ToArray();
    }
}
