<#
.SYNOPSIS
    Measures IdCardVerify against the loopback emulator, side by side with plain PowerShell loops.
.DESCRIPTION
    Run through build.ps1 (dotnet pwsh ./build.ps1 Bench), which builds the module and the emulator
    first. Each measurement runs in a fresh child pwsh against the same emulator. Prints a Markdown
    table and writes bench/results.json. Numbers depend on the machine: see bench/README.md.
.PARAMETER Only
    Run a subset: Throughput, RateLimit, ClientCost, Memory, Import, Resume, Report, Field, Sandbox, Outage, Hostile, LocalFiles.
    A subset updates its own entries in bench/results.json and keeps the others.
.PARAMETER FieldScenario
    Which of the Field section's scenarios to run (F1-F7; all by default), to rerun one in a minute or two.
.PARAMETER ModuleOnly
    Field: skip the ForEach-Object -Parallel side of F1, F2 and F4 (bench/Run-Ablation.ps1 compares builds of the module).
.PARAMETER ChildTimeoutSeconds
    Give up on a child run after this long (0: never) and record it as timedOut with no rows: an ablated build whose
    rate collapses would otherwise take hours.
.PARAMETER ResultsPath
    Where the JSON goes (bench/results.json by default).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [string[]] $Only = @('Throughput', 'RateLimit', 'ClientCost', 'Memory', 'Import', 'Resume', 'Report', 'Field', 'Sandbox', 'Outage', 'Hostile', 'LocalFiles'),
    [int] $MemoryRows = 100000,
    [int] $ResumeRows = 200000,
    [int] $ReportRows = 100000,
    [ValidateSet('F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7')] [string[]] $FieldScenario = @('F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7'),
    [switch] $ModuleOnly,
    [int] $ChildTimeoutSeconds = 0,
    [string] $ResultsPath = (Join-Path $PSScriptRoot 'results.json'),
    # The emulator's fault dice (latency jitter, noise) take this seed in every field scenario but F7, which runs seeds
    # 1-10 itself; bench/Run-FieldSeeds.ps1 runs the others over ten (issue 34).
    [int] $Seed = 0
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$EmulatorPath = (Resolve-Path -LiteralPath $EmulatorPath).Path
$env:IDCARDVERIFY_TEST_EMULATOR = $EmulatorPath
Import-Module (Join-Path $PSScriptRoot '../tests/TestHelpers.psm1') -Force
$pwsh = Join-Path $PSHOME 'pwsh'
$results = [ordered]@{ machine = "$([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion)"; when = (Get-Date).ToString('u') }

function Start-Child([string] $Script) {
    # Runs a script in a fresh pwsh, in a thread job so that two children can run at once; Receive-Child
    # gets the JSON of its last output line.
    $file = Join-Path ([IO.Path]::GetTempPath()) ("idcv-bench-" + [guid]::NewGuid() + '.ps1')
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8NoBOM
    $job = Start-ThreadJob -ScriptBlock {
        param($pwsh, $file)
        try { $out = & $pwsh -NoProfile -NonInteractive -File $file; @{ Code = $LASTEXITCODE; Out = $out } }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    } -ArgumentList $pwsh, $file
    $job | Add-Member -NotePropertyName ScriptFile -NotePropertyValue $file -PassThru
}

