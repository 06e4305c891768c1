<#
.SYNOPSIS
    Runs the Pester suite against a built module; called by build.ps1 Test in a child pwsh.
.DESCRIPTION
    Writes {Passed, Failed, Skipped} as JSON to -SummaryPath so build.ps1 can print one summary
    line for xUnit and Pester together. Exits non-zero when any test fails.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $PackageRepository,
    [string] $Configuration = 'Release',
    # Some test files only, while working on them; the build's Test task runs them all.
    [string[]] $TestPath,
    # Only the tests with these tags: 'Desktop' is the part that also runs in Windows PowerShell 5.1.
    [string[]] $Tag
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The test files find the module and the emulator through these.
$env:IDCARDVERIFY_TEST_MODULE = (Resolve-Path $ModulePath).Path
$env:IDCARDVERIFY_TEST_EMULATOR = Join-Path $PSScriptRoot "IdCardVerify.TestServer/bin/$Configuration/net10.0/IdCardVerify.TestServer.dll"
if (-not (Test-Path $env:IDCARDVERIFY_TEST_EMULATOR)) { throw "The emulator is not built: $env:IDCARDVERIFY_TEST_EMULATOR" }
$env:IDCARDVERIFY_TEST_REPOSITORY = if ($PackageRepository) { (Resolve-Path $PackageRepository).Path } else { '' }
$env:IDCARDVERIFY_TEST_SAMPLES = Join-Path $PSScriptRoot '../samples'
# The CurrentUser store of whoever runs the tests must not leak into them (nor the tests into it).
$env:XDG_CONFIG_HOME = Join-Path ([IO.Path]::GetTempPath()) ('idcv-test-config-' + [guid]::NewGuid().ToString('N'))
# Nor its cache (the peer board of runs sharing a token lives there).
$env:XDG_CACHE_HOME = Join-Path ([IO.Path]::GetTempPath()) ('idcv-test-cache-' + [guid]::NewGuid().ToString('N'))
$env:ACEDATACLOUD_API_TOKEN = $null

$config = New-PesterConfiguration
$config.Run.Path = if ($TestPath) { $TestPath } else { $PSScriptRoot }
if ($Tag) { $config.Filter.Tag = $Tag }
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $config
if (-not $result) {
    # Pester itself failed (bad configuration, a crash): count it as a failure, never as a pass.
    [IO.File]::WriteAllText($SummaryPath, (@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json))
    exit 1
}

@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
} | ConvertTo-Json | ForEach-Object { [IO.File]::WriteAllText($SummaryPath, $_) }

exit ([int]($result.Result -ne 'Passed'))
