<#
.SYNOPSIS
    The field scenarios F1, F2 (both 429 behaviours), F3, F5 and F6 over ten seeds of the emulator's fault dice, each
    reported as its median and range (issue 34). F7 runs its own ten noise sequences (Run-Benchmarks.ps1 -FieldScenario F7).
.DESCRIPTION
    Runs Run-Benchmarks.ps1 -Only Field -ModuleOnly once per seed (about 6.5 minutes a seed on a 2-core machine), keeps
    each seed's results in bench/field-seeds/<seed>.json, and prints one table row per figure. F2 has no dice (no jitter,
    no noise): its ten runs show the machine's own spread.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh bench/Run-FieldSeeds.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/IdCardVerify/IdCardVerify.psd1'),
    [string] $EmulatorPath = (Join-Path $PSScriptRoot '../tests/IdCardVerify.TestServer/bin/Release/net10.0/IdCardVerify.TestServer.dll'),
    [int[]] $Seeds = 1..10,
    [string[]] $FieldScenario = @('F1', 'F2', 'F3', 'F5', 'F6'),
    # Where each seed's results go (Run-Ablation.ps1 -Seeds keeps a configuration's in bench/ablation/<name>-seeds).
    [string] $Folder = (Join-Path $PSScriptRoot 'field-seeds'),
    # Only print the table from the results already kept.
    [switch] $TableOnly
)

$ErrorActionPreference = 'Stop'
$folder = $Folder
$null = New-Item -ItemType Directory -Force -Path $folder
if (-not $TableOnly) {
    foreach ($seed in $Seeds) {
        Write-Host "== seed $seed ..."
        $null = & (Join-Path $PSScriptRoot 'Run-Benchmarks.ps1') -ModulePath $ModulePath -EmulatorPath $EmulatorPath -Only Field -FieldScenario $FieldScenario `
            -ModuleOnly -Seed $seed -ResultsPath (Join-Path $folder "$seed.json")
    }
}

$runs = @(foreach ($seed in $Seeds) {
    $file = Join-Path $folder "$seed.json"
    if (Test-Path -LiteralPath $file) { (Get-Content -Raw -LiteralPath $file | ConvertFrom-Json).field }
})
$figures = [ordered]@{
    'F1 1 s +-30%, 60/s: rows/s (target >= 54)'               = { $_.latency1s.moduleRowsPerSecond }
    'F1: 429 share, % (target <= 1)'                          = { 100 * $_.latency1s.module429Share }
    'F2 300 ms, 20/s, a 429 at once: rows/s (target >= 18)'   = { $_.smallerPlan.moduleRowsPerSecond }
    'F2, a 429 at once: 429 share, % (target <= 2)'           = { 100 * $_.smallerPlan.module429Share }
    'F2, a 429 after the latency: rows/s (target >= 18)'      = { $_.smallerPlanSlow429.moduleRowsPerSecond }
    'F2, a 429 after the latency: 429 share, % (target <= 2)' = { 100 * $_.smallerPlanSlow429.module429Share }
    'F3 two processes: together rows/s (target >= 54)'        = { $_.twoProcesses.togetherRowsPerSecond }
    'F3: the slower over the faster (fair within 10%)'        = { [math]::Min($_.twoProcesses.firstRowsPerSecond, $_.twoProcesses.secondRowsPerSecond) / [math]::Max($_.twoProcesses.firstRowsPerSecond, $_.twoProcesses.secondRowsPerSecond) }
    'F5 latency 200 ms -> 1.5 s: s back to 54/s (target <= 10)' = { $_.latencyStep.backTo54AfterSeconds }
    'F6 a second run joins: the slower over the faster while shared' = { [math]::Min($_.join.firstSharedRowsPerSecond, $_.join.secondSharedRowsPerSecond) / [math]::Max($_.join.firstSharedRowsPerSecond, $_.join.secondSharedRowsPerSecond) }
}
"| Figure, over seeds $($Seeds[0])-$($Seeds[-1]) ($($runs.Count) runs) | median | range |"
'|---|---|---|'
foreach ($name in $figures.Keys) {
    $values = @($runs | ForEach-Object $figures[$name] | Where-Object { $null -ne $_ } | Sort-Object)
    if (-not $values.Count) { continue }
    $median = ($values[[int][math]::Floor(($values.Count - 1) / 2)] + $values[[int][math]::Ceiling(($values.Count - 1) / 2)]) / 2
    '| {0} | {1:0.###} | {2:0.###} to {3:0.###} |' -f $name, $median, $values[0], $values[-1]
}