function Receive-Child($Job) {
    if ($ChildTimeoutSeconds -gt 0 -and -not ($Job | Wait-Job -Timeout $ChildTimeoutSeconds)) {
        # Too slow to finish: end the child process itself (stopping the thread job would leave it running).
        Get-Process | Where-Object { $_.CommandLine -like "*$($Job.ScriptFile)*" } | Stop-Process -Force
        $null = $Job | Wait-Job -Timeout 10
        $Job | Remove-Job -Force
        Write-Host "  (a child run took over $ChildTimeoutSeconds s and was ended: recorded as timedOut)"
        return [pscustomobject]@{ ok = 0; seconds = $ChildTimeoutSeconds; timedOut = $true; errors = 0; rowsBack = 0; failedRows = 0; inOrder = $false; times = @() }
    }
    $r = $Job | Wait-Job | Receive-Job
    $Job | Remove-Job
    if ($r.Code -ne 0) { throw "Benchmark child failed: $($r.Out -join "`n")" }
    ($r.Out | Select-Object -Last 1) | ConvertFrom-Json
}

# One child, waited for.
function Invoke-Child([string] $Script) { Receive-Child (Start-Child $Script) }

function Set-Faults($Emulator, [string] $Query) {
    if ($Seed -and $Query -notmatch '(^|&)seed=') { $Query += "&seed=$Seed" }
    $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Emulator.Base, "/__emulator/faults?clear=1&$Query"))
    Reset-Emulator $Emulator
}

function Get-Counters($Emulator) { Invoke-RestMethod ([uri]::new($Emulator.Base, '/__emulator/calls')) }

$emu = Start-Emulator -Token 'bench-token'
$common = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
`$endpoint = '$($emu.Endpoint)'
`$token = 'bench-token'
`$headers = @{ authorization = "Bearer `$token"; accept = 'application/json' }
function New-Body([string] `$url) { @{ image_url = `$url } | ConvertTo-Json -Compress }
"@

try {
    if ('Throughput' -in $Only) {
        Write-Host '1. Throughput at 100 ms latency, ThrottleLimit 16 ...'
        Set-Faults $emu 'latencyMs=100'
        $module = Invoke-Child @"
$common
Import-Module '$ModulePath'
`$urls = 1..1000 | ForEach-Object { "https://bench.test/t`$_.jpg" }
`$null = Invoke-IdCardVerification -ImageUrl `$urls[0..15] -Endpoint `$endpoint -Token `$token -ThrottleLimit 16 -RequestsPerSecond 0
`$w = [Diagnostics.Stopwatch]::StartNew()
`$n = @(`$urls | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token -ThrottleLimit 16 -RequestsPerSecond 0).Count
@{ rows = `$n; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
        $parallel = Invoke-Child @"
$common
`$urls = 1..1000 | ForEach-Object { "https://bench.test/t`$_.jpg" }
`$w = [Diagnostics.Stopwatch]::StartNew()
`$n = @(`$urls | ForEach-Object -Parallel {
    Invoke-RestMethod -Method Post -Uri `$using:endpoint -Headers `$using:headers -ContentType 'application/json' -Body (@{ image_url = `$_ } | ConvertTo-Json -Compress)
} -ThrottleLimit 16).Count
@{ rows = `$n; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
        $sequential = Invoke-Child @"
$common
`$w = [Diagnostics.Stopwatch]::StartNew()
`$n = 0
foreach (`$i in 1..300) { `$null = Invoke-RestMethod -Method Post -Uri `$endpoint -Headers `$headers -ContentType 'application/json' -Body (New-Body "https://bench.test/s`$i.jpg"); `$n++ }
@{ rows = `$n; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
        $results.throughput = [ordered]@{
            idealPerSecond            = 160
            modulePerSecond           = [math]::Round($module.rows / $module.seconds, 1)
            moduleRows                = $module.rows
            foreachParallelPerSecond  = [math]::Round($parallel.rows / $parallel.seconds, 1)
            foreachParallelRows       = $parallel.rows
            plainForeachPerSecond     = [math]::Round($sequential.rows / $sequential.seconds, 1)
            plainForeachRows          = $sequential.rows
        }
        $results.throughput.moduleShareOfIdeal = [math]::Round($results.throughput.modulePerSecond / 160, 3)
    }

    if ('RateLimit' -in $Only) {
        Write-Host '2. Under a 60/s rate limit that answers 429 with Retry-After ...'
        $rows = 600
        # The module with its defaults (the controller, ceiling 60/s) and with the 0.1 settings (-ThrottleLimit 16).
        $moduleRuns = @{}
        foreach ($way in 'defaults', 'tl16') {
            Set-Faults $emu 'latencyMs=20&rateLimit=60&retryAfter=1'
            $extra = if ($way -eq 'tl16') { '-ThrottleLimit 16 -RequestsPerSecond 60' } else { '' }
            $run = Invoke-Child @"
$common
Import-Module '$ModulePath'
`$w = [Diagnostics.Stopwatch]::StartNew()
`$ok = @(1..$rows | ForEach-Object { "https://bench.test/r`$_.jpg" } | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token $extra -ErrorAction SilentlyContinue).Count
@{ ok = `$ok; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
            $moduleRuns[$way] = @{ Run = $run; Counters = Get-Counters $emu }
        }
        $module = $moduleRuns['defaults'].Run; $moduleCounters = $moduleRuns['defaults'].Counters
        $module60 = $moduleRuns['tl16'].Run; $module60Counters = $moduleRuns['tl16'].Counters
        Set-Faults $emu 'latencyMs=20&rateLimit=60&retryAfter=1'
        $parallel = Invoke-Child @"
$common
`$w = [Diagnostics.Stopwatch]::StartNew()
`$ok = @(1..$rows | ForEach-Object -Parallel {
    try {
        Invoke-RestMethod -Method Post -Uri `$using:endpoint -Headers `$using:headers -ContentType 'application/json' -Body (@{ image_url = "https://bench.test/r`$_.jpg" } | ConvertTo-Json -Compress) -MaximumRetryCount 5 -RetryIntervalSec 1
    } catch { }
} -ThrottleLimit 16).Count
@{ ok = `$ok; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
        $parallelCounters = Get-Counters $emu
        $results.rateLimit = [ordered]@{
            rows                       = $rows
            moduleSettings             = 'defaults'
            moduleCompleted            = $module.ok
            moduleRowsPerSecond        = [math]::Round($module.ok / $module.seconds, 1)
            module429s                 = $moduleCounters.throttled
            moduleAt60Settings         = '-ThrottleLimit 16 -RequestsPerSecond 60'
            moduleAt60Completed        = $module60.ok
            moduleAt60RowsPerSecond    = [math]::Round($module60.ok / $module60.seconds, 1)
            moduleAt60429s             = $module60Counters.throttled
            foreachParallelCompleted   = $parallel.ok
            foreachParallelRowsPerSecond = [math]::Round($parallel.ok / $parallel.seconds, 1)
            foreachParallel429s        = $parallelCounters.throttled
        }
    }

    if ('ClientCost' -in $Only) {
        Write-Host '3. Client cost at zero latency: calls per CPU-second, cold and after warm-up ...'
        Set-Faults $emu ''
        # Both sides are measured twice in one fresh process: cold (the first round, JIT included) and
        # warm: rounds repeat until a round compiles fewer than 200 methods (.NET's tiered JIT recompiles
        # the hot paths of PowerShell and the module some thousands of calls in, costing a second of CPU),
        # then one more round is measured. Each side defines Invoke-Round (one round, returning the calls made).
        $coldThenWarm = @'
function Measure-Calls {
    $me.Refresh(); $cpu = $me.TotalProcessorTime
    $n = Invoke-Round
    $me.Refresh(); $n / ($me.TotalProcessorTime - $cpu).TotalSeconds
}
$cold = Measure-Calls
for ($round = 0; $round -lt 8; $round++) {
    $jitted = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $null = Measure-Calls
    if ([System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jitted -lt 200) { break }
}
$warm = Measure-Calls
@{ cold = $cold; warm = $warm; warmupRounds = $round + 1 } | ConvertTo-Json -Compress
'@
        $module = Invoke-Child @"
$common
Import-Module '$ModulePath'
`$urls = 1..10000 | ForEach-Object { "https://bench.test/c`$_.jpg" }
function Invoke-Round { @(`$urls | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token -ThrottleLimit 4 -RequestsPerSecond 0).Count }
`$me = [Diagnostics.Process]::GetCurrentProcess()
$coldThenWarm
"@
        $irm = Invoke-Child @"
$common
function Invoke-Round {
    `$n = 0
    foreach (`$i in 1..1500) { `$null = Invoke-RestMethod -Method Post -Uri `$endpoint -Headers `$headers -ContentType 'application/json' -Body (New-Body "https://bench.test/c`$i.jpg"); `$n++ }
    `$n
}
`$me = [Diagnostics.Process]::GetCurrentProcess()
$coldThenWarm
"@
        $results.clientCost = [ordered]@{
            moduleColdCallsPerCpuSecond           = [math]::Round($module.cold, 0)
            invokeRestMethodColdCallsPerCpuSecond = [math]::Round($irm.cold, 0)
            coldRatio                             = [math]::Round($module.cold / $irm.cold, 1)
            moduleWarmCallsPerCpuSecond           = [math]::Round($module.warm, 0)
            invokeRestMethodWarmCallsPerCpuSecond = [math]::Round($irm.warm, 0)
            warmRatio                             = [math]::Round($module.warm / $irm.warm, 1)
            moduleWarmupRounds                    = $module.warmupRounds
            invokeRestMethodWarmupRounds          = $irm.warmupRounds
        }
    }

    if ('Memory' -in $Only) {
        Write-Host "4. Memory of a $MemoryRows-row streaming run piped to Export-Csv ..."
        Set-Faults $emu ''
        $csv = Join-Path ([IO.Path]::GetTempPath()) 'idcv-bench-memory.csv'
        $memory = Invoke-Child @"
$common
Import-Module '$ModulePath'
`$samples = [Collections.Generic.List[object]]::new()
`$i = 0
`$me = [Diagnostics.Process]::GetCurrentProcess()
`$w = [Diagnostics.Stopwatch]::StartNew()
1..$MemoryRows | ForEach-Object { [pscustomobject]@{ Id = `$_; image_url = "https://bench.test/m`$_.jpg" } } |
    Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token -ThrottleLimit 16 -RequestsPerSecond 0 |
    ForEach-Object {
        if (++`$i % 10000 -eq 0) {
            `$me.Refresh()
            `$samples.Add(@{ rows = `$i; managedMB = [math]::Round([GC]::GetTotalMemory(`$true) / 1MB, 1); workingSetMB = [math]::Round(`$me.WorkingSet64 / 1MB, 1) })
        }
        `$_
    } | Export-Csv -LiteralPath '$csv' -NoTypeInformation
@{ rows = `$i; seconds = `$w.Elapsed.TotalSeconds; samples = `$samples } | ConvertTo-Json -Compress -Depth 4
"@
        Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue
        $first = $memory.samples[0]; $last = $memory.samples[-1]
        $results.memory = [ordered]@{
            rows                  = $memory.rows
            rowsPerSecond         = [math]::Round($memory.rows / $memory.seconds, 0)
            managedMBAt10k        = $first.managedMB
            managedMBAtEnd        = $last.managedMB
            workingSetMBAt10k     = $first.workingSetMB
            workingSetMBAtEnd     = $last.workingSetMB
            managedGrowthMB       = [math]::Round($last.managedMB - $first.managedMB, 1)
            samples               = $memory.samples
        }
    }

    if ('Import' -in $Only) {
        Write-Host '5. Cold Import-Module: interleaved whole processes, on two builds of the same pwsh ...'
        # Each round starts, one after another: a bare pwsh (-Command $null), one that imports a reference
        # module (a manifest and an empty .psm1: what any Gallery module pays at least), and one that imports
        # IdCardVerify; 21 rounds, interleaved so that a busy moment hits every side alike; a figure is the
        # median of the per-round differences with the bare start of the same round.
        # pwsh keeps a multicore-JIT startup profile (StartupProfileData-NonInteractive) in its cache folder and
        # replays it at the next start: when two sides share one, each start replays the other's and the
        # difference swings by 100 ms either way. So each side has its own cache folder, as a scheduled
        # runbook that runs the same command every time has.
        # Two builds of the same pwsh: the one running this (the `PowerShell` dotnet tool: IL only, every
        # method compiled by the JIT at its first call) and a copy with its assemblies precompiled
        # (ReadyToRun), as PowerShell's installers ship them (New-PrecompiledPwsh.ps1 says more).
        $runs = 21
        $scratch = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-import-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $scratch
        try {
            $reference = Join-Path $scratch 'Reference'
            $null = New-Item -ItemType Directory -Path $reference
            Set-Content -LiteralPath (Join-Path $reference 'Reference.psm1') -Value ''
            Set-Content -LiteralPath (Join-Path $reference 'Reference.psd1') -Value "@{ ModuleVersion = '1.0.0'; RootModule = 'Reference.psm1'; GUID = '$([guid]::NewGuid())'; FunctionsToExport = @() }"
            $builds = [ordered]@{
                toolPackage = $pwsh
                precompiled = & (Join-Path $PSScriptRoot 'New-PrecompiledPwsh.ps1') -Destination (Join-Path $scratch 'pwsh-r2r')
            }
            $sides = [ordered]@{
                bare      = '$null'
                reference = "Import-Module '$(Join-Path $reference 'Reference.psd1')'"
                module    = "Import-Module '$ModulePath'"
            }
            $start = {
                param($exe, $cache, $command)
                $before = $env:XDG_CACHE_HOME
                $env:XDG_CACHE_HOME = $cache
                try {
                    $w = [Diagnostics.Stopwatch]::StartNew()
                    & $exe -NoProfile -NonInteractive -Command $command
                    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command `"$command`" failed." }
                    $w.Elapsed.TotalMilliseconds
                }
                finally { $env:XDG_CACHE_HOME = $before }
            }
            $median = { param($xs) ($xs | Sort-Object)[[int][math]::Floor($xs.Count / 2)] }
            $range = { param($xs) '{0:0} to {1:0}' -f ($xs | Measure-Object -Minimum).Minimum, ($xs | Measure-Object -Maximum).Maximum }
            $results.import = [ordered]@{ rounds = $runs }
            foreach ($build in $builds.Keys) {
                $exe = $builds[$build]
                $caches = @{}
                foreach ($side in $sides.Keys) {
                    $caches[$side] = Join-Path $scratch "cache-$build-$side"
                    $null = New-Item -ItemType Directory -Path $caches[$side]
                    # One start of each to fill the disk cache and write the side's startup profile.
                    $null = & $start $exe $caches[$side] $sides[$side]
                }
                $times = @{}; $sides.Keys | ForEach-Object { $times[$_] = [Collections.Generic.List[double]]::new() }
                $referenceCost = @(); $moduleCost = @(); $overReference = @()
                for ($k = 0; $k -lt $runs; $k++) {
                    foreach ($side in $sides.Keys) { $times[$side].Add((& $start $exe $caches[$side] $sides[$side])) }
                    $referenceCost += $times.reference[$k] - $times.bare[$k]
                    $moduleCost += $times.module[$k] - $times.bare[$k]
                    $overReference += $times.module[$k] - $times.reference[$k]
                }
                $results.import[$build] = [ordered]@{
                    bareStartMedianMs         = [math]::Round((& $median $times.bare), 0)
                    withImportMedianMs        = [math]::Round((& $median $times.module), 0)
                    importCostMedianMs        = [math]::Round((& $median $moduleCost), 0)
                    importCostRangeMs         = & $range $moduleCost
                    referenceModuleCostMedianMs = [math]::Round((& $median $referenceCost), 0)
                    referenceModuleCostRangeMs  = & $range $referenceCost
                    overReferenceMedianMs     = [math]::Round((& $median $overReference), 0)
                }
            }
        }
        finally { Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue }
    }

    if ('Resume' -in $Only) {
        Write-Host "6. Memory of resuming a $ResumeRows-row run from its checkpoint journal ..."
        $journal = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-resume-' + [guid]::NewGuid().ToString('N') + '.jsonl')
        # One script for both runs: the first writes the journal (in the sandbox, so it takes seconds, not
        # hours), the second reads every row back from it. Each samples every 20,000 rows.
        $resumeRun = @"
Import-Module '$ModulePath'
`$samples = [Collections.Generic.List[object]]::new()
`$i = 0; `$resumed = 0
`$me = [Diagnostics.Process]::GetCurrentProcess()
`$w = [Diagnostics.Stopwatch]::StartNew()
1..$ResumeRows | ForEach-Object { "https://bench.test/r`$_.jpg" } |
    Invoke-IdCardVerification -Sandbox -ThrottleLimit 16 -RequestsPerSecond 0 -CheckpointPath '$journal' |
    ForEach-Object {
        if (`$_.FromCheckpoint) { `$resumed++ }
        if (++`$i % 20000 -eq 0) {
            `$me.Refresh()
            `$samples.Add(@{ rows = `$i; managedMB = [math]::Round([GC]::GetTotalMemory(`$true) / 1MB, 1); workingSetMB = [math]::Round(`$me.WorkingSet64 / 1MB, 1) })
        }
    }
`$me.Refresh()
@{ rows = `$i; resumed = `$resumed; seconds = `$w.Elapsed.TotalSeconds; peakWorkingSetMB = [math]::Round(`$me.PeakWorkingSet64 / 1MB, 1); samples = `$samples } | ConvertTo-Json -Compress -Depth 4
"@
        try {
            $write = Invoke-Child $resumeRun
            $journalMB = [math]::Round((Get-Item -LiteralPath $journal).Length / 1MB, 1)
            $resume = Invoke-Child $resumeRun
        }
        finally { Remove-Item -LiteralPath $journal -ErrorAction SilentlyContinue }
        $results.resume = [ordered]@{
            rows                     = $resume.rows
            journalMB                = $journalMB
            resumedFromJournal       = $resume.resumed
            resumeRowsPerSecond      = [math]::Round($resume.rows / $resume.seconds, 0)
            resumeManagedMBAtFirst   = $resume.samples[0].managedMB
            resumeManagedMBAtEnd     = $resume.samples[-1].managedMB
            resumeWorkingSetMBAtEnd  = $resume.samples[-1].workingSetMB
            resumePeakWorkingSetMB   = $resume.peakWorkingSetMB
            writingRunPeakWorkingSetMB = $write.peakWorkingSetMB
            writingRunWorkingSetMBAtEnd = $write.samples[-1].workingSetMB
            resumeSamples            = $resume.samples
        }
    }

    if ('Report' -in $Only) {
        Write-Host "7. Memory of a $ReportRows-row run piped to Export-IdCardVerificationReport ..."
        $page = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-report-' + [guid]::NewGuid().ToString('N') + '.html')
        # Every tenth row needs a person (a no-match), so the page has cards up to -MaxCards and a long list of matches.
        $report = Invoke-Child @"
Import-Module '$ModulePath'
`$samples = [Collections.Generic.List[object]]::new()
`$i = 0
`$me = [Diagnostics.Process]::GetCurrentProcess()
`$w = [Diagnostics.Stopwatch]::StartNew()
`$file = 1..$ReportRows | ForEach-Object { if (`$_ % 10 -eq 0) { "https://bench.test/nomatch+x`$_.jpg" } else { "https://bench.test/m`$_.jpg" } } |
    Invoke-IdCardVerification -Sandbox -ThrottleLimit 16 -RequestsPerSecond 0 |
    ForEach-Object {
        if (++`$i % 10000 -eq 0) {
            `$me.Refresh()
            `$samples.Add(@{ rows = `$i; managedMB = [math]::Round([GC]::GetTotalMemory(`$true) / 1MB, 1); workingSetMB = [math]::Round(`$me.WorkingSet64 / 1MB, 1) })
        }
        `$_
    } | Export-IdCardVerificationReport -Path '$page'
`$me.Refresh()
@{ rows = `$i; seconds = `$w.Elapsed.TotalSeconds; pageMB = [math]::Round(`$file.Length / 1MB, 1); peakWorkingSetMB = [math]::Round(`$me.PeakWorkingSet64 / 1MB, 1); samples = `$samples } | ConvertTo-Json -Compress -Depth 4
"@
        Remove-Item -LiteralPath $page -ErrorAction SilentlyContinue
        $results.report = [ordered]@{
            rows                = $report.rows
            rowsPerSecond       = [math]::Round($report.rows / $report.seconds, 0)
            pageMB              = $report.pageMB
            managedMBAt10k      = $report.samples[0].managedMB
            managedMBAtEnd      = $report.samples[-1].managedMB
            workingSetMBAtEnd   = $report.samples[-1].workingSetMB
            peakWorkingSetMB    = $report.peakWorkingSetMB
            samples             = $report.samples
        }
    }

    if ('Field' -in $Only) {
        # Issue 11's scenarios: the module with its defaults (no -ThrottleLimit, no -RequestsPerSecond), side by
        # side with ForEach-Object -Parallel { Invoke-RestMethod -MaximumRetryCount } at the ThrottleLimit a user
        # would tune it to (rate limit x latency, Little's law). Each child records when each row came back.
        $moduleRun = {
            param([int] $Rows, [string] $Prefix)
            @"
$common
Import-Module '$ModulePath'
`$times = [Collections.Generic.List[double]]::new()
`$w = [Diagnostics.Stopwatch]::StartNew()
`$ok = 0; `$failed = 0; `$inOrder = `$true; `$i = 0
# -IncludeFailed: a row that ends in an error comes back in its place as a Verdict Error row (beside its error
# record), so "every row once, in order" is checked over all of them; ok counts the verified ones.
1..$Rows | ForEach-Object { "https://bench.test/$Prefix`$_.jpg" } | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token -IncludeFailed -ErrorVariable +errs -ErrorAction SilentlyContinue | ForEach-Object {
    `$i++; if (`$_.ImageUrl -ne "https://bench.test/$Prefix`$i.jpg") { `$inOrder = `$false }
    if (`$_.Verdict -eq 'Error') { `$failed++ } else { `$ok++ }
    `$times.Add([math]::Round(`$w.Elapsed.TotalSeconds, 3))
}
@{ ok = `$ok; rowsBack = `$i; failedRows = `$failed; errors = @(`$errs).Count; inOrder = `$inOrder -and `$i -eq $Rows; seconds = `$w.Elapsed.TotalSeconds; times = `$times } | ConvertTo-Json -Compress
"@
        }
        $parallelRun = {
            param([int] $Rows, [string] $Prefix, [int] $ThrottleLimit)
            @"
$common
`$w = [Diagnostics.Stopwatch]::StartNew()
`$ok = @(1..$Rows | ForEach-Object -Parallel {
    try {
        Invoke-RestMethod -Method Post -Uri `$using:endpoint -Headers `$using:headers -ContentType 'application/json' -Body (@{ image_url = "https://bench.test/$Prefix`$_.jpg" } | ConvertTo-Json -Compress) -MaximumRetryCount 5 -RetryIntervalSec 1
    } catch { }
} -ThrottleLimit $ThrottleLimit).Count
@{ ok = `$ok; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
        }
        $share = { param($counters) if ($counters.calls) { [math]::Round($counters.throttled / $counters.calls, 4) } else { 0 } }
        $field = [ordered]@{}

        # One scenario: the module with its defaults, then the -Parallel loop, under the same faults.
        $sideBySide = {
            param([string] $Faults, [int] $Rows, [string] $Prefix, [int] $ThrottleLimit, [string] $Target)
            Set-Faults $emu $Faults
            $m = Invoke-Child (& $moduleRun $Rows $Prefix); $mc = Get-Counters $emu
            $p = @{ ok = 0; seconds = 1 }; $pc = @{}
            if (-not $ModuleOnly) {
                Set-Faults $emu $Faults
                $p = Invoke-Child (& $parallelRun $Rows $Prefix $ThrottleLimit); $pc = Get-Counters $emu
            }
            [ordered]@{ rows = $Rows; target = $Target
                moduleRowsPerSecond = [math]::Round($m.ok / $m.seconds, 1); moduleOk = $m.ok; moduleErrors = $m.errors; module429Share = (& $share $mc)
                parallelThrottleLimit = $ThrottleLimit; parallelRowsPerSecond = [math]::Round($p.ok / $p.seconds, 1); parallelOk = $p.ok; parallel429Share = (& $share $pc) }
        }

        if ('F1' -in $FieldScenario) {
        Write-Host 'F1. 1 s latency (+-30%), sliding-window 60/s limit, 3,000 rows ...'
        $field.latency1s = & $sideBySide 'latencyMs=1000&jitter=0.3&rateLimit=60&slidingWindow=1' 3000 'f1-' 60 '>= 54 rows/s, <= 1% 429'
        }

        if ('F2' -in $FieldScenario) {
        Write-Host 'F2. 300 ms latency, 20/s limit, 1,000 rows ...'
        $field.smallerPlan = & $sideBySide 'latencyMs=300&rateLimit=20&slidingWindow=1' 1000 'f2-' 6 '>= 18 rows/s, <= 2% 429'
        Write-Host 'F2, a 429 answered after the latency (a server that throttles behind its work) ...'
        $field.smallerPlanSlow429 = & $sideBySide 'latencyMs=300&rateLimit=20&slidingWindow=1&slowThrottle=1' 1000 'f2s-' 6 '>= 18 rows/s, <= 2% 429'
        }

        if ('F3' -in $FieldScenario) {
        Write-Host 'F3. Two processes at once on one token, 300 ms (+-30%), 60/s limit, 2,000 rows each ...'
        $faults = 'latencyMs=300&jitter=0.3&rateLimit=60&slidingWindow=1'
        Set-Faults $emu $faults
        $pair = foreach ($k in 1, 2) { Start-Child (& $moduleRun 2000 "f3-$k-") }
        $runs = foreach ($job in $pair) { Receive-Child $job }
        $mc = Get-Counters $emu
        $both = ($runs | ForEach-Object { $_.ok } | Measure-Object -Sum).Sum / ($runs | ForEach-Object { $_.seconds } | Measure-Object -Maximum).Maximum
        $field.twoProcesses = [ordered]@{ rowsEach = 2000; target = 'together >= 54 rows/s, each >= 20, no error'
            togetherRowsPerSecond = [math]::Round($both, 1)
            firstRowsPerSecond = [math]::Round($runs[0].ok / $runs[0].seconds, 1); secondRowsPerSecond = [math]::Round($runs[1].ok / $runs[1].seconds, 1)
            errors = ($runs | ForEach-Object { $_.errors } | Measure-Object -Sum).Sum; module429Share = (& $share $mc) }
        }

        if ('F4' -in $FieldScenario) {
        Write-Host 'F4. 10% random 429s, no limit, 100 ms, 2,000 rows: against the same run without the noise ...'
        Set-Faults $emu 'latencyMs=100'
        $clean = Invoke-Child (& $moduleRun 2000 'f4-')
        Set-Faults $emu 'latencyMs=100&throttleNoise=0.1'
        $m = Invoke-Child (& $moduleRun 2000 'f4-'); $mc = Get-Counters $emu
        $p = @{ ok = 0; seconds = 1 }
        if (-not $ModuleOnly) {
            Set-Faults $emu 'latencyMs=100&throttleNoise=0.1'
            $p = Invoke-Child (& $parallelRun 2000 'f4-' 6)
        }
        $field.noise = [ordered]@{ rows = 2000; target = '>= 50% of the clean run, every row once, in order'
            cleanRowsPerSecond = [math]::Round($clean.ok / $clean.seconds, 1)
            noisyRowsPerSecond = [math]::Round($m.ok / $m.seconds, 1)
            noisyShareOfClean = [math]::Round(($m.ok / $m.seconds) / ($clean.ok / $clean.seconds), 3)
            noisyOk = $m.ok; noisyErrors = $m.errors; rowsBack = $m.rowsBack; everyRowOnceInOrder = $m.inOrder; module429Share = (& $share $mc)
            parallelThrottleLimit = 6; parallelRowsPerSecond = [math]::Round($p.ok / $p.seconds, 1); parallelOk = $p.ok }
        }

        if ('F7' -in $FieldScenario) {
        # Issue 34: over ten noise sequences, not one: the emulator's dice take each seed in turn; each noisy run is
        # measured against a clean run just before it (the machine's pace drifts).
        Write-Host 'F7. The short noisy run: 600 rows, 100 ms, 10% random 429s, no limit, over ten noise sequences (seeds 1-10), each against a clean run ...'
        $shares = @(); $cleanRates = @(); $noisyRates = @(); $errors = @()
        foreach ($seed in 1..10) {
            Set-Faults $emu 'latencyMs=100'
            $clean = Invoke-Child (& $moduleRun 600 "f7c$seed-")
            Set-Faults $emu "latencyMs=100&throttleNoise=0.1&seed=$seed"
            $m = Invoke-Child (& $moduleRun 600 "f7n$seed-")
            $cleanRates += $clean.ok / $clean.seconds; $noisyRates += $m.ok / $m.seconds; $errors += $m.errors
            $shares += ($m.ok / $m.seconds) / ($clean.ok / $clean.seconds)
        }
        $sorted = @($shares | Sort-Object)
        $field.shortNoise = [ordered]@{ rows = 600; seeds = '1-10'; target = 'worst >= 50% of clean, median >= 75%, every row verified (issue 34)'
            medianShareOfClean = [math]::Round(($sorted[4] + $sorted[5]) / 2, 3); worstShareOfClean = [math]::Round($sorted[0], 3); bestShareOfClean = [math]::Round($sorted[-1], 3)
            noisyShareOfClean = @($shares | ForEach-Object { [math]::Round($_, 3) })
            cleanRowsPerSecond = @($cleanRates | ForEach-Object { [math]::Round($_, 1) })
            noisyRowsPerSecond = @($noisyRates | ForEach-Object { [math]::Round($_, 1) })
            rowsInError = @($errors) }
        }

        if ('F5' -in $FieldScenario) {
        Write-Host 'F5. Latency steps from 200 ms to 1.5 s, 10 s into a run, 60/s limit, 3,000 rows ...'
        Set-Faults $emu 'latencyMs=200&rateLimit=60&slidingWindow=1'
        $job = Start-Child (& $moduleRun 3000 'f5-')
        Start-Sleep -Seconds 10
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($emu.Base, '/__emulator/faults?latencyMs=1500'))
        $stepAt = 10
        $m = Receive-Child $job; $mc = Get-Counters $emu
        # The child's clock starts a little after the job (pwsh start, Import-Module): find the step from the
        # gap it leaves, the first completion after which rows arrive 1.5 s late; then the first 5-second
        # window after it at >= 54 rows/s.
        $times = [double[]]$m.times
        $windowRate = { param($from) @($times | Where-Object { $_ -ge $from -and $_ -lt $from + 5 }).Count / 5 }
        $before = & $windowRate 3
        $recovered = $null
        $childStep = ($times | Where-Object { $_ -ge 5 } | ForEach-Object -Begin { $prev = $null; $gap = $null } -Process { if ($prev -ne $null -and -not $gap -and $_ - $prev -gt 0.5) { $gap = $prev }; $prev = $_ } -End { $gap })
        if (-not $childStep) { $childStep = $stepAt }
        for ($t = $childStep; $t -lt $times[-1] - 5; $t += 0.5) { if ((& $windowRate $t) -ge 54) { $recovered = $t; break } }
        $field.latencyStep = [ordered]@{ rows = 3000; target = 'back to >= 54 rows/s within 30 s of the step'
            rowsPerSecondBefore = $before; stepAtSecond = [math]::Round($childStep, 1)
            backTo54AfterSeconds = if ($null -ne $recovered) { [math]::Round($recovered - $childStep + 5, 1) } else { $null }
            rowsPerSecondLast10s = @($times | Where-Object { $_ -ge $times[-1] - 10 }).Count / 10
            moduleOk = $m.ok; moduleErrors = $m.errors; module429Share = (& $share $mc) }
        }

        if ('F6' -in $FieldScenario) {
        # Not one of the issue's targets: F3's runs start together; here a colleague's run joins one at full speed.
        Write-Host 'F6. A second process joins 20 s into the first''s run, one token, 300 ms (+-30%), 60/s limit ...'
        Set-Faults $emu 'latencyMs=300&jitter=0.3&rateLimit=60&slidingWindow=1'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $first = Start-Child (& $moduleRun 3000 'f6-1-')
        Start-Sleep -Seconds 20
        $joinedAt = $clock.Elapsed.TotalSeconds
        $second = Start-Child (& $moduleRun 1000 'f6-2-')
        $a = Receive-Child $first; $b = Receive-Child $second; $mc = Get-Counters $emu
        # Rows per second in a window of a child's own clock (both children pay the same start, so the second's
        # clock is about $joinedAt behind the first's).
        $rate = { param($times, $from, $to) [math]::Round(@($times | Where-Object { $_ -ge $from -and $_ -lt $to }).Count / ($to - $from), 1) }
        $field.join = [ordered]@{ firstRows = 3000; secondRows = 1000; secondStartsAfterSeconds = [math]::Round($joinedAt, 1)
            firstAloneRowsPerSecond = & $rate ([double[]]$a.times) 10 20
            firstSharedRowsPerSecond = & $rate ([double[]]$a.times) ($joinedAt + 10) ($joinedAt + 25)
            secondSharedRowsPerSecond = & $rate ([double[]]$b.times) 10 25
            secondRowsPerSecond = [math]::Round($b.ok / $b.seconds, 1)
            firstAfterSecondEndedRowsPerSecond = & $rate ([double[]]$a.times) ($joinedAt + $b.seconds + 5) ($joinedAt + $b.seconds + 10)
            errors = $a.errors + $b.errors; module429Share = (& $share $mc) }
        }

        $results.field = $field
    }

    if ('Sandbox' -in $Only) {
        Write-Host '8. 10,000 sandbox rows with the defaults ...'
        $sandbox = Invoke-Child @"
Import-Module '$ModulePath'
`$w = [Diagnostics.Stopwatch]::StartNew()
`$n = @(1..10000 | ForEach-Object { "https://bench.test/s`$_.jpg" } | Invoke-IdCardVerification -Sandbox).Count
@{ rows = `$n; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
        $results.sandbox = [ordered]@{ rows = $sandbox.rows; seconds = [math]::Round($sandbox.seconds, 2) }
    }

    if ('Outage' -in $Only) {
        Write-Host '9. 10,000 rows against an endpoint that refuses every connection, defaults ...'
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $outage = Invoke-Child @"
Import-Module '$ModulePath'
`$w = [Diagnostics.Stopwatch]::StartNew()
`$r = 1..10000 | ForEach-Object { "https://bench.test/o`$_.jpg" } | Invoke-IdCardVerification -Endpoint 'http://127.0.0.1:$port/x' -Token 'bench-token-0123456789' -ErrorVariable errs -ErrorAction SilentlyContinue
`$last = "`$(`$errs[-1])"
`$left = if (`$last -match '(\d+) input\(s\) were left unverified') { [int]`$Matches[1] } else { -1 }
@{ seconds = `$w.Elapsed.TotalSeconds; errors = @(`$errs).Count; stoppedBy = `$errs[-1].FullyQualifiedErrorId; leftUnverified = `$left } | ConvertTo-Json -Compress
"@
        $results.outage = [ordered]@{ rows = 10000; seconds = [math]::Round($outage.seconds, 1); errorRecords = $outage.errors; stoppedBy = $outage.stoppedBy; leftUnverified = $outage.leftUnverified }
    }

    if ('LocalFiles' -in $Only) {
        # Issue 25: local files staged in an S3-compatible server (s3rver, from npm) that the emulator downloads each
        # image from, as the API does, against the same run with URLs. Then 10,000 files for memory.
        Write-Host '11. Local files: 2,000 scans staged in s3rver vs 2,000 URLs, 300 ms latency, 60/s limit; then 10,000 scans for memory ...'
        $s3 = Start-S3Server
        $folder = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-scans-' + [guid]::NewGuid().ToString('N'))
        try {
            New-TestImages -Path (Join-Path $folder 'fixtures')
            $card = [IO.File]::ReadAllBytes((Join-Path $folder 'fixtures/card.jpg'))
            $scans = Join-Path $folder 'scans'
            New-Item -ItemType Directory $scans | Out-Null
            # Each file its own bytes (a JPEG comment segment with its number, right after SOI), as real scans are.
            for ($i = 1; $i -le 10000; $i++) {
                $bytes = [byte[]]::new($card.Length + 12)
                $bytes[0] = 0xFF; $bytes[1] = 0xD8; $bytes[2] = 0xFF; $bytes[3] = 0xFE; $bytes[4] = 0; $bytes[5] = 10
                [BitConverter]::GetBytes([long]$i).CopyTo($bytes, 6)
                [Array]::Copy($card, 2, $bytes, 14, $card.Length - 2)
                [IO.File]::WriteAllBytes((Join-Path $scans ('scan{0:d5}.jpg' -f $i)), $bytes)
            }
            $staging = "-StagingUri 's3://scans/bench' -StagingEndpoint '$($s3.Endpoint)' -StagingCredential ([pscredential]::new('S3RVER', (ConvertTo-SecureString 'S3RVER' -AsPlainText -Force))) -WarningAction SilentlyContinue"
            $filesRun = { param([int] $Rows) @"
$common
Import-Module '$ModulePath'
`$files = Get-ChildItem '$scans' -File | Select-Object -First $Rows
`$w = [Diagnostics.Stopwatch]::StartNew()
`$ok = @(`$files | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token $staging -ErrorAction SilentlyContinue).Count
@{ ok = `$ok; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@ }
            $urlRun = { param([int] $Rows) @"
$common
Import-Module '$ModulePath'
`$w = [Diagnostics.Stopwatch]::StartNew()
`$ok = @(1..$Rows | ForEach-Object { "https://bench.test/lf`$_.jpg" } | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token -ErrorAction SilentlyContinue).Count
@{ ok = `$ok; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@ }
            $rates = @{ urls = @(); files = @() }
            foreach ($round in 1..2) {
                Set-Faults $emu 'latencyMs=300&rateLimit=60&slidingWindow=1'
                $u = Invoke-Child (& $urlRun 2000); $rates.urls += $u.ok / $u.seconds
                Set-Faults $emu 'latencyMs=300&rateLimit=60&slidingWindow=1'
                $f = Invoke-Child (& $filesRun 2000); $fetched = (Get-Counters $emu).imagesFetched
                $rates.files += $f.ok / $f.seconds
            }
            $left = @(Get-S3Keys $s3).Count

            # Memory over 10,000 files, no latency and no ceiling: the working set and the live managed heap (after a
            # full collection) every 1,000 rows; the same 10,000 rows as URLs beside it, for what the files add.
            $memoryRun = { param([string] $Source, [string] $Options) @"
$common
Import-Module '$ModulePath'
`$samples = [Collections.Generic.List[object]]::new()
`$p = [Diagnostics.Process]::GetCurrentProcess()
`$w = [Diagnostics.Stopwatch]::StartNew(); `$n = 0
$Source | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token -RequestsPerSecond 0 $Options -ErrorAction SilentlyContinue | ForEach-Object {
    `$n++
    if (`$n % 1000 -eq 0) { `$p.Refresh(); `$samples.Add(@{ rows = `$n; workingSetMB = [math]::Round(`$p.WorkingSet64 / 1MB, 1); managedMB = [math]::Round([GC]::GetTotalMemory(`$true) / 1MB, 1) }) }
}
@{ rows = `$n; seconds = `$w.Elapsed.TotalSeconds; samples = `$samples } | ConvertTo-Json -Compress -Depth 4
"@ }
            Set-Faults $emu ''
            $memory = Invoke-Child (& $memoryRun "Get-ChildItem '$scans' -File" $staging)
            # The same files as path strings: the module's own part (Get-ChildItem itself keeps about 2 KB a file
            # until it ends: measured alone below).
            Set-Faults $emu ''
            $pathMemory = Invoke-Child (& $memoryRun "[IO.Directory]::EnumerateFiles('$scans')" $staging)
            Set-Faults $emu ''
            $urlMemory = Invoke-Child (& $memoryRun "1..10000 | ForEach-Object { 'https://bench.test/m`$_.jpg' }" '')
            $listing = Invoke-Child @"
`$samples = [Collections.Generic.List[object]]::new(); `$n = 0
Get-ChildItem '$scans' -File | ForEach-Object { `$n++; if (`$n % 1000 -eq 0) { `$samples.Add(@{ rows = `$n; managedMB = [math]::Round([GC]::GetTotalMemory(`$true) / 1MB, 1) }) } }
@{ samples = `$samples } | ConvertTo-Json -Compress -Depth 4
"@
            $urlRate = ($rates.urls | Measure-Object -Average).Average
            $fileRate = ($rates.files | Measure-Object -Average).Average
            $results.localFiles = [ordered]@{ rows = 2000; target = 'files >= 90% of URLs; memory flat for 10,000 files'
                urlRowsPerSecond = @($rates.urls | ForEach-Object { [math]::Round($_, 1) })
                fileRowsPerSecond = @($rates.files | ForEach-Object { [math]::Round($_, 1) })
                filesShareOfUrls = [math]::Round($fileRate / $urlRate, 3)
                imagesDownloadedByTheApi = $fetched; objectsLeftInTheBucket = $left
                memoryRows = $memory.rows; memorySeconds = [math]::Round($memory.seconds, 1)
                workingSetMBAt = @($memory.samples | ForEach-Object { '{0}: {1}' -f $_.rows, $_.workingSetMB })
                managedMBAt = @($memory.samples | ForEach-Object { '{0}: {1}' -f $_.rows, $_.managedMB })
                pathsWorkingSetMBAt = @($pathMemory.samples | ForEach-Object { '{0}: {1}' -f $_.rows, $_.workingSetMB })
                pathsManagedMBAt = @($pathMemory.samples | ForEach-Object { '{0}: {1}' -f $_.rows, $_.managedMB })
                getChildItemAloneManagedMBAt = @($listing.samples | ForEach-Object { '{0}: {1}' -f $_.rows, $_.managedMB })
                urlsWorkingSetMBAt = @($urlMemory.samples | ForEach-Object { '{0}: {1}' -f $_.rows, $_.workingSetMB })
                urlsManagedMBAt = @($urlMemory.samples | ForEach-Object { '{0}: {1}' -f $_.rows, $_.managedMB }) }
        }
        finally {
            Stop-Store $s3
            Remove-Item -Recurse -Force -LiteralPath $folder -ErrorAction SilentlyContinue
        }
    }

    if ('Hostile' -in $Only) {
        Write-Host '10. Hostile input and files: a 200 MB URL, a peer board stuffed with 10,000 files, masking and a signed journal ...'
        $hostile = Invoke-Child @"
Import-Module '$ModulePath'
`$ProgressPreference = 'SilentlyContinue'
`$asm = (Get-Module IdCardVerify).ImplementingAssembly

# A 200 MB URL of digits, refused (release 0.2: 8.8 s, an ID-number search over all of it).
`$huge = 'https://h.test/' + ('1' * 200MB)
`$w = [Diagnostics.Stopwatch]::StartNew()
`$null = Invoke-IdCardVerification -ImageUrl `$huge -Sandbox -IncludeFailed -ErrorAction SilentlyContinue
`$refuse = `$w.Elapsed.TotalSeconds
`$huge = `$null; [GC]::Collect()

# One board tick's read in a folder stuffed with 10,000 run files, a FIFO and a sparse 5 GB file
# (release 0.2: every file read whole each tick, the FIFO hung the run, the sparse file ended it).
`$dir = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-board-' + [guid]::NewGuid().ToString('N'))
`$folder = Join-Path `$dir 'peers/budget'
`$flags = [Reflection.BindingFlags]'Instance, Public, NonPublic'
# The board's clock stands still at the files' time, so that however long writing them takes, they are fresh runs.
`$written = [DateTime]::UtcNow
`$clock = [Func[DateTime]] { `$written }.GetNewClosure()
`$board = [Activator]::CreateInstance(`$asm.GetType('IdCardVerify.Pacing.PeerBoard'), `$flags, `$null, @([string]`$folder, 'bench', `$clock, [string]`$dir), `$null)
`$state = [Activator]::CreateInstance(`$asm.GetType('IdCardVerify.Pacing.PeerState'), `$flags, `$null, @('bench', 10.0, 10.0, 60.0), `$null)
`$null = `$board.Write(`$state)
`$now = `$written.Ticks
foreach (`$i in 1..10000) { [IO.File]::WriteAllText((Join-Path `$folder "r`$i.peer"), "1 `$now 20 21 60") }
if (-not `$IsWindows) { & mkfifo (Join-Path `$folder 'fifo.peer'); & truncate -s 5G (Join-Path `$folder 'sparse.peer') }
`$w.Restart()
foreach (`$t in 1..20) { `$seen = `$board.Read().Count }
`$tickMs = `$w.Elapsed.TotalMilliseconds / 20
`$board.Dispose(); Remove-Item -LiteralPath `$dir -Recurse -Force

# 10,000 sandbox rows with three columns each: plain, then masked with a signed journal, three times, interleaved
# (the first round carries the JIT's warm-up).
`$rows = 1..10000 | ForEach-Object { [pscustomobject]@{ ImageUrl = "https://bench.test/m`$_.jpg?sig=x"; 姓名 = '张三'; 身份证号 = '11010519491231002X' } }
`$plain = @(); `$masked = @()
foreach (`$round in 1..3) {
    `$w.Restart(); `$null = `$rows | Invoke-IdCardVerification -Sandbox; `$plain += `$w.Elapsed.TotalSeconds
    `$journal = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-mask-' + [guid]::NewGuid().ToString('N') + '.jsonl')
    `$w.Restart(); `$null = `$rows | Invoke-IdCardVerification -Sandbox -MaskPersonalData -CheckpointPath `$journal; `$masked += `$w.Elapsed.TotalSeconds
    Remove-Item -LiteralPath `$journal
}
@{ refuseSeconds = `$refuse; boardTickMs = `$tickMs; boardFilesRead = `$seen; plain = `$plain; masked = `$masked } | ConvertTo-Json -Compress
"@
        $results.hostile = [ordered]@{
            refuse200MBUrlSeconds = [math]::Round($hostile.refuseSeconds, 2)
            boardTickMsWith10000Files = [math]::Round($hostile.boardTickMs, 1)
            boardRunsReadPerTick = $hostile.boardFilesRead
            sandbox10000PlainSeconds = @($hostile.plain | ForEach-Object { [math]::Round($_, 2) })
            sandbox10000MaskedAndJournaledSeconds = @($hostile.masked | ForEach-Object { [math]::Round($_, 2) })
        }
    }
}
finally {
    Stop-Emulator $emu
}

# A subset keeps the other entries of the last full run.
$resultsFile = $ResultsPath
if ((Test-Path -LiteralPath $resultsFile) -and $Only.Count -lt 12) {
    $previous = Get-Content -Raw -LiteralPath $resultsFile | ConvertFrom-Json -AsHashtable
    foreach ($key in $results.Keys) {
        # A subset of the field scenarios replaces only its own entries.
        if ($previous[$key] -is [System.Collections.IDictionary] -and $results[$key] -is [System.Collections.IDictionary]) {
            foreach ($inner in $results[$key].Keys) { $previous[$key][$inner] = $results[$key][$inner] }
        }
        else { $previous[$key] = $results[$key] }
    }
    $results = $previous
}

$json = $results | ConvertTo-Json -Depth 5
Set-Content -LiteralPath $resultsFile -Value $json -Encoding utf8NoBOM
$json
