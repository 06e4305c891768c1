#requires -Modules Pester
# Bulk runs as an admin runs them: thousands of rows, faults, retries, progress, Ctrl+C, resume.

Describe 'Bulk runs' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api

        # The peer board's folder of the emulator's endpoint and token (an internal of the module, for tests).
        function Get-BoardFolder {
            $budgets = (Get-Module IdCardVerify).ImplementingAssembly.GetType('IdCardVerify.Pacing.RateBudgets')
            $budgets.GetMethod('BoardFolder', [Reflection.BindingFlags]'NonPublic, Static').Invoke($null, @([uri]$emu.Endpoint, $emu.Token))
        }

        function Set-Faults([string] $Query) {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($emu.Base, "/__emulator/faults?clear=1&$Query"))
        }

        # Runs a script block in its own PowerShell instance (a runspace of this process) and returns
        # the instance, so a test can read its streams or stop it as Ctrl+C does.
        function New-Runner([scriptblock] $Script, [hashtable] $Arguments) {
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddCommand('Import-Module').AddArgument($env:IDCARDVERIFY_TEST_MODULE).Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript($Script.ToString())
            foreach ($key in $Arguments.Keys) { $null = $ps.AddParameter($key, $Arguments[$key]) }
            $ps
        }

        function Remove-Runner($ps) {
            $runspace = $ps.Runspace
            $ps.Dispose()
            $runspace.Dispose()
        }
    }

    AfterAll { Complete-TestFile $TestConfig }

    BeforeEach {
        Set-IdCardVerifyConfig -Reset
        Set-Faults ''
        Reset-Emulator $emu
    }

    Context 'Nothing lost, nothing duplicated' {
        It 'gives exactly one result or one error per row, in order, for 2,000 rows under mixed faults' {
            Set-Faults 'errorRate=0.05&dropRate=0.02&stallRate=0.005&rateLimit=300&retryAfter=1'
            $rows = 1..2000 | ForEach-Object { [pscustomobject]@{ Id = $_; image_url = "https://cards.test/row$_.jpg" } }
            $rows[99].image_url = 'https://cards.test/error-bad_request.jpg'
            $rows[199].image_url = 'C:\not\a\url.jpg'
            $rows[299].image_url = 'https://cards.test/fail-ImageBlur.jpg'

            $results = $rows | Invoke-IdCardVerification @api -ThrottleLimit 16 -RequestsPerSecond 250 -TimeoutSec 1 -MaxRetries 5 -ErrorVariable errs -ErrorAction SilentlyContinue

            $resultIds = @($results.Id)
            $errorIds = @($errs | ForEach-Object { $_.TargetObject.Id })
            ($resultIds.Count + $errorIds.Count) | Should -Be 2000
            @($resultIds + $errorIds | Sort-Object -Unique).Count | Should -Be 2000
            # Results come back in input order.
            (Compare-Object $resultIds ($resultIds | Sort-Object) -SyncWindow 0) | Should -BeNullOrEmpty
            $errorIds | Should -Contain 100
            $errorIds | Should -Contain 200
            ($results | Where-Object Id -EQ 300).Result | Should -Be 'FailedOperation.ImageBlur'
            (Get-EmulatorCalls $emu) | Should -BeGreaterThan 2000
        }
    }

    Context 'Retries' {
        It 'stops at -MaxRetries and puts the attempt count on the error' {
            $null = Invoke-IdCardVerification 'https://cards.test/error-api_error.jpg' @api -MaxRetries 2 -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose 4>&1 |
                Tee-Object -Variable verbose
            $errs.Count | Should -Be 1
            $errs[0].Exception.Attempts | Should -Be 3
            $errs[0].Exception.Message | Should -Match 'gave up after 3 attempts'
            Get-EmulatorCalls $emu | Should -Be 3
            @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'attempt \d failed with ApiError \(HTTP 500\)' }).Count | Should -Be 2
        }

        It 'recovers a flaky input without an error' {
            $r = Invoke-IdCardVerification 'https://cards.test/flaky-2.jpg' @api -MaxRetries 3 -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $r.Verdict | Should -Be 'Match'
            Get-EmulatorCalls $emu | Should -Be 3
        }

        It 'never retries another 4xx or a 200 answer' {
            $null = 'https://cards.test/error-bad_request.jpg', 'https://cards.test/fail-CompareFail.jpg' |
                Invoke-IdCardVerification @api -MaxRetries 5 -ErrorAction SilentlyContinue
            Get-EmulatorCalls $emu | Should -Be 2
        }

        It 'honours Retry-After on a 429 and then succeeds' {
            Set-Faults 'rateLimit=1&retryAfter=1'
            $r = 1..3 | ForEach-Object { "https://cards.test/ra$_.jpg" } | Invoke-IdCardVerification @api -ThrottleLimit 3 -RequestsPerSecond 0 -MaxRetries 6 -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            @($r).Count | Should -Be 3
            (Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))).throttled | Should -BeGreaterThan 0
        }

        It 'counts a request past -TimeoutSec as a Timeout failure that was retried' {
            $null = Invoke-IdCardVerification 'https://cards.test/stall.jpg' @api -TimeoutSec 1 -MaxRetries 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'Timeout,*'
            $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $errs[0].Exception.Attempts | Should -Be 2
        }
    }

    Context 'Stopping' {
        It 'ends promptly when stopped the way Ctrl+C stops it, with finished rows already written' {
            $urls = @(1..3 | ForEach-Object { "https://cards.test/early$_.jpg" }) + @(1..6 | ForEach-Object { "https://cards.test/stall+n$_.jpg" })
            $ps = New-Runner -Script {
                param($Urls, $Endpoint, $Token)
                $Urls | Invoke-IdCardVerification -Endpoint $Endpoint -Token $Token -ThrottleLimit 4 -TimeoutSec 120 -MaxRetries 3
            } -Arguments @{ Urls = $urls; Endpoint = $emu.Endpoint; Token = $emu.Token }
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while ((Get-EmulatorCalls $emu) -lt 7 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $output.Count | Should -Be 3 -Because 'the rows verified before the stalls were written as they completed'
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $watch.Stop()
                $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $output.ImageUrl | Should -Be $urls[0..2]
            }
            finally { Remove-Runner $ps }
        }
    }

    Context 'Checkpoint and resume' {
        It 'skips rows already in the journal on the rerun, re-emitting them without a call' {
            $journal = Join-Path $TestDrive 'run.jsonl'
            $rows = 1..10 | ForEach-Object { [pscustomobject]@{ Id = $_; image_url = "https://cards.test/j$_.jpg" } }
            $first = $rows[0..5] | Invoke-IdCardVerification @api -CheckpointPath $journal
            Get-EmulatorCalls $emu | Should -Be 6

            Reset-Emulator $emu
            $second = $rows | Invoke-IdCardVerification @api -CheckpointPath $journal
            Get-EmulatorCalls $emu | Should -Be 4
            $second.Id | Should -Be (1..10)
            $second[0..5].FromCheckpoint | Should -Not -Contain $false
            $second[6..9].FromCheckpoint | Should -Not -Contain $true
            $second[0..5].IdNumber | Should -Be $first.IdNumber
            $second[0..5].Similarity | Should -Be $first.Similarity

            Reset-Emulator $emu
            $null = $rows | Invoke-IdCardVerification @api -CheckpointPath $journal
            Get-EmulatorCalls $emu | Should -Be 0
        }

        It 'resumes a run that was stopped half-way without paying twice' {
            $journal = Join-Path $TestDrive 'stopped.jsonl'
            $urls = @(1..5 | ForEach-Object { "https://cards.test/s$_.jpg" }) + @('https://cards.test/stall.jpg') + @(6..8 | ForEach-Object { "https://cards.test/s$_.jpg" })
            $ps = New-Runner -Script {
                param($Urls, $Endpoint, $Token, $Journal)
                $Urls | Invoke-IdCardVerification -Endpoint $Endpoint -Token $Token -ThrottleLimit 1 -TimeoutSec 120 -CheckpointPath $Journal
            } -Arguments @{ Urls = $urls; Endpoint = $emu.Endpoint; Token = $emu.Token; Journal = $journal }
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ((Get-EmulatorCalls $emu) -lt 6 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $ps.Stop(); Remove-Runner $ps

            Reset-Emulator $emu
            $rerun = $urls -replace 'stall', 'unstalled' | Invoke-IdCardVerification @api -CheckpointPath $journal
            @($rerun).Count | Should -Be 9
            Get-EmulatorCalls $emu | Should -Be 4
            @($rerun | Where-Object FromCheckpoint).Count | Should -Be 5
        }

        It 'tolerates a truncated last line with a warning' {
            $journal = Join-Path $TestDrive 'torn.jsonl'
            $null = 1..3 | ForEach-Object { "https://cards.test/t$_.jpg" } | Invoke-IdCardVerification @api -CheckpointPath $journal
            $bytes = [IO.File]::ReadAllBytes($journal)
            [IO.File]::WriteAllBytes($journal, $bytes[0..($bytes.Length - 30)])

            Reset-Emulator $emu
            $r = 1..3 | ForEach-Object { "https://cards.test/t$_.jpg" } | Invoke-IdCardVerification @api -CheckpointPath $journal -WarningVariable warns
            @($r).Count | Should -Be 3
            $warns[0] | Should -Match 'truncated'
            Get-EmulatorCalls $emu | Should -Be 1
        }
    }

    Context 'Portraits' {
        It 'writes each portrait as a JPEG file and puts its path on the result' {
            $dir = Join-Path $TestDrive 'portraits'
            $r = 'https://cards.test/p1.jpg', 'https://cards.test/p2.jpg', 'https://cards.test/noportrait.jpg' |
                Invoke-IdCardVerification @api -PortraitDirectory $dir
            $r[0].PortraitPath | Should -Exist
            $r[1].PortraitPath | Should -Exist
            $r[0].PortraitPath | Should -Not -Be $r[1].PortraitPath
            $r[2].PortraitPath | Should -BeNullOrEmpty
            $bytes = [IO.File]::ReadAllBytes($r[0].PortraitPath)
            $bytes[0..1] | Should -Be @(0xFF, 0xD8)
            @(Get-ChildItem $dir -Filter *.jpg).Count | Should -Be 2
            # The file name carries no personal data.
            Split-Path $r[0].PortraitPath -Leaf | Should -Match '^portrait-[0-9a-f]{16}\.jpg$'
        }
    }

    Context 'Progress' {
        It 'reports done, failed, in flight, rate and a percentage when the total is known' {
            Set-Faults 'latencyMs=40'
            $urls = @(1..40 | ForEach-Object { "https://cards.test/g$_.jpg" }) + 'https://cards.test/error-forbidden.jpg'
            $ps = New-Runner -Script {
                param($Urls, $Endpoint, $Token)
                $ProgressPreference = 'Continue'
                Invoke-IdCardVerification -ImageUrl $Urls -Endpoint $Endpoint -Token $Token -ThrottleLimit 2 -ErrorAction SilentlyContinue
            } -Arguments @{ Urls = $urls; Endpoint = $emu.Endpoint; Token = $emu.Token }
            try {
                $out = $ps.Invoke()
                $out.Count | Should -Be 40
                $progress = @($ps.Streams.Progress)
                $progress.Count | Should -BeGreaterThan 1
                $progress[0].Activity | Should -Be 'Verifying ID cards'
                # The rate now, and the limit the rate controller holds to: with no 429, the default ceiling, 60/s.
                $progress[0].StatusDescription | Should -Match '^\d+ verified, \d+ failed, \d+ in flight, [\d.]+/s \(limit 60/s\)$'
                @($progress | Where-Object PercentComplete -GT 0).Count | Should -BeGreaterThan 0
                $progress[-1].RecordType | Should -Be 'Completed'
            }
            finally { Remove-Runner $ps }
        }

        It 'says how many runs in other processes share the token' {
            # Another process's run on the token, as its board file shows it (dated ahead so it stays fresh for the
            # run; a real run rewrites it every 0.5 s). The folder is its owner's alone, as the module makes it.
            Set-Faults 'latencyMs=40'
            $folder = Get-BoardFolder
            $null = [IO.Directory]::CreateDirectory($folder)
            if (-not $IsWindows) { [IO.File]::SetUnixFileMode($folder, 'UserRead, UserWrite, UserExecute') }
            $other = Join-Path $folder 'other-process.peer'
            # Dated a little ahead (within the board's allowance for clocks, never more): fresh for the whole short run.
            Set-Content -LiteralPath $other -Value "1 $([DateTime]::UtcNow.AddSeconds(2).Ticks) 20 21 60" -NoNewline
            $ps = New-Runner -Script {
                param($Urls, $Endpoint, $Token)
                $ProgressPreference = 'Continue'
                Invoke-IdCardVerification -ImageUrl $Urls -Endpoint $Endpoint -Token $Token -ThrottleLimit 2
            } -Arguments @{ Urls = @(1..40 | ForEach-Object { "https://cards.test/peer$_.jpg" }); Endpoint = $emu.Endpoint; Token = $emu.Token }
            try {
                @($ps.Invoke()).Count | Should -Be 40
                @($ps.Streams.Progress | Where-Object StatusDescription -Match ', sharing the token with 1 other run\(s\)$').Count | Should -BeGreaterThan 0
            }
            finally {
                Remove-Runner $ps
                Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
            }
        }

        It 'is quiet under $ProgressPreference = SilentlyContinue' {
            Set-Faults 'latencyMs=40'
            $ps = New-Runner -Script {
                param($Endpoint, $Token)
                $ProgressPreference = 'SilentlyContinue'
                1..20 | ForEach-Object { "https://cards.test/q$_.jpg" } | Invoke-IdCardVerification -Endpoint $Endpoint -Token $Token -ThrottleLimit 2
            } -Arguments @{ Endpoint = $emu.Endpoint; Token = $emu.Token }
            try {
                $ps.Invoke().Count | Should -Be 20
                $ps.Streams.Progress.Count | Should -Be 0
            }
            finally { Remove-Runner $ps }
        }
    }

    Context 'Filling the capacity with no tuning' {
        It 'keeps more requests in flight when answers are slow, with no -ThrottleLimit' {
            # The 0.1 default kept 8 in flight: 8 rows/s at 1 s answers. Now the run sizes itself from the latency.
            Set-Faults 'latencyMs=1000'
            $r = 1..60 | ForEach-Object { "https://cards.test/slow$_.jpg" } | Invoke-IdCardVerification @api
            @($r).Count | Should -Be 60
            (Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))).peakInFlight | Should -BeGreaterThan 12
        }

        It 'finds a lower rate limit and completes every row, in order, without an error' {
            Set-Faults 'latencyMs=50&rateLimit=20&slidingWindow=1'
            $urls = 1..120 | ForEach-Object { "https://cards.test/lim$_.jpg" }
            $r = $urls | Invoke-IdCardVerification @api -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            @($r.ImageUrl) | Should -Be $urls
            $c = Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))
            # The controller meets the limit once or twice, not at every request.
            $c.throttled | Should -BeLessThan 24
        }

        It 'loses no row to random 429 noise: every row comes back once, in order, none in error' {
            # A gateway that refuses 10% of requests whatever the rate. How the controller learns such noise instead of
            # taking it for a limit is held on a simulated clock (RateConvergenceTests, RateControllerTests), in
            # milliseconds; here, through the module as a user runs it, that nothing is lost to it.
            Set-Faults 'latencyMs=20&throttleNoise=0.1&retryAfter=0'
            $urls = 1..150 | ForEach-Object { "https://cards.test/noise$_.jpg" }
            $out = $urls | Invoke-IdCardVerification @api -IncludeFailed -MaxRetries 3 -Verbose 4>&1
            $rows = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            @($rows.ImageUrl) | Should -Be $urls
            @($rows | Where-Object Verdict -EQ 'Error') | Should -BeNullOrEmpty
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Done:*' }) | Should -Not -BeNullOrEmpty
            (Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))).throttled | Should -BeGreaterThan 3
        }

        It 'shares one budget between runs on one token in one process' {
            # Two runs at once in -Parallel runspaces, each with a ceiling of 10/s: one budget means 60 rows take
            # at least about 6 s together (two budgets would take 3). A lower bound only: a busy machine is slower.
            Set-Faults 'latencyMs=0'
            $module = (Get-Module IdCardVerify).Path
            $w = [Diagnostics.Stopwatch]::StartNew()
            $r = 1, 2 | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:module
                1..30 | ForEach-Object { "https://cards.test/share$($using:_)-$_.jpg" } |
                    Invoke-IdCardVerification -Endpoint $using:emu.Endpoint -Token $using:emu.Token -RequestsPerSecond 10
            }
            $seconds = $w.Elapsed.TotalSeconds
            @($r | Where-Object Verdict -EQ 'Match').Count | Should -Be 60
            $seconds | Should -BeGreaterThan 5
        }

        It 'lets runs on one token in two processes see each other, share without an error, and leave no file behind' {
            # Two real pwsh processes at once against a 20/s limit. Each says in its -Verbose summary that it shared
            # the token with a run in another process: they found each other through the board in the temp folder.
            Set-Faults 'latencyMs=100&rateLimit=20&slidingWindow=1'
            $module = (Get-Module IdCardVerify).Path
            $child = {
                param($Module, $Endpoint, $Token, $Name)
                $script = @"
Import-Module '$Module'
`$urls = 1..100 | ForEach-Object { "https://cards.test/$Name-`$_.jpg" }
`$out = `$urls | Invoke-IdCardVerification -Endpoint '$Endpoint' -Token '$Token' -Verbose -ErrorVariable errs 4>&1
'ROWS ' + @(`$out | Where-Object Verdict -EQ 'Match').Count
'ERRORS ' + @(`$errs).Count
@(`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] -and `$_.Message -like 'Done:*' })[-1].Message
"@
                & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script 2>&1 | Out-String -Width 4096
            }
            $jobs = 'peerA', 'peerB' | ForEach-Object { Start-ThreadJob $child -ArgumentList $module, $emu.Endpoint, $emu.Token, $_ }
            $outputs = $jobs | Wait-Job -Timeout 120 | Receive-Job
            $jobs | Remove-Job -Force
            @($outputs).Count | Should -Be 2
            foreach ($output in $outputs) {
                $output | Should -Match 'ROWS 100'
                $output | Should -Match 'ERRORS 0'
                $output | Should -Match 'Shared the token fairly with up to 1 run\(s\) in other processes'
                $output | Should -Not -Match ([regex]::Escape($emu.Token))
            }

            $folder = Get-BoardFolder
            Test-Path -LiteralPath $folder | Should -BeFalse
        }
    }

    Context 'Concurrency' {
        It 'keeps at most -ThrottleLimit requests in flight, and uses them' -ForEach @(@{ Limit = 3 }, @{ Limit = 8 }) {
            Set-Faults 'latencyMs=150'
            $r = 1..24 | ForEach-Object { "https://cards.test/c$_.jpg" } | Invoke-IdCardVerification @api -ThrottleLimit $Limit -RequestsPerSecond 0
            @($r).Count | Should -Be 24
            $peak = (Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))).peakInFlight
            $peak | Should -BeLessOrEqual $Limit
            $peak | Should -BeGreaterThan 1
        }
    }
}
