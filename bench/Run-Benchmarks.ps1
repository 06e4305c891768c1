<#
.SYNOPSIS
    Measures IdCardVerify against the loopback emulator, side by side with plain PowerShell loops.
.DESCRIPTION
    Run through build.ps1 (dotnet pwsh ./build.ps1 Bench), which builds the module and the emulator
    first. Each measurement runs in a fresh child pwsh against the same emulator. Prints a Markdown
    table and writes bench/results.json. Numbers depend on the machine: see bench/README.md.
.PARAMETER Only
    Run a subset: Throughput, RateLimit, ClientCost, Memory, Import.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [string[]] $Only = @('Throughput', 'RateLimit', 'ClientCost', 'Memory', 'Import', 'Resume', 'Report', 'Sandbox', 'Outage'),
    [int] $MemoryRows = 100000,
    [int] $ResumeRows = 200000,
    [int] $ReportRows = 100000
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$EmulatorPath = (Resolve-Path -LiteralPath $EmulatorPath).Path
$env:IDCARDVERIFY_TEST_EMULATOR = $EmulatorPath
Import-Module (Join-Path $PSScriptRoot '../tests/TestHelpers.psm1') -Force
$pwsh = Join-Path $PSHOME 'pwsh'
$results = [ordered]@{ machine = "$([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion)"; when = (Get-Date).ToString('u') }

function Invoke-Child([string] $Script) {
    # Runs a script in a fresh pwsh; the script's last output line must be JSON.
    $file = Join-Path ([IO.Path]::GetTempPath()) ("idcv-bench-" + [guid]::NewGuid() + '.ps1')
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8NoBOM
    try {
        $out = & $pwsh -NoProfile -NonInteractive -File $file
        if ($LASTEXITCODE -ne 0) { throw "Benchmark child failed: $($out -join "`n")" }
        ($out | Select-Object -Last 1) | ConvertFrom-Json
    }
    finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
}

function Set-Faults($Emulator, [string] $Query) {
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
        # The module at its default client limit (50/s) and at the API's own limit (60/s).
        $moduleRuns = @{}
        foreach ($rps in 50, 60) {
            Set-Faults $emu 'latencyMs=20&rateLimit=60&retryAfter=1'
            $run = Invoke-Child @"
$common
Import-Module '$ModulePath'
`$w = [Diagnostics.Stopwatch]::StartNew()
`$ok = @(1..$rows | ForEach-Object { "https://bench.test/r`$_.jpg" } | Invoke-IdCardVerification -Endpoint `$endpoint -Token `$token -ThrottleLimit 16 -RequestsPerSecond $rps -ErrorAction SilentlyContinue).Count
@{ ok = `$ok; seconds = `$w.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
            $moduleRuns[$rps] = @{ Run = $run; Counters = Get-Counters $emu }
        }
        $module = $moduleRuns[50].Run; $moduleCounters = $moduleRuns[50].Counters
        $module60 = $moduleRuns[60].Run; $module60Counters = $moduleRuns[60].Counters
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
            moduleRequestsPerSecond    = 50
            moduleCompleted            = $module.ok
            moduleRowsPerSecond        = [math]::Round($module.ok / $module.seconds, 1)
            module429s                 = $moduleCounters.throttled
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
        Write-Host '5. Cold Import-Module time in fresh processes ...'
        $runs = 10
        $bare = @(); $withImport = @()
        for ($k = 0; $k -lt $runs; $k++) {
            $w = [Diagnostics.Stopwatch]::StartNew(); & $pwsh -NoProfile -NonInteractive -Command 'exit 0'; $bare += $w.Elapsed.TotalMilliseconds
            $w = [Diagnostics.Stopwatch]::StartNew(); & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; exit 0"; $withImport += $w.Elapsed.TotalMilliseconds
        }
        $inProcess = Invoke-Child @"
`$w = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModulePath'
@{ ms = `$w.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
"@
        $median = { param($xs) ($xs | Sort-Object)[[int][math]::Floor($xs.Count / 2)] }
        $results.import = [ordered]@{
            runs                  = $runs
            bareStartMedianMs     = [math]::Round((& $median $bare), 0)
            withImportMedianMs    = [math]::Round((& $median $withImport), 0)
            importCostMedianMs    = [math]::Round((& $median $withImport) - (& $median $bare), 0)
            importInProcessMs     = [math]::Round($inProcess.ms, 0)
        }
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
}
finally {
    Stop-Emulator $emu
}

$json = $results | ConvertTo-Json -Depth 5
Set-Content -LiteralPath (Join-Path $PSScriptRoot 'results.json') -Value $json -Encoding utf8NoBOM
$json
