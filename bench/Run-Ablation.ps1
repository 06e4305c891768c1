<#
.SYNOPSIS
    Measures what each pacing mechanism earns: the scenarios with the module as it is, then with one mechanism
    turned off at a time (issue 24, item 4; over ten sequences, issue 34).
.DESCRIPTION
    Each patch in bench/ablation/ turns one mechanism off in a copy of the sources (a git worktree of HEAD in the
    temp folder). -Simulated runs each copy's rate controller through bench/Simulation --seeds: every scenario over
    noise and jitter sequences 1-10 on a simulated clock, median and range (about a minute a configuration; the
    results go to bench/ablation/<name>.sim.md). Without it, each copy is built and run through Run-Benchmarks.ps1
    -Only Field -ModuleOnly against the emulator (results in bench/ablation/<name>.json; about 8 minutes a
    configuration for one run of each scenario).
.EXAMPLE
    dotnet pwsh bench/Run-Ablation.ps1 -Simulated
.EXAMPLE
    dotnet pwsh bench/Run-Ablation.ps1 -Configuration no-sizer-headroom -FieldScenario F1, F3, F5, F6 -Seeds (1..10)
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh bench/Run-Ablation.ps1 -Configuration baseline, no-slow-start -FieldScenario F2, F7
#>
param(
    [string[]] $Configuration = @('baseline') + @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'ablation') -Filter *.patch | ForEach-Object BaseName),
    # Each scenario over ten simulated sequences instead of the field (the sizer's headroom is not simulated).
    [switch] $Simulated,
    [ValidateSet('F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7')] [string[]] $FieldScenario = @('F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7'),
    # In the field, each scenario once for each of these seeds of the emulator's dice (Run-FieldSeeds.ps1; results in
    # bench/ablation/<name>-seeds/); the baseline over the same seeds is Run-FieldSeeds.ps1's own (bench/field-seeds/).
    [int[]] $Seeds,
    # A child run that takes longer is ended and recorded as timed out (0 rows/s): a collapsed rate, not a number.
    [int] $ChildTimeoutSeconds = 240
)

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
$emulator = Join-Path $root 'tests/IdCardVerify.TestServer/bin/Release/net10.0/IdCardVerify.TestServer.dll'
if (-not (Test-Path -LiteralPath $emulator)) { throw "Build first: dotnet pwsh ./build.ps1 Build (no emulator at $emulator)." }
$pwsh = Join-Path $PSHOME 'pwsh'

