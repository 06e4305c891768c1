#requires -Modules Pester
# Issue 30: Ctrl+C keeps what was paid for. A real pwsh in a real terminal (tmux) for the first, graceful Ctrl+C and the
# second, hard one; PowerShell.Stop() and kill -9 for the other ways a run ends; counting and warnings that inform.

BeforeDiscovery {
    $script:hasTmux = -not $IsWindows -and [bool](Get-Command tmux -ErrorAction SilentlyContinue)
}

Describe 'Stopping' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api
        function script:Set-Faults([string] $Query) { $null = Invoke-RestMethod ([uri]::new($emu.Base, "/__emulator/faults?clear=1&$Query")) }
        function script:Get-Urls { $u = Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/urls')); @($u.PSObject.Properties | ForEach-Object { [pscustomobject]@{ Url = $_.Name; Count = [int]$_.Value } }) }
        $script:urls300 = 1..300 | ForEach-Object { "https://cards.test/c$_.jpg" }
    }

    AfterAll {
        Complete-TestFile $TestConfig
    }

    BeforeEach {
        Reset-Emulator $emu
        Set-Faults ''
    }

    Context 'In a real terminal (tmux)' -Skip:(-not $hasTmux) {
        BeforeAll {
            $script:setup = Join-Path $TestDrive 'setup.ps1'
            Set-Content -LiteralPath $setup -Encoding utf8NoBOM -Value @"
`$env:XDG_CONFIG_HOME = '$(Join-Path $TestDrive 'tmux-config')'
Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'
`$e = '$($emu.Endpoint)'; `$t = '$($emu.Token)'
`$urls = 1..300 | ForEach-Object { "https://cards.test/c`$_.jpg" }
function prompt { 'PS-READY> ' }
"@
            function script:Start-Terminal {
                $name = 'idcvstop' + [guid]::NewGuid().ToString('N').Substring(0, 8)
                & tmux new-session -d -s $name -x 200 -y 50 "$(Join-Path $PSHOME 'pwsh') -NoProfile -NoExit -File '$setup'"
                $script:session = $name
                Wait-Pane { (Get-Prompts) -ge 1 } 30 | Should -BeTrue
            }
            function script:Stop-Terminal { & tmux kill-session -t $session 2>$null }
            function script:Get-Pane { (& tmux capture-pane -p -J -S -200 -t $session) -join "`n" }
            function script:Get-Prompts { ([regex]::Matches((Get-Pane), '(?m)^PS-READY> ')).Count }
            function script:Send-Line([string] $Text) { & tmux send-keys -t $session -l $Text; & tmux send-keys -t $session Enter }
            function script:Send-CtrlC { & tmux send-keys -t $session C-c }
            function script:Wait-Pane([scriptblock] $Until, [double] $Seconds) {
                $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
                while ([DateTime]::UtcNow -lt $deadline) { if (& $Until) { return $true }; Start-Sleep -Milliseconds 50 }
                $false
            }
        }

        AfterEach { Stop-Terminal }

        It 'one Ctrl+C during 300 rows at 1 s latency: $r holds every answer the API gave, and one warning says what is left' {
            Set-Faults 'latencyMs=1000'
            Start-Terminal
            # 30 requests a second, so that a Ctrl+C after 3 s meets a run well under way.
            Send-Line '$r = $urls | Invoke-IdCardVerification -Endpoint $e -Token $t -RequestsPerSecond 30 -WarningVariable w; "COUNT=$(@($r).Count) LEFT=$(($w -join '' '') -replace ''.*?(\d+) input\(s\) were left unverified.*'', ''$1'')"'
            Start-Sleep -Seconds 3
            Send-CtrlC
            Wait-Pane { (Get-Pane) -match 'COUNT=\d+' } 60 | Should -BeTrue
            $pane = Get-Pane
            $pane | Should -Match 'Stopping: no new calls; waiting for \d+ answer\(s\) already paid for'
            $pane | Should -Match 'Stopped with Ctrl\+C'
            $count = [int]([regex]::Match($pane, 'COUNT=(\d+)').Groups[1].Value)
            $left = [int]([regex]::Match($pane, 'LEFT=(\d+)').Groups[1].Value)
            $calls = Get-EmulatorCalls $emu
            $count | Should -BeGreaterThan 0
            $count | Should -Be $calls -Because 'every request the API answered is in $r'
            ($count + $left) | Should -Be 300 -Because 'every input is either verified or counted as left'
        }

        It 'a second Ctrl+C returns the prompt within 2 s, and Ctrl+C at the prompt works afterwards' {
            Set-Faults 'latencyMs=1000'
            Start-Terminal
            $before = Get-Prompts
            Send-Line '$r = $urls | Invoke-IdCardVerification -Endpoint $e -Token $t -RequestsPerSecond 30'
            Start-Sleep -Seconds 2
            Send-CtrlC
            Wait-Pane { (Get-Pane) -match 'Press Ctrl\+C again' } 10 | Should -BeTrue
            $clock = [Diagnostics.Stopwatch]::StartNew()
            Send-CtrlC
            Wait-Pane { (Get-Prompts) -gt $before } 10 | Should -BeTrue
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2

            # The console is PowerShell's again: Ctrl+C stops a command at the prompt.
            $prompts = Get-Prompts
            Send-Line 'Start-Sleep 30; ''SLEPT-'' + ''FULL'''
            Start-Sleep -Milliseconds 1500
            Send-CtrlC
            Wait-Pane { (Get-Prompts) -gt $prompts } 5 | Should -BeTrue
            Send-Line '''BACK-'' + ''MARK'''
            Wait-Pane { (Get-Pane) -match 'BACK-MARK' } 10 | Should -BeTrue
            Get-Pane | Should -Not -Match 'SLEPT-FULL'
        }
    }

    Context 'Answers in flight are never thrown away' {
        It 'PowerShell.Stop() mid-run, then a rerun with the journal: no input is paid twice' {
            Set-Faults 'latencyMs=500'
            $journal = Join-Path $TestDrive 'stop.jsonl'
            $urls = 1..40 | ForEach-Object { "https://cards.test/p$_.jpg" }
            $ps = [powershell]::Create()
            $null = $ps.AddScript("`$env:XDG_CONFIG_HOME = '$($env:XDG_CONFIG_HOME)'; Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'; `$args[0] | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -ThrottleLimit 8 -CheckpointPath '$journal'").AddArgument($urls)
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-EmulatorCalls $emu) -lt 10 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
            $ps.Dispose()

            Set-Faults ''
            $rerun = $urls | Invoke-IdCardVerification @api -CheckpointPath $journal
            @($rerun).Count | Should -Be 40
            $paid = Get-Urls
            $paid.Count | Should -Be 40
            @($paid | Where-Object Count -gt 1).Count | Should -Be 0 -Because 'the answers in flight at the stop were journaled'
            @($rerun | Where-Object FromCheckpoint).Count | Should -BeGreaterOrEqual 10
        }

        It 'kill -9, then a rerun with the journal: it announces the inputs sent but never answered, and only those are sent twice' -Skip:$IsWindows {
            Set-Faults 'latencyMs=1000'
            $journal = Join-Path $TestDrive 'killed.jsonl'
            $script = Join-Path $TestDrive 'killed.ps1'
            Set-Content -LiteralPath $script -Encoding utf8NoBOM -Value @"
`$env:XDG_CONFIG_HOME = '$($env:XDG_CONFIG_HOME)'
Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'
1..300 | ForEach-Object { "https://cards.test/c`$_.jpg" } | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -CheckpointPath '$journal' | Out-Null
"@
            $child = Start-Process -FilePath (Join-Path $PSHOME 'pwsh') -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -PassThru
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-EmulatorCalls $emu) -lt 60 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            & kill -9 $child.Id
            $child.WaitForExit(10000) | Should -BeTrue
            $sentFirst = @(Get-Urls | ForEach-Object Url)
            $sentFirst.Count | Should -BeGreaterThan 0

            Reset-Emulator $emu
            Set-Faults ''
            $rerun = $urls300 | Invoke-IdCardVerification @api -CheckpointPath $journal -WarningVariable w -WarningAction SilentlyContinue -Verbose 4>&1
            $results = @($rerun | Where-Object { $_ -is [IdCardVerify.VerificationResult] })
            $results.Count | Should -Be 300
            $journaled = @($results | Where-Object FromCheckpoint | ForEach-Object ImageUrl)
            $unanswered = @($sentFirst | Where-Object { $_ -notin $journaled })
            $announced = [int]([regex]::Match(($w -join ' '), '(\d+) input\(s\) were sent by an earlier run').Groups[1].Value)
            $announced | Should -Be $unanswered.Count
            $sentAgain = @(Get-Urls | ForEach-Object Url | Where-Object { $_ -in $sentFirst })
            ($sentAgain | Sort-Object) | Should -Be ($unanswered | Sort-Object) -Because 'only the inputs without a journal line were paid twice'
            ($rerun | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'Sent before but never answered'
        }
    }

    Context 'Counting and warnings that inform' {
        It 'counts every input once in the summary, -IncludeFailed too' {
            $rows = @(1..7 | ForEach-Object { [pscustomobject]@{ Id = "U$_"; ImageUrl = "https://cards.test/u$_.jpg" } }) + @(1..3 | ForEach-Object { [pscustomobject]@{ Id = "F$_"; ImagePath = (Join-Path $TestDrive "missing-$_.jpg") } })
            $out = $rows | Invoke-IdCardVerification -Sandbox -IncludeFailed -Verbose -ErrorAction SilentlyContinue 4>&1
            @($out | Where-Object { $_ -is [IdCardVerify.VerificationResult] }).Count | Should -Be 10
            ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'Done: 7 verified \(0 from the checkpoint journal\), 3 failed'
        }

        It 'says how many inputs were left in the stop''s Exception.Message, as its displayed text does' {
            $urls = 'https://cards.test/a.jpg', 'https://cards.test/error-used_up.jpg', 'https://cards.test/c.jpg', 'https://cards.test/d.jpg', 'https://cards.test/e.jpg'
            $null = $urls | Invoke-IdCardVerification -Sandbox -ThrottleLimit 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $stop = $errs[-1]
            $stop.Exception.Message | Should -Match '3 input\(s\) were left unverified'
            $stop.ErrorDetails.Message | Should -Match '3 input\(s\) were left unverified'
        }

        It 'says once at the end how many rows need a person, not a warning a row; a single card still warns for itself' {
            $urls = 1..300 | ForEach-Object { if ($_ % 7 -eq 0 -and $_ -le 280) { "https://cards.test/r$_+idmismatch.jpg" } else { "https://cards.test/ok-$_.jpg" } }
            $r = $urls | Invoke-IdCardVerification -Sandbox -WarningVariable w -WarningAction SilentlyContinue
            @($r).Count | Should -Be 300
            @($r | Where-Object Verdict -eq 'Review').Count | Should -Be 40
            @($w).Count | Should -BeLessOrEqual 3
            ($w -join ' ') | Should -Match '40 row\(s\) need a person'
            ($w -join ' ') | Should -Match 'Export-IdCardVerificationReport'

            $null = Invoke-IdCardVerification https://cards.test/idmismatch.jpg -Sandbox -WarningVariable one -WarningAction SilentlyContinue
            @($one).Count | Should -Be 1
            $one[0] | Should -Not -Match 'row\(s\) need a person'
        }
    }
}
