using System.Text.RegularExpressions;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>
/// The house stays readable: no source file over 300 lines, and no type over about 400 split across partial files to
/// hide it (a type that grows is split into types).
/// </summary>
public sealed class SizeTests
{
    private static readonly string Source = Path.Combine(Repository.Root(), "src", "IdCardVerify");

    [Fact]
    public void No_source_file_is_over_300_lines()
    {
        var files = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).ToList();
        Assert.True(files.Count > 50, "The scan found the sources.");
        var long_ = files.Select(f => (File: Path.GetRelativePath(Source, f), Lines: File.ReadLines(f).Count())).Where(f => f.Lines > 300).ToList();
        Assert.True(long_.Count == 0, "Files over 300 lines:\n" + string.Join("\n", long_.Select(f => $"{f.File}: {f.Lines}")));
    }

    [Fact]
    public void No_type_over_about_400_lines_hides_in_partial_files()
    {
        var parts = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Select(f => (File: f, Match: Regex.Match(File.ReadAllText(f), @"partial class (\w+)")))
            .Where(p => p.Match.Success)
            .GroupBy(p => p.Match.Groups[1].Value)
            .Select(g => (Type: g.Key, Lines: g.Sum(p => File.ReadLines(p.File).Count())))
            .Where(t => t.Lines > 400)
            .ToList();
        Assert.True(parts.Count == 0, "Types over 400 lines in partial files (split them into types):\n" + string.Join("\n", parts.Select(t => $"{t.Type}: {t.Lines}")));
    }
}
