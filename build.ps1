#requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and demonstrates the IdCardVerify module.
.DESCRIPTION
    A small switchboard over a few tasks:
      Build  compiles the cmdlet assembly and lays out a loadable module in out/IdCardVerify
      Package  Build, then out/repo/IdCardVerify.<version>.nupkg, made by PSResourceGet publishing to a local
             folder repository (as the Gallery would receive it)
      Test   Package, then the xUnit suite, then the Pester suite in a child pwsh against out/IdCardVerify;
             ends with one "N passed, N failed, N skipped" line for both suites; exits non-zero on any failure
      Demo   Build, then pipes samples/hr-export.csv (a GB18030 Chinese HR export) through Invoke-IdCardVerification -Sandbox,
             prints a table and writes out/demo/verified.csv; then a folder of scans on disk (out/demo/scans), checked,
             shrunk and staged in the sandbox's simulated store, into out/demo/scans-review.html
      Bench  Build, then the benchmarks in bench/ against the loopback emulator (writes bench/results.json)
      Clean  removes out/ and the projects' bin/ and obj/
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Bench', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'IdCardVerify'
$pwshExe = Join-Path $PSHOME 'pwsh'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no VersionPrefix.' }
    return $version.Trim()
}

function Get-ReleaseNotes([string] $Version) {
    # CHANGELOG.md (Keep a Changelog): the section of this version, up to the next release's heading.
    $changelog = Get-Content -Raw (Join-Path $root 'CHANGELOG.md')
    $match = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($Version))\][^\r\n]*\r?\n(.*?)(?=^## \[|^\[[^\]]+\]: |\z)")
    if (-not $match.Success) { throw "CHANGELOG.md has no section for $Version (## [$Version] - date): add one before building the release." }
    "IdCardVerify $Version`n" + $match.Groups[1].Value.Trim()
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Invoke-Native 'dotnet build (module)' { dotnet build (Join-Path $root 'src/IdCardVerify/IdCardVerify.csproj') -c $Configuration --nologo -v quiet -p:Version=$version }
    $bin = Join-Path $root "src/IdCardVerify/bin/$Configuration/netstandard2.0"

    Invoke-Help

    # An explicit list: a missing file fails the build instead of shipping a broken module.
    # Dependencies go to dependencies/, behind the module's own resolver (src/IdCardVerify/Loading).
    $helpOut = Join-Path $out 'help'
    $files = @(
        @{ From = Join-Path $bin 'IdCardVerify.dll'; To = '' }
        # The Simplified Chinese texts (issue 33): a satellite assembly beside the module's, in zh-CN/.
        @{ From = Join-Path $bin 'zh-CN/IdCardVerify.resources.dll'; To = 'zh-CN' }
        @{ From = Join-Path $root 'IdCardVerify.Format.ps1xml'; To = '' }
        @{ From = Join-Path $root 'LICENSE'; To = '' }
        # OpenCC's character table is embedded in the assembly (names in traditional characters): its licence ships beside it.
        @{ From = Join-Path $root 'third-party/opencc-data/LICENSE'; To = 'third-party/opencc-data' }
        @{ From = Join-Path $root 'third-party/opencc-data/README.md'; To = 'third-party/opencc-data' }
        @{ From = Join-Path $helpOut 'IdCardVerify.dll-Help.xml'; To = 'en-US' }
        @{ From = Join-Path $helpOut 'about_IdCardVerify.help.txt'; To = 'en-US' }
        @{ From = Join-Path $helpOut 'about_IdCardVerify_Sandbox.help.txt'; To = 'en-US' }
        @{ From = Join-Path $helpOut 'zh-CN/IdCardVerify.dll-Help.xml'; To = 'zh-CN' }
        @{ From = Join-Path $helpOut 'zh-CN/about_IdCardVerify.help.txt'; To = 'zh-CN' }
        @{ From = Join-Path $helpOut 'zh-CN/about_IdCardVerify_Sandbox.help.txt'; To = 'zh-CN' }
        @{ From = Join-Path $bin 'System.Text.Json.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'System.Text.Encodings.Web.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'Microsoft.Bcl.AsyncInterfaces.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'System.Buffers.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'System.Memory.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'System.Numerics.Vectors.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'System.Runtime.CompilerServices.Unsafe.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'System.Threading.Tasks.Extensions.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'SkiaSharp.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'MiniExcel.dll'; To = 'dependencies' }
        @{ From = Join-Path $bin 'Microsoft.Bcl.TimeProvider.dll'; To = 'dependencies' }
    )
    # SkiaSharp's native library for the platforms PowerShell 7 and 5.1 run on (Windows' without its 80 MB .pdb).
    # A library's build output has no runtimes/ folder: they come from the restored packages, at the version the project names.
    $skia = ([xml](Get-Content -Raw (Join-Path $root 'src/IdCardVerify/IdCardVerify.csproj'))).SelectSingleNode("//PackageReference[@Include='SkiaSharp']")
    $packages = Get-NuGetPackageRoot
    foreach ($rid in 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'osx', 'win-x64', 'win-arm64', 'win-x86') {
        $package = if ($rid -like 'win-*') { 'skiasharp.nativeassets.win32' } elseif ($rid -eq 'osx') { 'skiasharp.nativeassets.macos' } else { 'skiasharp.nativeassets.linux.nodependencies' }
        $name = if ($rid -like 'win-*') { 'libSkiaSharp.dll' } elseif ($rid -eq 'osx') { 'libSkiaSharp.dylib' } else { 'libSkiaSharp.so' }
        $files += @{ From = Join-Path $packages "$package/$($skia.GetAttribute('Version'))/runtimes/$rid/native/$name"; To = "dependencies/runtimes/$rid/native" }
    }
    # Tmds.LibC (a file's type and owner on Linux) is built per architecture: each build ships under runtimes/<rid>/lib,
    # where the module initializer looks for it; elsewhere the checks fail closed (NativeStat).
    $libc = ([xml](Get-Content -Raw (Join-Path $root 'src/IdCardVerify/IdCardVerify.csproj'))).SelectSingleNode("//PackageReference[@Include='Tmds.LibC']")
    foreach ($rid in 'linux-x64', 'linux-arm64', 'linux-arm') {
        $files += @{ From = Join-Path $packages "tmds.libc/$($libc.GetAttribute('Version'))/runtimes/$rid/lib/netstandard2.0/Tmds.LibC.dll"; To = "dependencies/runtimes/$rid/lib" }
    }
    $missing = $files | Where-Object { -not (Test-Path -LiteralPath $_.From) }
    if ($missing) { throw "Build output is missing: $(($missing | ForEach-Object From) -join ', ')" }

    if (Test-Path $moduleOut) { Remove-Item -Recurse -Force $moduleOut }
    New-Item -ItemType Directory -Force $moduleOut | Out-Null
    foreach ($file in $files) {
        $target = Join-Path $moduleOut $file.To
        New-Item -ItemType Directory -Force $target | Out-Null
        Copy-Item -LiteralPath $file.From -Destination $target
    }

    # Stamp the one version number into the manifest, and the release notes of that version from CHANGELOG.md.
    $manifest = Get-Content -Raw (Join-Path $root 'IdCardVerify.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    $notes = (Get-ReleaseNotes $version) -replace "'", "''"
    $manifest = $manifest -replace "ReleaseNotes\s*=\s*'(?:[^']|'')*'", "ReleaseNotes = '$($notes -replace '\$', '$$$$')'"
    Set-Content -LiteralPath (Join-Path $moduleOut 'IdCardVerify.psd1') -Value $manifest -Encoding utf8NoBOM

    Write-Host "Built IdCardVerify $version into $moduleOut"
}

function Invoke-Help {
    # Help sources are platyPS markdown in en-US/ and zh-CN/ (issue 33: the same commands, the prose in Chinese).
    # platyPS builds the MAML when the machine has it; otherwise the project's own converter
    # (build/HelpConverter.psm1) does, from the same files. English goes to out/help, Chinese to out/help/zh-CN.
    $helpOut = Join-Path $out 'help'
    if (Test-Path $helpOut) { Remove-Item -Recurse -Force $helpOut }
    foreach ($culture in 'en-US', 'zh-CN') {
        $target = if ($culture -eq 'en-US') { $helpOut } else { Join-Path $helpOut $culture }
        New-Item -ItemType Directory -Force $target | Out-Null
        $source = Join-Path $root $culture
        if (Get-Module -ListAvailable -Name platyPS) {
            Import-Module platyPS
            $null = New-ExternalHelp -Path $source -OutputPath $target -Force
        }
        else {
            Import-Module (Join-Path $root 'build/HelpConverter.psm1') -Force
            Convert-PlatyPSMarkdownToMaml -SourcePath $source -OutputPath $target
        }
    }

    Write-Host ('Help built with ' + $(if (Get-Module -ListAvailable -Name platyPS) { 'platyPS.' } else { 'build/HelpConverter.psm1 (platyPS is not installed here).' }))
}

function Invoke-Package {
    Invoke-Build
    $repo = Join-Path $out 'repo'
    if (Test-Path $repo) { Remove-Item -Recurse -Force $repo }
    New-Item -ItemType Directory -Force $repo | Out-Null
    $name = 'IdCardVerifyBuild-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $name -Uri $repo -Trusted
    try {
        Publish-PSResource -Path $moduleOut -Repository $name
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    $package = Get-ChildItem $repo -Filter 'IdCardVerify.*.nupkg'
    if (-not $package) { throw "Publishing made no package in $repo." }
    Write-Host "Packaged $($package.Name) into $repo"
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Test {
    Invoke-Package
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    New-Item -ItemType Directory -Force $results | Out-Null

    # xUnit. Its exit code is judged after Pester has run too, so one summary covers both.
    $testProject = Join-Path $root 'tests/IdCardVerify.Tests/IdCardVerify.Tests.csproj'
    Invoke-Native 'dotnet build (tests)' { dotnet build $testProject -c $Configuration --nologo -v quiet }
    dotnet test $testProject -c $Configuration --no-build --nologo --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $xunit = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $trx = Join-Path $results 'xunit.trx'
    if (Test-Path $trx) {
        $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $xunit = @{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error; Skipped = [int]$counters.notExecuted }
    }
    elseif ($xunitExit -ne 0) { $xunit.Failed = 1 }

    # Pester, in a child pwsh against the built module (a fresh process, as a user would run it).
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 was not restored to $pester (it comes with the test project's restore)." }
    $summary = Join-Path $results 'pester.json'
    & $pwshExe -NoProfile -NonInteractive -File (Join-Path $root 'tests/Invoke-PesterSuite.ps1') -PesterPath $pester -ModulePath (Join-Path $moduleOut 'IdCardVerify.psd1') -PackageRepository (Join-Path $out 'repo') -SummaryPath $summary -Configuration $Configuration
    $pesterCounts = @{ Passed = 0; Failed = 1; Skipped = 0 }
    if (Test-Path $summary) { $pesterCounts = Get-Content -Raw $summary | ConvertFrom-Json -AsHashtable }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host "xUnit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped. Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed, $($pesterCounts.Skipped) skipped."
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $xunitExit -ne 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $demoOut = Join-Path $out 'demo'
    New-Item -ItemType Directory -Force $demoOut | Out-Null
    $csv = Join-Path $demoOut 'verified.csv'
    # Scans on disk for the local-files part: card scans, a phone photo over the API's limit, a turned photo, and the
    # files that must be refused (made by the test server's generator, so no binary sits in the repository).
    Invoke-Native 'dotnet build (emulator)' { dotnet build (Join-Path $root 'tests/IdCardVerify.TestServer/IdCardVerify.TestServer.csproj') -c $Configuration --nologo -v quiet }
    $scans = Join-Path $demoOut 'scans'
    if (Test-Path $scans) { Remove-Item -Recurse -Force $scans }
    Invoke-Native 'make demo scans' { dotnet (Join-Path $root "tests/IdCardVerify.TestServer/bin/$Configuration/net10.0/IdCardVerify.TestServer.dll") --make-images $scans }
    # A child pwsh, so the freshly built assembly is never locked into this build process.
    & $pwshExe -NoProfile -NonInteractive -File (Join-Path $root 'samples/Invoke-Demo.ps1') -ModulePath (Join-Path $moduleOut 'IdCardVerify.psd1') -InputCsv (Join-Path $root 'samples/hr-export.csv') -OutputCsv $csv -ScansFolder $scans
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Bench {
    Invoke-Build
    Invoke-Native 'dotnet build (emulator)' { dotnet build (Join-Path $root 'tests/IdCardVerify.TestServer/IdCardVerify.TestServer.csproj') -c $Configuration --nologo -v quiet }
    & $pwshExe -NoProfile -NonInteractive -File (Join-Path $root 'bench/Run-Benchmarks.ps1') -ModulePath (Join-Path $moduleOut 'IdCardVerify.psd1') -EmulatorPath (Join-Path $root "tests/IdCardVerify.TestServer/bin/$Configuration/net10.0/IdCardVerify.TestServer.dll")
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed (exit code $LASTEXITCODE)." }
}

function Invoke-Clean {
    foreach ($path in @($out) + (Get-ChildItem -Path (Join-Path $root 'src'), (Join-Path $root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        if ($path -and (Test-Path $path)) { Remove-Item -Recurse -Force $path }
    }
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-Build }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