foreach ($name in $Configuration) {
    $copy = Join-Path ([IO.Path]::GetTempPath()) "idcv-ablation-$name"
    if (Test-Path -LiteralPath $copy) { git -C $root worktree remove --force $copy }
    git -C $root worktree add --detach --quiet $copy HEAD
    if ($LASTEXITCODE) { throw "git worktree add failed for $name" }
    try {
        if ($name -ne 'baseline') {
            git -C $copy apply (Join-Path $PSScriptRoot "ablation/$name.patch")
            if ($LASTEXITCODE) { throw "The patch $name no longer applies: bench/ablation/$name.patch" }
        }
        if ($Simulated -and $name -eq 'no-sizer-headroom') {
            Write-Host "== ${name}: skipped (the simulation does not model the engine's concurrency; use -Seeds in the field)"
            continue
        }
        if ($Simulated) {
            Write-Host "== ${name}: simulated, ten sequences ..."
            $out = & dotnet run -c Release --project (Join-Path $copy 'bench/Simulation') -- --seeds
            if ($LASTEXITCODE) { throw "The simulation of $name failed." }
            Set-Content -LiteralPath (Join-Path $PSScriptRoot "ablation/$name.sim.md") -Value $out -Encoding utf8NoBOM
            continue
        }
        Write-Host "== ${name}: building ..."
        & $pwsh -NoProfile -NonInteractive -Command "Set-Location '$copy'; ./build.ps1 Build" | Out-Null
        if ($LASTEXITCODE) { throw "The build of $name failed." }
        Write-Host "== ${name}: field scenarios $($FieldScenario -join ', ') ..."
        if ($Seeds) {
            & (Join-Path $PSScriptRoot 'Run-FieldSeeds.ps1') -ModulePath (Join-Path $copy 'out/IdCardVerify/IdCardVerify.psd1') -EmulatorPath $emulator `
                -Seeds $Seeds -FieldScenario $FieldScenario -Folder (Join-Path $PSScriptRoot "ablation/$name-seeds")
            continue
        }
        $null = & (Join-Path $PSScriptRoot 'Run-Benchmarks.ps1') -ModulePath (Join-Path $copy 'out/IdCardVerify/IdCardVerify.psd1') `
            -EmulatorPath $emulator -Only Field -FieldScenario $FieldScenario -ModuleOnly -ChildTimeoutSeconds $ChildTimeoutSeconds -ResultsPath (Join-Path $PSScriptRoot "ablation/$name.json")
    }
    finally {
        git -C $root worktree remove --force $copy
    }
}

if ($Simulated) {
    # The table: one row a scenario, one column a configuration (median (range) over the ten sequences; 429s beside).
    $all = [ordered]@{}
    foreach ($name in $Configuration) {
        $file = Join-Path $PSScriptRoot "ablation/$name.sim.md"
        if (Test-Path -LiteralPath $file) { $all[$name] = @(Get-Content -LiteralPath $file | Select-Object -Skip 2) }
    }
    "| scenario, 10 sequences | $($all.Keys -join ' | ') |"
    "|---|$(($all.Keys | ForEach-Object { '---' }) -join '|')|"
    $first = $all[0]
    for ($i = 0; $i -lt $first.Count; $i++) {
        $cells = foreach ($name in $all.Keys) { $c = $all[$name][$i].Trim('|').Split('|'); "$($c[1].Trim()); $($c[2].Trim())%" }
        "| $($first[$i].Trim('|').Split('|')[0].Trim()) | $($cells -join ' | ') |"
    }
    return
}

if ($Seeds) { return } # Run-FieldSeeds.ps1 printed each configuration's table.

# The table: one row a scenario, one column a configuration.
$rows = [ordered]@{
    'F1 1 s, 60/s limit (rows/s)'            = { $_.field.latency1s.moduleRowsPerSecond }
    'F2 300 ms, 20/s limit (rows/s)'         = { $_.field.smallerPlan.moduleRowsPerSecond }
    'F3 two processes, 60/s (rows/s)'        = { $_.field.twoProcesses.togetherRowsPerSecond }
    'F4 10% noise, 2,000 rows (of clean)'    = { $_.field.noise.noisyShareOfClean }
    'F5 latency step (s back to 54/s)'       = { $_.field.latencyStep.backTo54AfterSeconds }
    'F6 second joins (shared rows/s)'        = { $_.field.join.secondSharedRowsPerSecond + $_.field.join.firstSharedRowsPerSecond }
    'F7 10% noise, 600 rows (of clean, mean)' = { [math]::Round((@($_.field.shortNoise.noisyShareOfClean) | Measure-Object -Average).Average, 3) }
}
$all = [ordered]@{}
foreach ($name in $Configuration) {
    $file = Join-Path $PSScriptRoot "ablation/$name.json"
    if (Test-Path -LiteralPath $file) { $all[$name] = Get-Content -Raw -LiteralPath $file | ConvertFrom-Json }
}
"| scenario | $($all.Keys -join ' | ') |"
"|---|$(($all.Keys | ForEach-Object { '---' }) -join '|')|"
foreach ($row in $rows.Keys) {
    $cells = foreach ($name in $all.Keys) { $v = $all[$name] | ForEach-Object $rows[$row]; if ($null -eq $v) { '-' } else { $v } }
    "| $row | $($cells -join ' | ') |"
}
