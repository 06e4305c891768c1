#requires -Version 7.2
<#
.SYNOPSIS
    Issue 30's figures: calls paid twice after a stop, then a rerun with the journal.
.DESCRIPTION
    300 rows at 1 s latency against the loopback emulator, with -CheckpointPath, stopped once the API has received 100
    requests, three ways: the first
    Ctrl+C in a real terminal (tmux; the graceful stop), PowerShell.Stop() (what Stop-Job and a host's stop do), and
    kill -9. Each is followed by a rerun with the same journal and the same rows. Reports, for each: the requests the
    first run made, the results it returned (where it returns any), what the rerun announced as sent but never answered,
    and the calls paid twice (inputs the emulator was sent in both runs). Needs the built module (build.ps1 Build) and
    the emulator (tests/IdCardVerify.TestServer, built by build.ps1 Test).
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet build tests/IdCardVerify.TestServer -c Release; dotnet pwsh ./bench/Stopping.ps1
#>
param([int] $Rows = 300, [int] $LatencyMs = 1000, [int] $StopAfterCalls = 100)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$module = Join-Path $root 'out/IdCardVerify/IdCardVerify.psd1'
$env:IDCARDVERIFY_TEST_EMULATOR = Join-Path $root 'tests/IdCardVerify.TestServer/bin/Release/net10.0/IdCardVerify.TestServer.dll'
Import-Module (Join-Path $root 'tests/TestHelpers.psm1') -Force
Import-Module $module -Force
$work = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-stop-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $work
$env:XDG_CONFIG_HOME = Join-Path $work 'config'
$emu = Start-Emulator
$urls = 1..$Rows | ForEach-Object { "https://cards.test/b$_.jpg" }
$pwsh = Join-Path $PSHOME 'pwsh'

function Wait-Calls { $deadline = [DateTime]::UtcNow.AddSeconds(60); while ((Get-EmulatorCalls $emu) -lt $StopAfterCalls -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 } }
function Set-Latency([int] $Ms) { $null = Invoke-RestMethod ([uri]::new($emu.Base, "/__emulator/faults?clear=1&latencyMs=$Ms")) }
function Get-Sent { $u = Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/urls')); @($u.PSObject.Properties.Name) }

function Measure-Rerun([string] $Journal, [string[]] $SentFirst) {
    Reset-Emulator $emu
    Set-Latency 0
    $null = $urls | Invoke-IdCardVerification -Endpoint $emu.Endpoint -Token $emu.Token -CheckpointPath $Journal -WarningVariable w -WarningAction SilentlyContinue
    $announced = [int]([regex]::Match(($w -join ' '), '(\d+) input\(s\) were sent by an earlier run').Groups[1].Value)
    $twice = @(Get-Sent | Where-Object { $_ -in $SentFirst }).Count
    [pscustomobject]@{ Announced = $announced; PaidTwice = $twice }
}

$report = [ordered]@{}
try {
    # 1. The first Ctrl+C, in a real terminal.
    if (Get-Command tmux -ErrorAction SilentlyContinue) {
        Reset-Emulator $emu; Set-Latency $LatencyMs
        $journal = Join-Path $work 'ctrlc.jsonl'
        $setup = Join-Path $work 'setup.ps1'
        Set-Content $setup -Encoding utf8NoBOM -Value "`$env:XDG_CONFIG_HOME = '$($env:XDG_CONFIG_HOME)'; Import-Module '$module'; function prompt { 'PS-READY> ' }"
        $session = 'idcvbench' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        & tmux new-session -d -s $session -x 200 -y 50 "$pwsh -NoProfile -NoExit -File '$setup'"
        Start-Sleep -Seconds 4
        $line = "`$r = 1..$Rows | ForEach-Object { `"https://cards.test/b`$_.jpg`" } | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -CheckpointPath '$journal'; `"COUNT=`$(@(`$r).Count)`""
        & tmux send-keys -t $session -l $line; & tmux send-keys -t $session Enter
        Wait-Calls
        & tmux send-keys -t $session C-c
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do { Start-Sleep -Milliseconds 200; $pane = (& tmux capture-pane -p -J -S -200 -t $session) -join "`n" } until ($pane -match 'COUNT=(\d+)' -or [DateTime]::UtcNow -gt $deadline)
        & tmux kill-session -t $session
        $sent = Get-Sent
        $rerun = Measure-Rerun $journal $sent
        $report['Ctrl+C (graceful)'] = [pscustomobject]@{ Sent = $sent.Count; Results = [int]([regex]::Match($pane, 'COUNT=(\d+)').Groups[1].Value); Announced = $rerun.Announced; PaidTwice = $rerun.PaidTwice }
    }

    # 2. PowerShell.Stop(): the pipeline stops at once, the answers on the wire are journaled in the background.
    Reset-Emulator $emu; Set-Latency $LatencyMs
    $journal = Join-Path $work 'stop.jsonl'
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$module'; `$args[0] | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -CheckpointPath '$journal'").AddArgument($urls)
    $null = $ps.BeginInvoke()
    Wait-Calls
    $ps.Stop(); $ps.Dispose()
    $sent = Get-Sent
    $rerun = Measure-Rerun $journal $sent
    $report['PowerShell.Stop()'] = [pscustomobject]@{ Sent = $sent.Count; Results = $null; Announced = $rerun.Announced; PaidTwice = $rerun.PaidTwice }

    # 3. kill -9: what was in flight cannot be kept; the rerun says how many.
    Reset-Emulator $emu; Set-Latency $LatencyMs
    $journal = Join-Path $work 'kill.jsonl'
    $script = Join-Path $work 'kill.ps1'
    Set-Content $script -Encoding utf8NoBOM -Value "`$env:XDG_CONFIG_HOME = '$($env:XDG_CONFIG_HOME)'; Import-Module '$module'; 1..$Rows | ForEach-Object { `"https://cards.test/b`$_.jpg`" } | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -CheckpointPath '$journal' | Out-Null"
    $child = Start-Process $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -PassThru
    Wait-Calls
    & kill -9 $child.Id
    $null = $child.WaitForExit(10000)
    $sent = Get-Sent
    $rerun = Measure-Rerun $journal $sent
    $report['kill -9'] = [pscustomobject]@{ Sent = $sent.Count; Results = $null; Announced = $rerun.Announced; PaidTwice = $rerun.PaidTwice }
}
finally {
    Stop-Emulator $emu
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}

"$Rows rows at $LatencyMs ms latency, stopped once the API had $StopAfterCalls requests, then rerun with the same journal:"
$report.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Stop = $_.Key; Sent = $_.Value.Sent; Results = $_.Value.Results; Announced = $_.Value.Announced; PaidTwice = $_.Value.PaidTwice } } | Format-Table -AutoSize | Out-String -Width 200
