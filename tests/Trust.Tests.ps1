#requires -Modules Pester
# Secrets, personal data, hostile input: what a careful admin relies on.

Describe 'Trust' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator -MaxRetries 0
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api
        $script:savedEnvToken = $env:ACEDATACLOUD_API_TOKEN
        $script:savedXdg = $env:XDG_CONFIG_HOME
    }

    AfterAll {
        Complete-TestFile $TestConfig
        $env:ACEDATACLOUD_API_TOKEN = $savedEnvToken
        $env:XDG_CONFIG_HOME = $savedXdg
        Set-IdCardVerifyConfig -Reset
    }

    BeforeEach {
        Set-IdCardVerifyConfig -Reset
        Reset-Emulator $emu
        $env:ACEDATACLOUD_API_TOKEN = $null
        # Every test gets its own empty CurrentUser store.
        $env:XDG_CONFIG_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    Context 'The CurrentUser store' {
        It 'persists settings for the user in a file only its owner can read' -Skip:$IsWindows {
            Set-IdCardVerifyConfig -Scope CurrentUser -Token $emu.Token -Endpoint $emu.Endpoint -Threshold 85 -CopyWarn
            $file = Join-Path $env:XDG_CONFIG_HOME 'IdCardVerify/settings.json'
            $file | Should -Exist
            [IO.File]::GetUnixFileMode($file) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            [IO.File]::GetUnixFileMode((Split-Path $file)) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute')

            $stored = Get-IdCardVerifyConfig -Scope CurrentUser
            $stored.TokenSource | Should -Be 'CurrentUser'
            $stored.Threshold | Should -Be 85
            $stored.CopyWarn | Should -BeTrue
            $stored.StorePath | Should -Be $file
        }

        It 'stores the staging store (never a credential), and a new session stages there' {
            Set-IdCardVerifyConfig -Scope CurrentUser -StagingUri 's3://hr-scans/idcv' -StagingEndpoint 'http://127.0.0.1:9000' -StagingRegion 'ap-guangzhou' -StagingSecretName 'idcv-staging'
            $stored = Get-IdCardVerifyConfig -Scope CurrentUser
            $stored.StagingUri | Should -Be 's3://hr-scans/idcv'
            $stored.StagingEndpoint | Should -Be 'http://127.0.0.1:9000/'
            $stored.StagingRegion | Should -Be 'ap-guangzhou'
            $stored.StagingSecretName | Should -Be 'idcv-staging'
            $stored.HasStagingCredential | Should -BeFalse
            $run = Invoke-ChildPwsh -Environment @{ XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME } -Script @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$c = Get-IdCardVerifyConfig
'URI=' + `$c.StagingUri + ' REGION=' + `$c.StagingRegion
"@
            $run.Output | Should -Match 'URI=s3://hr-scans/idcv REGION=ap-guangzhou'
            Set-IdCardVerifyConfig -Scope CurrentUser -StagingUri $null
            (Get-IdCardVerifyConfig -Scope CurrentUser).StagingUri | Should -BeNullOrEmpty
            { Set-IdCardVerifyConfig -Scope CurrentUser -StagingUri 'https://user:pw@acct.blob.core.windows.net/c' } | Should -Throw '*credentials*'
        }

        It 'is used by a new session, with the token source on the debug stream and never the token' -Skip:$IsWindows {
            Set-IdCardVerifyConfig -Scope CurrentUser -Token $emu.Token -Endpoint $emu.Endpoint -Threshold 85
            $run = Invoke-ChildPwsh -Environment @{ XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; ACEDATACLOUD_API_TOKEN = $null } -Script @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
'SOURCE=' + (Get-IdCardVerifyConfig).TokenSource
`$DebugPreference = 'Continue'
`$r = Invoke-IdCardVerification https://cards.test/stored.jpg 5>&1
`$r | Where-Object { `$_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object { 'DEBUG=' + `$_.Message }
'THRESHOLD=' + (`$r | Where-Object { `$_ -is [IdCardVerify.VerificationResult] }).Threshold
"@
            $run.Output | Should -Match 'SOURCE=CurrentUser'
            $run.Output | Should -Match 'DEBUG=API token source: CurrentUser'
            $run.Output | Should -Match 'THRESHOLD=85'
            $run.Output.Contains($emu.Token) | Should -BeFalse
            Get-EmulatorCalls $emu | Should -Be 1
        }

        It 'comes last in the token chain: parameter, session, environment, then the store' {
            Set-IdCardVerifyConfig -Scope CurrentUser -Token 'stored-token-value'
            (Get-IdCardVerifyConfig).TokenSource | Should -Be 'CurrentUser'
            $env:ACEDATACLOUD_API_TOKEN = 'env-token-value'
            (Get-IdCardVerifyConfig).TokenSource | Should -Be 'Environment'
            Set-IdCardVerifyConfig -Token 'session-token-value'
            (Get-IdCardVerifyConfig).TokenSource | Should -Be 'Session'
        }

        It 'ignores, with a warning, a stored token whose file others can read' -Skip:$IsWindows {
            Set-IdCardVerifyConfig -Scope CurrentUser -Token 'stored-token-value'
            $file = (Get-IdCardVerifyConfig -Scope CurrentUser).StorePath
            [IO.File]::SetUnixFileMode($file, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
            $config = Get-IdCardVerifyConfig -WarningVariable warns -WarningAction SilentlyContinue
            $config.TokenSource | Should -Be 'None'
            $warns[0] | Should -Match '644 where 600 is needed'
            $warns[0] | Should -Match 'chmod 600'
        }

        It 'removes the stored token alone with -Token $null, and everything with -Reset' {
            Set-IdCardVerifyConfig -Scope CurrentUser -Token 'stored-token-value' -Threshold 90
            Set-IdCardVerifyConfig -Scope CurrentUser -Token $null
            $stored = Get-IdCardVerifyConfig -Scope CurrentUser
            $stored.TokenSource | Should -Be 'None'
            $stored.Threshold | Should -Be 90
            Set-IdCardVerifyConfig -Scope CurrentUser -Reset
            (Get-IdCardVerifyConfig -Scope CurrentUser).Threshold | Should -Be 70
            $stored.StorePath | Should -Not -Exist
        }

        It 'lets a session switch off one stored check and keep the others' {
            Set-IdCardVerifyConfig -Scope CurrentUser -CopyWarn -ReshootWarn
            Set-IdCardVerifyConfig -CopyWarn:$false
            $config = Get-IdCardVerifyConfig
            $config.CopyWarn | Should -BeFalse
            $config.ReshootWarn | Should -BeTrue
        }
    }

    Context 'Token hygiene' {
        It 'refuses an empty -Token before any call' {
            { Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint $emu.Endpoint -Token '   ' } | Should -Throw -ErrorId 'EmptyToken,*'
            { Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint $emu.Endpoint -Token 'Bearer ' } | Should -Throw -ErrorId 'EmptyToken,*'
            Get-EmulatorCalls $emu | Should -Be 0
        }

        It 'accepts a pasted Bearer prefix and a trailing newline on -Token' {
            (Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint $emu.Endpoint -Token "Bearer $($emu.Token)`r`n").Verdict | Should -Be 'Match'
            (Get-EmulatorLastRequest $emu).authorization | Should -Be "Bearer $($emu.Token)"
        }

        It 'refuses a token with a line break inside it, without quoting it' {
            $err = { Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint $emu.Endpoint -Token "abc`ndef-secret" } | Should -Throw -ErrorId 'InvalidTokenFormat,*' -PassThru
            $err.Exception.Message | Should -Not -Match 'def-secret'
            Get-EmulatorCalls $emu | Should -Be 0
        }

        It 'never follows a redirect, so the token goes nowhere else' {
            $redirecting = [uri]::new($emu.Base, '/__redirect')
            $err = { Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint $redirecting -Token $emu.Token -ErrorAction Stop } | Should -Throw -ErrorId 'Redirected,*' -PassThru
            $err.Exception.StatusCode | Should -Be 307
            $counters = Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))
            $counters.redirects | Should -Be 1
            $counters.calls | Should -Be 0
        }
    }

    Context 'The token never leaks' {
        It 'appears nowhere: no stream, transcript, error record, or file the module writes' {
            $secret = 'sweep-canary-9b3e71d4'
            $leaky = Start-Emulator -Token $secret
            $work = Join-Path $TestDrive 'sweep'
            New-Item -ItemType Directory $work | Out-Null
            try {
                $script = @"
`$ErrorActionPreference = 'Continue'
`$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'; `$InformationPreference = 'Continue'; `$WarningPreference = 'Continue'; `$ProgressPreference = 'Continue'
Start-Transcript -Path '$work/transcript.txt' | Out-Null
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$t = `$env:IDCV_CANARY
Set-IdCardVerifyConfig -Token `$t -Endpoint '$($leaky.Endpoint)' -MaxRetries 1 -Verbose
Get-IdCardVerifyConfig | Format-List * | Out-String
`$urls = 'https://cards.test/ok.jpg', 'https://cards.test/error-api_error.jpg', 'https://cards.test/error-forbidden.jpg', 'https://user:pw@cards.test/x.jpg', 'https://cards.test/idmismatch.jpg', 'https://cards.test/http-502.jpg'
`$urls | Invoke-IdCardVerification -Verbose -Debug -CheckpointPath '$work/run.journal' -PortraitDirectory '$work/portraits' -ErrorVariable errs |
    Export-Csv '$work/out.csv' -NoTypeInformation
foreach (`$e in `$errs) { `$e | Format-List * -Force | Out-String; `$e.Exception | Format-List * -Force | Out-String; `$e.ToString(); `$e.ErrorDetails | Out-String }
try { Invoke-IdCardVerification https://cards.test/a.jpg -Token ('Bearer ' + `$t + '-wrong') -Verbose -Debug } catch { `$_ | Format-List * -Force | Out-String; `$_.Exception.ToString() }
try { Invoke-IdCardVerification https://cards.test/error-used_up.jpg -Verbose } catch { `$_.ToString(); `$_.ErrorDetails | Out-String }
`$Error | ForEach-Object { `$_ | Format-List * -Force | Out-String; `$_.Exception.ToString() }
Stop-Transcript | Out-Null
"@
                $script.Contains($secret) | Should -BeFalse
                $run = Invoke-ChildPwsh -Script $script -Environment @{ IDCV_CANARY = $secret; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME }
                $run.Output | Should -Match 'API token source: Session'
                $run.Output | Should -Match 'InvalidToken|invalid_token'
                $run.Output | Should -Match 'UsedUp|used_up'
                $run.Output.Contains($secret) | Should -BeFalse -Because 'no output stream or error may hold the token'
                $files = @(Get-ChildItem $work -Recurse -File)
                $files.Name | Should -Contain 'transcript.txt'
                $files.Name | Should -Contain 'run.journal'
                $files.Name | Should -Contain 'out.csv'
                @($files | Where-Object Extension -EQ '.jpg').Count | Should -BeGreaterThan 0
                foreach ($file in $files) {
                    [IO.File]::ReadAllText($file.FullName).Contains($secret) | Should -BeFalse -Because "$($file.Name) must not hold the token"
                }
                # The credentials in a URL are masked in the messages (the error's TargetObject is still the input as given).
                $run.Output | Should -Match "Input 4 \('https://\*\*\*@cards\.test/x\.jpg'\)"
            }
            finally { Stop-Emulator $leaky }
        }
    }

    Context 'The token in any form a server echoes it' {
        It 'is in no stream, error, journal or export when a server echoes it JSON-escaped or reflects it into an answer' {
            $token = 'sw33p+canary/Tok=9'
            $echo = Start-Emulator -Token $token
            try {
                $journal = Join-Path $TestDrive 'echo.jsonl'
                $csv = Join-Path $TestDrive 'echo.csv'
                $errs = $null
                $out = 'https://cards.test/echotoken-ok.jpg', 'https://cards.test/echotoken.jpg' |
                    Invoke-IdCardVerification -Endpoint $echo.Endpoint -Token $token -MaxRetries 0 -CheckpointPath $journal -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose 4>&1
                $results = @($out | Where-Object { $_ -is [IdCardVerify.VerificationResult] -or $_.psobject.TypeNames -contains 'IdCardVerify.VerificationResult' })
                $results.Count | Should -Be 1
                $results | Export-Csv $csv -NoTypeInformation
                @($errs).Count | Should -Be 1
                $kept = @(
                    $out | ForEach-Object { "$_" }
                    $results | Format-List * | Out-String
                    foreach ($e in $errs) { $e | Format-List * -Force | Out-String; $e.Exception | Format-List * -Force | Out-String; $e.ToString() }
                    Get-Content -Raw $journal
                    Get-Content -Raw $csv
                ) -join "`n"
                $kept | Should -Match '\*\*\*'
                $forms = $token,
                    ($token -replace '\+', '\u002B' -replace '/', '\u002F' -replace '=', '\u003D'),
                    'sw33p', 'canary'
                foreach ($form in $forms) { $kept.Contains($form) | Should -BeFalse -Because "'$form' is a form of the token" }
            }
            finally { Stop-Emulator $echo }
        }
    }

    Context 'Personal data' {
        It 'masks ID numbers and names in every stream the module writes, while results keep them' {
            $urls = 'https://cards.test/11010119900307803X.jpg', 'https://cards.test/idmismatch.jpg', 'https://cards.test/error-forbidden+11010119900307803X.jpg', 'C:\scans\11010119900307803X.jpg'
            $ps = [powershell]::Create()
            try {
                # The debug stream through the preference: -Debug on a compiled cmdlet asks to inquire, which a host without a UI refuses.
                $null = $ps.AddScript('$DebugPreference = "Continue"').AddStatement()
                $null = $ps.AddCommand('Import-Module').AddArgument($env:IDCARDVERIFY_TEST_MODULE).AddStatement()
                $null = $ps.AddCommand('Invoke-IdCardVerification').AddParameter('ImageUrl', $urls).AddParameter('Sandbox').AddParameter('Verbose').AddParameter('CheckpointPath', (Join-Path $TestDrive 'pii.journal'))
                $results = $ps.Invoke()
                $results.Count | Should -Be 2
                $streams = @(
                    $ps.Streams.Verbose.Message; $ps.Streams.Debug.Message; $ps.Streams.Warning.Message
                    $ps.Streams.Progress.StatusDescription
                    $ps.Streams.Error | ForEach-Object { $_.ToString(); $_.Exception.Message }
                ) -join "`n"
                $streams | Should -Match '110101\*{8}803X'
                $streams | Should -Not -Match '11010119900307803X'
                foreach ($r in $results) {
                    $r.IdNumber | Should -Match '^\d{17}[\dX]$'
                    $streams | Should -Not -Match $r.IdNumber
                    $streams | Should -Not -Match $r.Name
                }
            }
            finally { $ps.Dispose() }
        }

        It 'flags a card whose fields disagree with its ID number, on the result and as a warning' {
            $r = Invoke-IdCardVerification https://cards.test/idmismatch.jpg -Sandbox -WarningVariable warns -WarningAction SilentlyContinue
            $r.Inconsistencies | Should -Match 'fails GB 11643'
            $r.Inconsistencies | Should -Match 'printed birth date differs'
            $r.Inconsistencies | Should -Match 'printed sex differs'
            # The card named once, by its masked number; the findings name no value.
            $warns[0] | Should -Match ('^Input 1 \(the card ' + [regex]::Escape([IdCardVerify.PersonalData]::MaskIdNumber($r.IdNumber)) + '\): ')
            ([regex]::Matches($warns[0], [regex]::Escape([IdCardVerify.PersonalData]::MaskIdNumber($r.IdNumber)))).Count | Should -Be 1
            $warns[0] | Should -Not -Match $r.IdNumber
            # What disagrees, never the values: the printed birth date beside the masked number would rebuild most of it.
            $warns[0] | Should -Not -Match '1999'
            $warns[0] | Should -Not -Match ($r.Birth -replace '/', '.')
            (Invoke-IdCardVerification https://cards.test/consistent.jpg -Sandbox).Inconsistencies | Should -BeNullOrEmpty
        }

        It 'masks ID numbers however a URL or a server''s message carries them' {
            $urls = 'https://cards.test/110105194912310021front+echourl.jpg',
                'https://cards.test/11010519491231002xback+echourl.jpg',
                'https://cards.test/110105491231002+echourl.jpg',
                'https://cards.test/110105194912310021/echourl.jpg'
            $errs = $null
            $verbose = $urls | Invoke-IdCardVerification -Endpoint $emu.Endpoint -Token $emu.Token -MaxRetries 0 -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose 4>&1
            @($errs).Count | Should -Be 4
            $kept = @(
                $verbose | ForEach-Object { "$_" }
                foreach ($e in $errs) {
                    # Every text of the record but TargetObject, which is the input as given.
                    $e.ToString(); $e.Exception.Message; $e.Exception.ApiMessage; $e.Exception.ResponseBody; "$($e.ErrorDetails)"
                    $e.Exception | Format-List * -Force | Out-String
                }
            ) -join "`n"
            $kept | Should -Match 'could not download'
            foreach ($number in '110105194912310021', '11010519491231002x', '110105491231002') {
                $kept | Should -Not -Match $number
            }
            $kept | Should -Match '110105\*{8}0021'
        }

        It 'masks personal data in the objects themselves with -MaskPersonalData' {
            $full = Invoke-IdCardVerification https://cards.test/p.jpg -Sandbox
            $masked = Invoke-IdCardVerification https://cards.test/p.jpg -Sandbox -MaskPersonalData
            $masked.IsMasked | Should -BeTrue
            $masked.IdNumber | Should -Be ([IdCardVerify.PersonalData]::MaskIdNumber($full.IdNumber))
            $masked.Name | Should -Be ([IdCardVerify.PersonalData]::MaskName($full.Name))
            $masked.Birth | Should -Match '^\d{4}/\*\*/\*\*$'
            $masked.Address | Should -Not -Be $full.Address
            $masked.HasPortrait | Should -BeFalse
            $masked.Similarity | Should -Be $full.Similarity
            $csv = Join-Path $TestDrive 'masked.csv'
            $masked | Export-Csv $csv -NoTypeInformation
            Get-Content -Raw $csv | Should -Not -Match $full.IdNumber
        }

        It 'writes a portrait to disk only when asked, nowhere at all otherwise' -Skip:$IsWindows {
            # A child whose home, temp, config and cache folders and working folder are all under one root: after a
            # run that got a portrait, no file anywhere under it holds a JPEG.
            $root = Join-Path $TestDrive 'nowhere'
            $dirs = 'home', 'tmp', 'config', 'cache', 'cwd' | ForEach-Object { New-Item -ItemType Directory -Path (Join-Path $root $_) -Force }
            $run = Invoke-ChildPwsh -Environment @{ HOME = "$root/home"; TMPDIR = "$root/tmp"; XDG_CONFIG_HOME = "$root/config"; XDG_CACHE_HOME = "$root/cache" } -Script @"
Set-Location '$root/cwd'
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$r = Invoke-IdCardVerification https://cards.test/p.jpg -Sandbox -CheckpointPath '$root/cwd/run.jsonl'
'HASPORTRAIT=' + `$r.HasPortrait + ' PATH=' + `$r.PortraitPath
"@
            $run.Output | Should -Match 'HASPORTRAIT=True PATH=\s*$'
            $jpegs = Get-ChildItem -LiteralPath $root -Recurse -File | Where-Object {
                $bytes = [IO.File]::ReadAllBytes($_.FullName)
                (0..([Math]::Max(0, $bytes.Length - 3))) | Where-Object { $bytes[$_] -eq 0xFF -and $bytes[$_ + 1] -eq 0xD8 -and $bytes[$_ + 2] -eq 0xFF } | Select-Object -First 1
            }
            @($jpegs).Count | Should -Be 0 -Because "no file should hold the portrait: $($jpegs.FullName -join ', ')"
            # Asked for, it is written.
            $asked = Invoke-IdCardVerification https://cards.test/p.jpg -Sandbox -PortraitDirectory (Join-Path $TestDrive 'faces')
            [IO.File]::ReadAllBytes($asked.PortraitPath)[0..2] | Should -Be @(0xFF, 0xD8, 0xFF)
        }
    }

    Context 'Test-IdCardNumber' {
        It 'answers <Number> as <Valid>' -ForEach @(
            @{ Number = '11010119900307803X'; Valid = $true }
            @{ Number = '11010119900307803x'; Valid = $true }
            @{ Number = '110101199003078031'; Valid = $false }
            @{ Number = '11010119900230803X'; Valid = $false }
            @{ Number = ''; Valid = $false }
        ) {
            Test-IdCardNumber $Number | Should -Be $Valid
        }

        It 'gives every reason with -Detailed' {
            $report = Test-IdCardNumber 990101199002308031 -Detailed
            $report.IsValid | Should -BeFalse
            $report.Reasons.Count | Should -Be 3
            ($report.Reasons -join ' ') | Should -Match 'province code 99'
            ($report.Reasons -join ' ') | Should -Match 'not a real date'
            ($report.Reasons -join ' ') | Should -Match 'check character'
        }

        It 'reads province, birth date and sex' {
            $report = Test-IdCardNumber 11010119900307803X -Detailed
            $report.Province | Should -Be '北京'
            $report.BirthDate | Should -Be ([datetime]'1990-03-07')
            $report.Sex | Should -Be '男'
        }

        It 'checks the ID numbers of verification results from the pipeline' {
            $results = 'https://cards.test/a.jpg', 'https://cards.test/idmismatch.jpg' | Invoke-IdCardVerification -Sandbox -WarningAction SilentlyContinue
            $results | Test-IdCardNumber | Should -Be @($true, $false)
        }
    }

    Context 'Hostile and broken input' {
        It 'refuses <Case> for that row, with a clear reason, and goes on' -ForEach @(
            @{ Case = 'a javascript: URL'; Url = 'javascript:alert(1)'; Reason = "'javascript:' scheme" }
            @{ Case = 'credentials in the URL'; Url = 'https://admin:hunter2@cards.test/a.jpg'; Reason = 'user name or password' }
            @{ Case = 'a very long URL'; Url = 'https://cards.test/' + ('a' * 5000) + '.jpg'; Reason = 'characters long' }
        ) {
            $r = $Url, 'https://cards.test/fine.jpg' | Invoke-IdCardVerification @api -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidImageUrl,*'
            $errs[0].Exception.Message | Should -Match ([regex]::Escape($Reason))
            $errs[0].Exception.Message | Should -Not -Match 'hunter2'
            Get-EmulatorCalls $emu | Should -Be 1
        }

        It 'accepts a paid answer that starts with a UTF-8 byte-order mark, over HTTP and in the sandbox' {
            $r = Invoke-IdCardVerification https://cards.test/bom.jpg @api -MaxRetries 0
            $r.Verdict | Should -Be 'Match'
            $r.Result | Should -Be 'Success'
            (Invoke-IdCardVerification https://cards.test/bom.jpg -Sandbox).Verdict | Should -Be 'Match'
        }

        It 'sends non-ASCII hosts and paths as given' {
            $url = 'https://例子.测试/证件/身份证.jpg'
            $r = Invoke-IdCardVerification $url @api
            $r.ImageUrl | Should -Be $url
            ((Get-EmulatorLastRequest $emu).body | ConvertFrom-Json).image_url | Should -Be $url
        }

        It 'refuses a negative or zero throttle' {
            { Invoke-IdCardVerification https://cards.test/a.jpg -Sandbox -ThrottleLimit -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            { Invoke-IdCardVerification https://cards.test/a.jpg -Sandbox -ThrottleLimit 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }

        It 'stops reading a 50 MB answer and goes on with the next row' {
            $r = 'https://cards.test/huge.jpg', 'https://cards.test/after.jpg' | Invoke-IdCardVerification @api -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ResponseTooLarge,*'
        }

        It 'gives up on an answer that never ends after -TimeoutSec' {
            $r = 'https://cards.test/endless.jpg', 'https://cards.test/after.jpg' | Invoke-IdCardVerification @api -TimeoutSec 2 -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'Timeout,*'
        }

        It 'gives a defined result for a similarity of <Sim>' -ForEach @(@{ Sim = 'NaN' }, @{ Sim = '-1' }, @{ Sim = '101' }) {
            $r = Invoke-IdCardVerification "https://cards.test/sim-$Sim.jpg" @api -WarningVariable warns -WarningAction SilentlyContinue
            $r.Similarity | Should -BeNullOrEmpty
            $r.IsMatch | Should -BeFalse
            $r.Verdict | Should -Be 'Failed'
            $r.Inconsistencies | Should -Match 'similarity'
            $warns | Should -Not -BeNullOrEmpty
        }
    }
}
