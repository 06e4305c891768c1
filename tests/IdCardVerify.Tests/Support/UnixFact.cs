using Xunit;

namespace IdCardVerify.Tests;

/// <summary>A test of what only Linux and macOS have (modes, owners, FIFOs, links to devices): skipped, and said so, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Linux and macOS only: file modes, owners, FIFOs and devices.";
        }
    }
}

/// <summary>The theory form of <see cref="UnixFactAttribute"/>.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Linux and macOS only: file modes, owners, FIFOs and devices.";
        }
    }
}
