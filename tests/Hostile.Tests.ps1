#requires -Modules Pester
# Issue 29: the doors the scans opened, tried as an attacker would. Each class of defence is its own case: secrets
# scrubbed by value (an API that quotes the staged URL in every shape, a SAS canary), files read once and bounded
# (links to /dev/zero, FIFOs, sparse giants, in a child pwsh whose time and peak memory are read), a sheet that never
# reaches the disk, journals another user planted, settings that carry credentials, Windows PowerShell's NormalView,
# escape sequences in file names through a real terminal (tmux), and stores that stall or answer without end.

BeforeDiscovery {
    $script:unix = -not $IsWindows
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canTwoUsers = Initialize-SecondUser
    $script:hasTmux = $unix -and [bool](Get-Command tmux -ErrorAction SilentlyContinue)
}

Describe 'Hostile' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator -MaxRetries 0
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api
        $script:scans = Join-Path $TestDrive 'scans'
        New-TestImages -Path $scans
        function script:Get-Calls { (Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))).calls }
        function script:Set-Echo([string] $Shapes) { $null = Invoke-RestMethod ([uri]::new($emu.Base, "/__emulator/faults?echoShapes=$Shapes")) }

        # A child pwsh that runs one command against the module and reports its time and peak memory (VmHWM, kB).
        function script:Invoke-Measured([string] $Command, [hashtable] $Environment = @{}) {
            $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'
`$clock = [Diagnostics.Stopwatch]::StartNew()
$Command
"SECONDS=`$([int]`$clock.Elapsed.TotalSeconds)"
"PEAKKB=`$(((Get-Content /proc/self/status) -match '^VmHWM') -replace '\D', '')"
"@
            $out = Invoke-ChildPwsh -Script $script -Environment $Environment
            [pscustomobject]@{
                Output  = $out.Output
                Seconds = [int](([regex]::Match($out.Output, 'SECONDS=(\d+)')).Groups[1].Value)
                PeakMB  = [int](([regex]::Match($out.Output, 'PEAKKB=(\d+)')).Groups[1].Value) / 1024
            }
        }

        # A store that takes the connection and then stalls, or answers 403 with a body that never ends.
        function script:Start-HostileStore([ValidateSet('stall', 'endless403')] [string] $Mode) {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $state = [hashtable]::Synchronized(@{ Connections = 0; Sent = 0L })
            $job = Start-ThreadJob -ArgumentList $listener, $Mode, $state -ScriptBlock {
                param($listener, $mode, $state)
                $held = [System.Collections.Generic.List[object]]::new()
                try {
                    while ($true) {
                        $client = $listener.AcceptTcpClient()
                        $state.Connections++
                        $held.Add($client)
                        if ($mode -eq 'endless403') {
                            $stream = $client.GetStream()
                            $head = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 403 Forbidden`r`nContent-Type: application/xml`r`nTransfer-Encoding: chunked`r`n`r`n")
                            $chunk = [Text.Encoding]::ASCII.GetBytes("10000`r`n" + ('<Code>AccessDenied</Code>' * 2622).Substring(0, 65536) + "`r`n")
                            try {
                                $stream.Write($head, 0, $head.Length)
                                while ($true) { $stream.Write($chunk, 0, $chunk.Length); $state.Sent += $chunk.Length }
                            }
                            catch { $client.Dispose() }
                        }
                    }
                }
                catch { }
                finally { foreach ($c in $held) { $c.Dispose() } }
            }
            [pscustomobject]@{ Listener = $listener; Job = $job; State = $state; Endpoint = [uri]"http://127.0.0.1:$($listener.LocalEndpoint.Port)" }
        }

        function script:Stop-HostileStore($Store) {
            $Store.Listener.Stop()
            $null = $Store.Job | Wait-Job -Timeout 5
            $Store.Job | Remove-Job -Force
        }

        $script:stagingKey = [pscredential]::new('AKIDHOSTILE', (ConvertTo-SecureString 'hostile-secret-key-0123456789' -AsPlainText -Force))
    }

    AfterAll {
        Complete-TestFile $TestConfig
        Set-IdCardVerifyConfig -Reset
    }

    BeforeEach {
        Set-IdCardVerifyConfig -Reset
        Reset-Emulator $emu
        Set-Echo ''
    }

    Context 'Secrets scrubbed by value' {
        BeforeAll {
            $script:s3 = Start-S3Server
            $script:s3Staging = @{
                StagingUri        = 's3://scans/hostile'
                StagingEndpoint   = [uri]$s3.Endpoint
                StagingCredential = [pscredential]::new($s3.AccessKey, (ConvertTo-SecureString $s3.Secret -AsPlainText -Force))
            }
        }

        AfterAll { Stop-Store $s3 }

        It 'an API that quotes the staged URL in every shape (<Shapes>) gets its signature and key id into no stream, CSV or page' -ForEach @(
            @{ Shapes = 'error' }
            @{ Shapes = 'ok' }
        ) {
            Set-Echo $Shapes
            $csv = Join-Path $TestDrive "echo-$Shapes.csv"
            $page = Join-Path $TestDrive "echo-$Shapes.html"
            $all = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api @s3Staging -IncludeFailed -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1 3>&1
            $results = @($all | Where-Object { $_ -is [IdCardVerify.VerificationResult] -or $_.PSObject.TypeNames -contains 'IdCardVerify.VerificationResult' })
            $results | Export-Csv $csv -NoTypeInformation
            $results | Export-IdCardVerificationReport -Path $page -IncludeMatches -IncludePersonalData
            # The URL the API really received, read back from the stand-in: its signature is the canary.
            $sent = (Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/last'))).body | ConvertFrom-Json
            $signature = ([regex]::Match($sent.image_url, 'X-Amz-Signature=([0-9a-f]{64})')).Groups[1].Value
            $signature | Should -Not -BeNullOrEmpty
            $everything = (@($all | Out-String -Width 4096) + @($errs | Out-String -Width 4096) + @($errs | ForEach-Object { $_.Exception.Message; $_.Exception.ResponseBody; $_.ErrorDetails.Message }) + (Get-Content -Raw $csv) + (Get-Content -Raw $page)) -join "`n"
            $everything | Should -Not -Match $signature
            $everything | Should -Not -Match 'X-Amz-Credential=S3RVER'
            $everything | Should -Not -Match 'X-Amz-Credential%3DS3RVER'
            if ($Shapes -eq 'ok') { $results[0].Description | Should -Match 'Max retries exceeded' } else { $errs.Count | Should -Be 1 }
        }

        It 'a SAS of the user''s own is refused before any call and never printed' {
            $canary = 'sv=2022-11-02&ss=b&srt=co&sp=rcwd&se=2030-01-01T00:00:00Z&sig=SasCanary0123456789abcdef%3D'
            $env:AZURE_STORAGE_SAS_TOKEN = $canary
            try {
                $out = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api -StagingUri 'https://acct.blob.core.windows.net/scans/in' -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue *>&1 | Out-String -Width 4096
            }
            finally { Remove-Item env:AZURE_STORAGE_SAS_TOKEN }
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'StagingNotConfigured,*'
            $errs[0].Exception.Message | Should -Match 'account key'
            ($out + ($errs | Out-String -Width 4096)) | Should -Not -Match 'SasCanary'
            Get-Calls | Should -Be 0
        }

        It 'Windows PowerShell''s NormalView shows no password of a URL in CategoryInfo' {
            $saved = $ErrorView
            try {
                $ErrorView = 'NormalView'
                $null = Invoke-IdCardVerification -ImageUrl 'https://admin:CanaryPassword1@cards.test/a.jpg' @api -ErrorVariable errs -ErrorAction SilentlyContinue
                $errs[0].CategoryInfo.TargetName | Should -Not -Match 'CanaryPassword1'
                ($errs[0] | Out-String -Width 4096) | Should -Not -Match 'CanaryPassword1'
                $errs[0].CategoryInfo.ToString() | Should -Not -Match 'CanaryPassword1'
            }
            finally { $ErrorView = $saved }
        }

        It 'refuses a staging endpoint with a password and a staging URI with a query or fragment, without echoing them' -ForEach @(
            @{ Setting = @{ StagingEndpoint = [uri]'http://user:CanaryPw9@127.0.0.1:9000' }; Id = 'InvalidStagingEndpoint' }
            @{ Setting = @{ StagingUri = [uri]'s3://bucket/prefix#sig=CanarySig9' }; Id = 'InvalidStagingUri' }
            @{ Setting = @{ StagingUri = [uri]::new('bucket/prefix?sig=CanarySig9', [UriKind]::RelativeOrAbsolute) }; Id = 'InvalidStagingUri' }
        ) {
            $err = { Set-IdCardVerifyConfig @Setting } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
            ($err | Out-String -Width 4096) + $err.Exception.Message | Should -Not -Match 'Canary'
            (Get-IdCardVerifyConfig | Out-String) | Should -Not -Match 'Canary'
        }
    }

    Context 'Files read once, bounded, on the handle that was checked' -Skip:(-not $unix) {
        BeforeAll {
            $script:traps = Join-Path $TestDrive 'traps'
            $null = New-Item -ItemType Directory $traps
            & ln -s /dev/zero (Join-Path $traps 'zero.jpg')
            & mkfifo (Join-Path $traps 'fifo.jpg')
            & mkfifo (Join-Path $traps 'fifo-target')
            & ln -s (Join-Path $traps 'fifo-target') (Join-Path $traps 'fifo-link.jpg')
            $sparse = [IO.File]::Create((Join-Path $traps 'sparse.jpg')); $sparse.SetLength(10GB); $sparse.Dispose()
            $script:trapPaths = "'" + ((Get-ChildItem $traps -Filter *.jpg).FullName -join "','") + "'"
        }

        It 'a link to /dev/zero, a FIFO, a link to one and a 10 GB sparse file are each refused, with a journal, in seconds and little memory<With>' -ForEach @(
            @{ With = '' }
            @{ With = ' -WhatIf' }
        ) {
            $journal = Join-Path $TestDrive ("journal-" + [guid]::NewGuid().ToString('N') + '.jsonl')
            $run = Invoke-Measured "`$r = Invoke-IdCardVerification -LiteralPath $trapPaths -Sandbox -CheckpointPath '$journal' -IncludeFailed$With -ErrorVariable errs -ErrorAction SilentlyContinue; 'IDS=' + ((`$errs | ForEach-Object { `$_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object) -join ';')"
            $run.Seconds | Should -BeLessThan 30
            $run.PeakMB | Should -BeLessThan 1024
            $run.PeakMB | Should -BeGreaterThan 0
            if ($With) { $run.Output | Should -Match 'What if' }
            else { $run.Output | Should -Match 'IDS=ImageTooLarge;ImageUnreadable;ImageUnreadable;ImageUnreadable' }
        }

        It 'keys a file by the bytes it read: a file swapped since the last run is verified again, never answered from the other''s line' {
            $dir = Join-Path $TestDrive 'swap'
            $null = New-Item -ItemType Directory $dir -Force
            $file = Join-Path $dir 'card.jpg'
            Copy-Item -LiteralPath (Join-Path $scans 'card.jpg') -Destination $file
            $journal = Join-Path $dir 'journal.jsonl'
            (Invoke-IdCardVerification -LiteralPath $file -Sandbox -CheckpointPath $journal).FromCheckpoint | Should -BeFalse
            (Invoke-IdCardVerification -LiteralPath $file -Sandbox -CheckpointPath $journal).FromCheckpoint | Should -BeTrue
            # Another scan under the same name: read, hashed and sent as itself.
            Copy-Item -LiteralPath (Join-Path $scans 'rotated.jpg') -Destination $file -Force
            (Invoke-IdCardVerification -LiteralPath $file -Sandbox -CheckpointPath $journal).FromCheckpoint | Should -BeFalse
            # A FIFO swapped in under the name is refused at once, never hashed on the pipeline thread, with -WhatIf too.
            Remove-Item -LiteralPath $file
            & mkfifo $file
            $run = Invoke-Measured "`$null = Invoke-IdCardVerification -LiteralPath '$file' -Sandbox -CheckpointPath '$journal' -WhatIf; `$null = Invoke-IdCardVerification -LiteralPath '$file' -Sandbox -CheckpointPath '$journal' -ErrorVariable e -ErrorAction SilentlyContinue; 'ID=' + `$e[0].FullyQualifiedErrorId" -Environment @{ XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME }
            $run.Output | Should -Match 'ID=ImageUnreadable'
            $run.Seconds | Should -BeLessThan 30
        }

        It 'a settings file, an AWS credentials file or a journal that is a link to /dev/zero or a FIFO stops nothing and hangs nothing' {
            $config = Join-Path $TestDrive 'trap-config'
            $null = New-Item -ItemType Directory (Join-Path $config 'IdCardVerify') -Force
            & ln -s /dev/zero (Join-Path $config 'IdCardVerify/settings.json')
            $run = Invoke-Measured @"
Get-IdCardVerifyConfig -WarningVariable w -WarningAction SilentlyContinue | Out-Null; 'SETTINGS=' + (`$w -join ' ')
`$null = Invoke-IdCardVerification -LiteralPath '$(Join-Path $scans 'card.jpg')' -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -StagingUri 's3://scans/x' -StagingEndpoint 'http://127.0.0.1:9' -ErrorVariable e1 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue; 'AWS=' + `$e1[0].FullyQualifiedErrorId + ' ' + `$e1[0].Exception.Message
try { Invoke-IdCardVerification https://cards.test/a.jpg -Sandbox -CheckpointPath '$(Join-Path $traps 'fifo.jpg')' -ErrorAction Stop | Out-Null } catch { 'JOURNAL=' + `$_.FullyQualifiedErrorId }
"@ -Environment @{ XDG_CONFIG_HOME = $config; AWS_SHARED_CREDENTIALS_FILE = (Join-Path $traps 'fifo-target') }
            $run.Seconds | Should -BeLessThan 30
            $run.PeakMB | Should -BeLessThan 1024
            $run.Output | Should -Match 'SETTINGS=.*not a regular file'
            $run.Output | Should -Match 'AWS=StagingNotConfigured.*FIFO'
            $run.Output | Should -Match 'JOURNAL=CheckpointUnusable'
        }
        It 'fails closed where a file''s type and owner cannot be checked: the shipped module without its C-library binding refuses files, and says why' {
            # The module as installed, less Tmds.LibC (as on a platform it has no build for): files are untrusted, URLs go on.
            $copy = Join-Path $TestDrive 'no-libc/IdCardVerify'
            $null = New-Item -ItemType Directory (Split-Path $copy) -Force
            Copy-Item -Recurse (Split-Path $env:IDCARDVERIFY_TEST_MODULE) $copy
            Get-ChildItem -Recurse (Join-Path $copy 'dependencies') -Filter 'Tmds.LibC.dll' | Remove-Item
            $journal = Join-Path $TestDrive 'no-libc.journal'
            Invoke-IdCardVerification https://cards.test/a.jpg -Sandbox -CheckpointPath $journal | Out-Null
            $script = @"
Import-Module '$(Join-Path $copy 'IdCardVerify.psd1')'
`$null = Invoke-IdCardVerification -LiteralPath '$(Join-Path $scans 'card.jpg')' -Sandbox -ErrorVariable e1 -ErrorAction SilentlyContinue; 'IMAGE=' + `$e1[0].FullyQualifiedErrorId + ' ' + `$e1[0].Exception.Message
try { Invoke-IdCardVerification https://cards.test/a.jpg -Sandbox -CheckpointPath '$journal' -ErrorAction Stop | Out-Null } catch { 'JOURNAL=' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.Message }
'URL=' + (Invoke-IdCardVerification https://cards.test/b.jpg -Sandbox).Verdict
"@
            $run = Invoke-ChildPwsh -Script $script
            $run.Output | Should -Match 'IMAGE=ImageUnreadable.*type cannot be checked on this system \(the C library''s stat\(\) cannot be called'
            $run.Output | Should -Match 'JOURNAL=CheckpointUnusable.*type and owner cannot be checked on this system'
            $run.Output | Should -Match 'URL=Match'
        }
    }

    Context 'A sheet reaches the disk only where asked' {
        It 'reads no local file from a URL column, and answers alike for an existing secret file and a missing one' {
            $rows = @(
                [pscustomobject]@{ Id = 'A'; ImageUrl = '~/Private/passport.jpg' }
                [pscustomobject]@{ Id = 'B'; ImageUrl = '/etc/shadow' }
                [pscustomobject]@{ Id = 'C'; ImageUrl = '/etc/no-such-file' }
                [pscustomobject]@{ Id = 'D'; ImageUrl = '../' + (Split-Path -Leaf $scans) + '/card.jpg' }
                [pscustomobject]@{ Id = 'E'; ImageUrl = 'file:///etc/passwd' }
                [pscustomobject]@{ Id = 'F'; ImageUrl = (Join-Path $scans 'card.jpg') }
            )
            $r = $rows | Invoke-IdCardVerification @api -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 6
            $r.Verdict | Sort-Object -Unique | Should -Be 'Error'
            $r.ErrorId | Sort-Object -Unique | Should -Be 'InvalidImageUrl'
            # The same words whatever is on the disk: the sheet learns nothing of this computer.
            ($errs | ForEach-Object { $_.Exception.Message -replace "^Input \d+ \([^)]*\)", '' } | Sort-Object -Unique).Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match '-LiteralPath'
            Get-Calls | Should -Be 0
        }

        It 'takes ''~'' in a path column literally, never as the home folder' {
            $null = [pscustomobject]@{ ImagePath = '~/card.jpg' } | Invoke-IdCardVerification -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ImageUnreadable,*'
            $errs[0].Exception.Message | Should -Not -Match ([regex]::Escape($HOME))
        }
    }

    Context 'Files the module writes are its own' -Skip:(-not $canTwoUsers) {
        BeforeAll {
            $script:shared = Join-Path ([IO.Path]::GetTempPath()) ('idcv-shared-' + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory $shared
            & chmod 0777 $shared
            function script:Invoke-AsAttacker([string] $Command) {
                & runuser -u idcvattacker -- /bin/sh -c $Command
                if ($LASTEXITCODE -ne 0) { throw "As idcvattacker, '$Command' failed ($LASTEXITCODE)." }
            }
        }

        AfterAll { Remove-Item -Recurse -Force -LiteralPath $shared -ErrorAction SilentlyContinue }

        It 'writes no name to a journal another user planted (<Case>), and says how to fix it' -ForEach @(
            @{ Case = 'a 0666 file'; Plant = 'umask 000; echo planted > "{0}"' }
            @{ Case = 'a link to their own file'; Plant = 'umask 000; echo planted > "{0}.theirs"; ln -s "{0}.theirs" "{0}"' }
        ) {
            $journal = Join-Path $shared ([guid]::NewGuid().ToString('N') + '.jsonl')
            Invoke-AsAttacker ($Plant -f $journal)
            $target = if (Test-Path "$journal.theirs") { "$journal.theirs" } else { $journal }
            $err = { Invoke-IdCardVerification https://cards.test/ok.jpg -Sandbox -CheckpointPath $journal -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointUnusable,*'
            $err.Exception.Message | Should -Match 'another user|link'
            $err.Exception.Message | Should -Match 'CheckpointPath'
            Get-Content -Raw $target | Should -Be "planted`n"
        }
    }

    Context 'Data never drives the terminal' {
        It 'shows a file name''s escape sequences and line feeds escaped in verbose, errors and the table' -Skip:(-not $unix) {
            $dir = Join-Path $TestDrive 'evil'
            $null = New-Item -ItemType Directory $dir
            $evil = Join-Path $dir ("card`e]0;PWNED`a`e[2J" + "`nWARNING: forged.jpg")
            Copy-Item -LiteralPath (Join-Path $scans 'card.jpg') -Destination $evil
            $out = Invoke-IdCardVerification -LiteralPath $evil -Sandbox -Verbose 4>&1 | Out-String -Width 4096
            $out | Should -Not -Match "`e"
            $out | Should -Not -Match "(?m)^WARNING: forged"
            $out | Should -Match ([regex]::Escape('\u001B]0;PWNED'))
            # The list view too (ImagePath, Key); the object keeps the name as it is.
            $r = Invoke-IdCardVerification -LiteralPath $evil -Sandbox
            $list = $r | Format-List | Out-String -Width 4096
            $list | Should -Not -Match "`e"
            $list | Should -Match ([regex]::Escape('\u001B]0;PWNED'))
            $r.ImagePath | Should -Be $evil
            $null = Invoke-IdCardVerification -LiteralPath ($evil + '.missing') -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            ($errs | Out-String -Width 4096) | Should -Not -Match "`e"
        }

        It 'keeps a real terminal''s title and screen (tmux)' -Skip:(-not $hasTmux) {
            $dir = Join-Path $TestDrive 'tmux'
            $null = New-Item -ItemType Directory $dir
            $evil = Join-Path $dir "scan`e]2;PWNED`a`e[2J.jpg"
            Copy-Item -LiteralPath (Join-Path $scans 'card.jpg') -Destination $evil
            $script = Join-Path $dir 'run.ps1'
            Set-Content -LiteralPath $script -Encoding utf8NoBOM -Value @"
Write-Host 'BEFORE-MARK'
Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'
Get-ChildItem -LiteralPath '$dir' -Filter *.jpg | Invoke-IdCardVerification -Sandbox -Verbose | Format-Table Key, Verdict
Write-Host 'DONE-MARK'
"@
            $session = 'idcv' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            & tmux new-session -d -s $session -x 220 -y 50 "$(Join-Path $PSHOME 'pwsh') -NoProfile -File '$script'; sleep 60"
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                do { Start-Sleep -Milliseconds 300; $pane = (& tmux capture-pane -p -t $session) -join "`n" } until ($pane -match 'DONE-MARK' -or [DateTime]::UtcNow -gt $deadline)
                $pane | Should -Match 'DONE-MARK'
                $pane | Should -Match 'BEFORE-MARK' -Because 'a clear-screen sequence would have wiped it'
                $pane | Should -Match ([regex]::Escape('\u001B]2;PWNED'))
                (& tmux display-message -p -t $session '#{pane_title}') | Should -Not -Be 'PWNED'
            }
            finally { & tmux kill-session -t $session 2>$null }
        }
    }

    Context 'Stores that stall or never stop answering' {
        It 'a store that stalls every request fails the run by -TimeoutSec, and a stopped run returns within 2 s' {
            $store = Start-HostileStore stall
            try {
                $staging = @{ StagingUri = 's3://scans/x'; StagingEndpoint = $store.Endpoint; StagingCredential = $stagingKey }
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $null = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api @staging -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
                $errs[0].FullyQualifiedErrorId | Should -BeLike 'StagingUnavailable,*'
                $errs[0].Exception.Message | Should -Match 'no answer in time'
                Get-Calls | Should -Be 0

                # Stopped the way Ctrl+C stops it, while the store holds the request.
                $ps = [powershell]::Create()
                $null = $ps.AddScript("Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'; Invoke-IdCardVerification -LiteralPath '$(Join-Path $scans 'card.jpg')' -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -StagingUri 's3://scans/x' -StagingEndpoint '$($store.Endpoint)' -StagingCredential `$args[0] -TimeoutSec 120").AddArgument($stagingKey)
                $before = $store.State.Connections
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while ($store.State.Connections -le $before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $store.State.Connections | Should -BeGreaterThan $before
                $stop = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $stop.Elapsed.TotalSeconds | Should -BeLessThan 2
                $async.IsCompleted | Should -BeTrue
                $ps.Dispose()
            }
            finally { Stop-HostileStore $store }
        }

        It 'a 403 whose body never ends is read to its first kilobytes: the run stops with StagingAccessDenied in little memory' -Skip:(-not $unix) {
            $store = Start-HostileStore endless403
            try {
                $run = Invoke-Measured "`$null = Invoke-IdCardVerification -LiteralPath '$(Join-Path $scans 'card.jpg')' -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -StagingUri 's3://scans/x' -StagingEndpoint '$($store.Endpoint)' -StagingCredential ([pscredential]::new('AKIDHOSTILE', (ConvertTo-SecureString 'hostile-secret-key-0123456789' -AsPlainText -Force))) -TimeoutSec 10 -ErrorVariable errs -ErrorAction SilentlyContinue; 'ID=' + `$errs[0].FullyQualifiedErrorId"
                $run.Output | Should -Match 'ID=StagingAccessDenied'
                $run.Seconds | Should -BeLessThan 30
                $run.PeakMB | Should -BeLessThan 1024
                $run.Output | Should -Not -Match 'AKIDHOSTILE'
            }
            finally { Stop-HostileStore $store }
        }
    }

    Context 'Masking by content' {
        It 'masks ID numbers however written, names in file names and unknown columns, phones and e-mails, under -MaskPersonalData' {
            $dir = Join-Path $TestDrive 'named'
            $null = New-Item -ItemType Directory $dir -Force
            $file = Join-Path $dir '11010119900307001X_张三丰.jpg'
            Copy-Item -LiteralPath (Join-Path $scans 'card.jpg') -Destination $file
            $row = [pscustomobject]@{ 工号 = 'E7'; ImagePath = $file; 申请人 = '张三丰'; Applicant = 'Zhang Sanfeng'; 证件 = '110101-19900307-0011'; Notes = 'call 13812345678, zhang@example.com, 身份证 １１０１０１１９９００３０７００１１' }
            $r = $row | Invoke-IdCardVerification -Sandbox -MaskPersonalData
            $text = ($r | Select-Object * | Out-String -Width 4096) + ($r | ConvertTo-Csv | Out-String) + ($r | Format-Table | Out-String -Width 4096)
            foreach ($gone in '三丰', 'Sanfeng', '19900307', '１９９００３０７', '12345678', 'zhang@') { $text | Should -Not -Match $gone }
            $r.Key | Should -Not -Match '三丰'

            # The masked page (the default), from results that were not masked: the same by content.
            $page = Join-Path $TestDrive 'masked.html'
            $row | Invoke-IdCardVerification -Sandbox -IncludeFailed | Export-IdCardVerificationReport -Path $page -IncludeMatches
            $html = Get-Content -Raw $page
            foreach ($gone in '三丰', 'Sanfeng', '19900307', '１９９００３０７', '12345678', 'zhang@') { $html | Should -Not -Match $gone }
        }
    }
}
