#requires -Modules Pester
# Tried as an attacker and as a new admin would: canaries in every input, a sweep of every output, files another user
# planted, a store edited by hand, a journal edited by hand.

BeforeDiscovery {
    # Root on Linux: a second account for the tests that take two users (skipped, and counted so, elsewhere).
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canTwoUsers = Initialize-SecondUser
}

Describe 'Security' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator -MaxRetries 0
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api
        $script:savedXdg = $env:XDG_CONFIG_HOME
        $script:savedCache = $env:XDG_CACHE_HOME

        $script:attacker = 'idcvattacker'
        function Invoke-AsAttacker([string] $Command) {
            & runuser -u $attacker -- /bin/sh -c $Command
            if ($LASTEXITCODE -ne 0) { throw "As $attacker, '$Command' failed ($LASTEXITCODE)." }
        }
    }

    AfterAll {
        Complete-TestFile $TestConfig
        $env:XDG_CONFIG_HOME = $savedXdg
        $env:XDG_CACHE_HOME = $savedCache
        Set-IdCardVerifyConfig -Reset
    }

    BeforeEach {
        Set-IdCardVerifyConfig -Reset
        Reset-Emulator $emu
        $env:XDG_CONFIG_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    Context 'A sweep of everything a run writes, fed with canaries' {
        BeforeAll {
            $script:proxy = Start-TestProxy -User 'proxyuser' -Password 'right-password'
        }

        AfterAll {
            Stop-Emulator $proxy
        }

        It 'finds no personal data and no credential in any stream, the CSV, the journal or the report; -IncludePersonalData shows the person, never a credential' -Skip:$IsWindows {
            $dir = Join-Path $TestDrive 'sweep'
            $null = New-Item -ItemType Directory -Path $dir
            # A host that is not loopback (loopback never goes through a proxy): the proxy refuses the tunnel before any lookup.
            $httpsEndpoint = [uri]'https://api.example.test/identity/idcard/verify'

            $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$rows = @(
    [pscustomobject]@{ ImageUrl = 'https://cards.test/sweep.jpg?X-Amz-Credential=AKIACANARYKEY&X-Amz-Signature=SIGCANARY0123'; 姓名 = '欧阳金丝雀'; 身份证号 = '11010519491231002X'; Address = '北京市*朝阳区金丝雀路9号'; Mobile = '13912345678'; Notes = 'see 11010519491231002X' }
    [pscustomobject]@{ ImageUrl = 'https://us%65r:URLPASSCANARY@cards.test/pw.jpg'; Name = 'Canary Person'; IdNumber = '110105491231002' }
    @{ ImageUrl = 'https://cards.test/hashtable.jpg?sig=SASCANARY'; Name = '欧阳金丝雀' }
    [pscustomobject]@{ ImageUrl = 'https://cards.test/http-503.jpg?q-signature=RETRYCANARY'; 身份证号码 = '11010519491231002X' }
)
function Show(`$records) { foreach (`$e in `$records) { `$e.FullyQualifiedErrorId; `$e.ToString(); `$e.ErrorDetails.Message; `$e.ErrorDetails.RecommendedAction; `$e.Exception.ToString(); if (`$e.TargetObject -is [string] -or `$e.TargetObject -is [uri]) { 'TARGET ' + `$e.TargetObject } } }
`$r = `$rows | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -MaxRetries 1 -MaskPersonalData -IncludeFailed -CheckpointPath '$dir/run.jsonl' -Verbose -ErrorVariable errs
`$r | Format-Table | Out-String -Width 300
`$r | Format-List * | Out-String -Width 300
`$r | Export-Csv '$dir/out.csv' -NoTypeInformation
`$null = `$r | Export-IdCardVerificationReport -Path '$dir/report.html'
`$u = `$rows | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -MaxRetries 0 -IncludeFailed -ErrorAction SilentlyContinue
`$null = `$u | Export-IdCardVerificationReport -Path '$dir/full.html' -IncludePersonalData
# The report of full (unmasked) results masks by default: the rows' own columns too, in the cards and the Matches list.
`$null = `$u | Export-IdCardVerificationReport -Path '$dir/unmasked.html'
Show `$errs

# A proxy from the environment (HTTPS_PROXY, read at the process's start) with a password, and a tunnel it refuses (407).
`$p = 'https://cards.test/proxied.jpg' | Invoke-IdCardVerification -Endpoint '$httpsEndpoint' -Token '$($emu.Token)' -MaxRetries 0 -IncludeFailed -Verbose -ErrorVariable perrs
`$p | Format-List * | Out-String -Width 300
`$p | Export-Csv '$dir/proxy.csv' -NoTypeInformation
`$null = `$p | Export-IdCardVerificationReport -Path '$dir/proxy.html' -IncludePersonalData
Show `$perrs

# A proxy given with a password in the URL is refused, naming neither password.
try { Invoke-IdCardVerification https://cards.test/x.jpg -Sandbox -Proxy 'socks5://u:PROXYCANARY2@127.0.0.1:1080' -ErrorAction Stop } catch { Show @(`$_) }
try { Invoke-IdCardVerification https://cards.test/x.jpg -Sandbox -Proxy 'http://u:PROXYCANARY3@127.0.0.1:8080' -ErrorAction Stop } catch { Show @(`$_) }
try { Set-IdCardVerifyConfig -Proxy 'http://u:PROXYCANARY4@127.0.0.1:8080' -ErrorAction Stop } catch { Show @(`$_) }
# An endpoint with a password (over plain http, too) is refused without printing it.
try { Invoke-IdCardVerification https://cards.test/x.jpg -Token '$($emu.Token)' -Endpoint 'http://u:ENDPOINTCANARY@api.example.test/x' -ErrorAction Stop } catch { Show @(`$_) }
try { Set-IdCardVerifyConfig -Endpoint 'https://u:ENDPOINTCANARY@api.example.test/x' -ErrorAction Stop } catch { Show @(`$_) }
(Get-IdCardVerifyConfig | Format-List * | Out-String)
"@
            $run = Invoke-ChildPwsh -Script $script -Environment @{ HTTPS_PROXY = "http://proxyuser:PROXYCANARY1@127.0.0.1:$($proxy.Address.Port)" }
            $written = @{
                streams = $run.Output
                csv = Get-Content -Raw (Join-Path $dir 'out.csv')
                journal = Get-Content -Raw (Join-Path $dir 'run.jsonl')
                report = Get-Content -Raw (Join-Path $dir 'report.html')
                proxyCsv = Get-Content -Raw (Join-Path $dir 'proxy.csv')
                proxyReport = Get-Content -Raw (Join-Path $dir 'proxy.html')
                fullReport = Get-Content -Raw (Join-Path $dir 'full.html')
                reportOfUnmasked = Get-Content -Raw (Join-Path $dir 'unmasked.html')
            }

            # The run did its job: three rows, the signed one verified, the one with a password refused, and the proxy's 407.
            $run.Output | Should -Match 'ProxyAuthenticationRequired'
            $run.Output | Should -Match "attempt 1 failed with .*HTTP 503.*retrying"
            $run.Output | Should -Match 'InvalidProxy'
            $run.Output | Should -Match 'InvalidEndpoint'
            # The signed row's card is not the canary person's: Review, by the identity check.
            $written.csv | Should -Match '"Review"'
            $written.csv | Should -Match 'BothDiffer'
            $written.csv | Should -Match 'InvalidImageUrl'
            $written.csv | Should -Match 'X-Amz-Signature=\*\*\*'
            $written.csv | Should -Match '欧\*\*\*\*'

            $credentials = 'AKIACANARYKEY', 'SIGCANARY0123', 'SASCANARY', 'RETRYCANARY', 'URLPASSCANARY', 'PROXYCANARY1', 'PROXYCANARY2', 'PROXYCANARY3', 'PROXYCANARY4', 'ENDPOINTCANARY', $emu.Token
            $personal = '欧阳金丝雀', '11010519491231002X', '110105491231002', '金丝雀路', '13912345678', 'Canary Person'
            foreach ($place in $written.Keys) {
                foreach ($canary in $credentials) {
                    $written[$place].Contains($canary) | Should -BeFalse -Because "$place must not hold the credential $canary"
                }

                if ($place -ne 'fullReport') {
                    foreach ($canary in $personal) {
                        $written[$place].Contains($canary) | Should -BeFalse -Because "$place must not hold $canary"
                    }
                }
            }

            # Asked for, the person is shown; a credential never is.
            $written.fullReport.Contains('欧阳金丝雀') | Should -BeTrue
        }
    }

    Context 'Stored settings edited by hand' {
        It 'refuses "<Key>": <Value> in the store with one error naming the file, the key and the fix, before any call' -ForEach @(
            @{ Key = 'threshold'; Value = '-5' }
            @{ Key = 'throttleLimit'; Value = '0' }
            @{ Key = 'throttleLimit'; Value = '-3' }
            @{ Key = 'throttleLimit'; Value = '1e300' }
            @{ Key = 'timeoutSec'; Value = '2.5' }
            @{ Key = 'requestsPerSecond'; Value = '-1' }
            @{ Key = 'sandbox'; Value = '"yes"' }
        ) {
            $file = Join-Path $env:XDG_CONFIG_HOME 'IdCardVerify/settings.json'
            $null = New-Item -ItemType Directory -Path (Split-Path $file) -Force
            Set-Content -LiteralPath $file -Value "{`"$Key`": $Value}"
            $err = { Invoke-IdCardVerification https://cards.test/stored.jpg @api } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidStoredSetting,*'
            $err.Exception.Message | Should -Match ([regex]::Escape($file))
            $err.Exception.Message | Should -Match "'$Key'"
            $err.Exception.Message | Should -Match 'Set-IdCardVerifyConfig -Scope CurrentUser'
            Get-EmulatorCalls $emu | Should -Be 0
            # Get- still shows the settings, and says what is wrong.
            $null = Get-IdCardVerifyConfig -WarningVariable warned -WarningAction SilentlyContinue
            "$warned" | Should -Match "'$Key'"
        }

        It 'takes a stored threshold of -5 for no threshold at all in Test-IdCardSimilarity either' {
            $file = Join-Path $env:XDG_CONFIG_HOME 'IdCardVerify/settings.json'
            $null = New-Item -ItemType Directory -Path (Split-Path $file) -Force
            Set-Content -LiteralPath $file -Value '{"threshold": -5}'
            { Test-IdCardSimilarity -Similarity 0.5 } | Should -Throw -ErrorId 'InvalidStoredSetting*'
            Test-IdCardSimilarity -Similarity 0.5 -Threshold 70 | Should -BeFalse
        }
    }

    Context 'The journal edited by hand' {
        It 'verifies again an input whose line was edited (a raised similarity), with one warning, instead of believing it' {
            $journal = Join-Path $TestDrive 'edited.jsonl'
            $first = 'https://cards.test/sim-30.jpg' | Invoke-IdCardVerification @api -CheckpointPath $journal
            $first.Verdict | Should -Be 'NoMatch'
            $lines = Get-Content -LiteralPath $journal
            # The answer's line (after its intent line), edited.
            $lines = $lines | ForEach-Object { $_ -replace '"sim":[0-9.]+', '"sim":99' }
            Set-Content -LiteralPath $journal -Value $lines
            $again = 'https://cards.test/sim-30.jpg' | Invoke-IdCardVerification @api -CheckpointPath $journal -WarningVariable warned -WarningAction SilentlyContinue
            $again.FromCheckpoint | Should -BeFalse
            $again.Verdict | Should -Be 'NoMatch'
            "$warned" | Should -Match "do not carry this user's signature"
            Get-EmulatorCalls $emu | Should -Be 2
        }
    }

    Context 'Hostile input' {
        It 'refuses a 50 MB URL of digits with a short message and a short Error row, making no call' {
            $huge = 'https://cards.test/' + ('1' * 50MB)
            $r = Invoke-IdCardVerification -ImageUrl $huge @api -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match 'characters long'
            $errs[0].Exception.Message.Length | Should -BeLessThan 1000
            $r.ErrorId | Should -Be 'InvalidImageUrl'
            $r.ImageUrl.Length | Should -BeLessThan 5000
            $r.ErrorMessage.Length | Should -BeLessThan 1000
            Get-EmulatorCalls $emu | Should -Be 0
        }
    }

    Context 'Hashtable rows' {
        It 'reads a hashtable by its keys, and names the keys of one without a URL' {
            $r = @{ ImageUrl = 'https://cards.test/ht1.jpg'; Name = 'Li Si'; EmployeeId = 'E1' }, @{ Foo = 1 }, @{ Url = 'https://cards.test/ht2.jpg' } |
                Invoke-IdCardVerification @api -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Count | Should -Be 3
            $r[0].Verdict | Should -Be 'Match'
            $r[0].InputName | Should -Be 'Li Si'
            $r[0].EmployeeId | Should -Be 'E1'
            $r[1].ErrorId | Should -Be 'MissingImageUrl'
            $r[1].ErrorMessage | Should -Match 'the keys Foo'
            $r[1].ErrorMessage | Should -Not -Match 'IsReadOnly'
            $r[2].Verdict | Should -Be 'Match'
            $errs.Count | Should -Be 1
        }
    }

    Context 'Files another user planted' {
        It 'writes a portrait as a new file where another user planted a link at its name, leaving the link''s target untouched' -Skip:(-not $canTwoUsers) {
            $shared = Join-Path ([IO.Path]::GetTempPath()) ("idcv-shared-" + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $shared
            & chmod 1777 $shared
            $victim = Join-Path $TestDrive 'victim.txt'
            Set-Content -LiteralPath $victim -Value 'keep me' -NoNewline
            & chmod 644 $victim
            $url = 'https://cards.test/planted.jpg'
            $name = (Get-Module IdCardVerify).ImplementingAssembly.GetType('IdCardVerify.Bulk.Verifier').GetMethod('PortraitFileName').Invoke($null, @($url))
            try {
                Invoke-AsAttacker "ln -s '$victim' '$shared/$name'"
                (Get-Item -LiteralPath (Join-Path $shared $name) -Force).LinkTarget | Should -Be $victim

                $r = $url | Invoke-IdCardVerification @api -PortraitDirectory $shared
                $r.PortraitPath | Should -Be (Join-Path $shared $name)
                Get-Content -Raw -LiteralPath $victim | Should -Be 'keep me'
                [IO.File]::GetUnixFileMode($victim) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
                (Get-Item -LiteralPath $r.PortraitPath -Force).LinkTarget | Should -BeNullOrEmpty
                [IO.File]::GetUnixFileMode($r.PortraitPath) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            }
            finally {
                Remove-Item -LiteralPath $shared -Recurse -Force -ErrorAction SilentlyContinue
            }
        }

        It 'finishes every row and reads nothing when another user made the board''s folders first and stuffed them with a FIFO, a sparse 5 GB file and future-dated runs' -Skip:(-not $canTwoUsers) {
            $shared = Join-Path ([IO.Path]::GetTempPath()) ("idcv-cache-" + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $shared
            & chmod 1777 $shared
            try {
                # As the other user: the folders the victim's board would use, open to all, and files no run wrote.
                $folder = (Get-Module IdCardVerify).ImplementingAssembly.GetType('IdCardVerify.Pacing.RateBudgets').GetMethod('BoardFolder', [Reflection.BindingFlags]'NonPublic, Static')
                $env:XDG_CACHE_HOME = $shared
                $board = $folder.Invoke($null, @([uri]$emu.Endpoint, $emu.Token))
                $env:XDG_CACHE_HOME = $savedCache
                $future = [DateTime]::UtcNow.AddYears(10).Ticks
                Invoke-AsAttacker "mkdir -p '$board' '$shared/IdCardVerify/peers/other' && chmod -R 0777 '$shared/IdCardVerify' && mkfifo '$board/fifo.peer' '$shared/IdCardVerify/peers/other/fifo.peer' && truncate -s 5G '$board/sparse.peer' '$shared/IdCardVerify/peers/other/sparse.peer' && printf '1 $future 20 20 60' > '$board/future.peer' && ln -s /dev/zero '$board/zero.peer'"

                $run = Invoke-ChildPwsh -Environment @{ XDG_CACHE_HOME = $shared } -Script @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$r = 1..30 | ForEach-Object { "https://cards.test/board`$_.jpg" } | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -Verbose 4>&1
'RESULTS=' + @(`$r | Where-Object { `$_ -is [IdCardVerify.VerificationResult] }).Count
`$r | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { 'VERBOSE=' + `$_.Message }
"@
                $run.Output | Should -Match 'RESULTS=30'
                $run.Output | Should -Not -Match 'Shared the token'
                $run.ExitCode | Should -Be 0
            }
            finally {
                $env:XDG_CACHE_HOME = $savedCache
                & rm -rf $shared
            }
        }
    }
}
