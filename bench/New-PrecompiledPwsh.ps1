<#
.SYNOPSIS
    Makes a copy of the running PowerShell whose assemblies are precompiled (ReadyToRun), as PowerShell's own
    installers ship them, and returns the path of its pwsh.
.DESCRIPTION
    PowerShell's release builds publish the runtime-specific packages (the MSI, the deb and rpm packages, the
    tar.gz and zip archives for one platform) with PublishReadyToRun: most of its code is compiled ahead of
    time. The framework-dependent packages, among them the `PowerShell` dotnet tool this repository runs, carry
    IL only, so every method PowerShell runs is compiled by the JIT at its first call: a start costs about
    twice as much, and so does the first Import-Module of anything.

    The cold-import benchmark measures both. This script restores crossgen2 (the .NET ReadyToRun compiler, from
    NuGet, at the version the SDK names) through Precompile/Precompile.csproj, copies $PSHOME to -Destination
    and compiles its managed assemblies there against the running .NET runtime. Assemblies crossgen2 cannot
    compile (Windows-only ones) are left as they are.
.PARAMETER Destination
    The folder to create; it must not exist.
#>
param([Parameter(Mandatory)] [string] $Destination)

$ErrorActionPreference = 'Stop'
if (Test-Path -LiteralPath $Destination) { throw "Destination '$Destination' exists; give a new folder." }

$project = Join-Path $PSScriptRoot 'Precompile/Precompile.csproj'
$restore = & dotnet restore $project -v q 2>&1
if ($LASTEXITCODE -ne 0) { throw "Restoring crossgen2 failed: $($restore -join "`n")" }
$tools = (& dotnet msbuild $project -nologo -v:m -t:ShowCrossgen | Select-Object -Last 1).Trim()
$crossgen = Join-Path $tools $(if ($IsWindows) { 'crossgen2.exe' } else { 'crossgen2' })
if (-not (Test-Path -LiteralPath $crossgen)) { throw "crossgen2 was not found at '$crossgen' after the restore." }

$runtime = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
$null = Copy-Item -LiteralPath $PSHOME -Destination $Destination -Recurse
$os = if ($IsWindows) { 'windows' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
$arch = [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
$work = Join-Path $Destination '.r2r'
$null = New-Item -ItemType Directory -Path $work
# The references go through a response file: pwsh on Unix would expand a '*.dll' argument itself.
$rsp = Join-Path $work 'references.rsp'
Set-Content -LiteralPath $rsp -Value @("-r:$(Join-Path $runtime '*.dll')", "-r:$(Join-Path $PSHOME '*.dll')", "--targetos:$os", "--targetarch:$arch", '-O')
$compiled = 0
foreach ($dll in Get-ChildItem -LiteralPath $PSHOME -Filter '*.dll') {
    $out = Join-Path $work $dll.Name
    $null = & $crossgen $dll.FullName "@$rsp" -o $out 2>&1
    if ($LASTEXITCODE -eq 0 -and (Test-Path -LiteralPath $out)) {
        Copy-Item -LiteralPath $out -Destination (Join-Path $Destination $dll.Name) -Force
        $compiled++
    }
    else {
        Write-Host "  not precompiled: $($dll.Name) (exit $LASTEXITCODE); the IL one is kept"
    }
}
Remove-Item -LiteralPath $work -Recurse -Force
Write-Host "  precompiled $compiled assemblies of $PSHOME into $Destination"
$exe = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
Join-Path $Destination $exe
