#requires -Modules Pester
# What an admin sees in the field: a verdict that cannot mislead, one numbering, honest empty values,
# messages that say the fix, settings refused when they are
# given, and exports Excel reads.

Describe 'In the field' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api
    }

    AfterAll { Complete-TestFile $TestConfig }

    Context 'The verdict' {
        It 'never calls a card whose own data disagree a clean Match: it is Review, and a Match filter drops it' {
            $r = 'https://cards.test/agree.jpg', 'https://cards.test/idmismatch.jpg' | Invoke-IdCardVerification @api -WarningAction SilentlyContinue
            $r[0].Verdict | Should -Be 'Match'
            $r[1].Verdict | Should -Be 'Review'
            $r[1].IsMatch | Should -BeTrue -Because 'IsMatch stays the similarity decision'
            $r[1].Inconsistencies | Should -Not -BeNullOrEmpty
            @($r | Where-Object Verdict -EQ 'Match').ImageUrl | Should -Be @('https://cards.test/agree.jpg')
            ($r[1] | Format-Table | Out-String) | Should -Match 'Review'
            ($r[1] | Format-List | Out-String) | Should -Match 'Inconsistencies\s*:\s*\S'
        }

        It 'keeps Review when the row comes back from a masked journal, whose number can no longer be checked' {
            $journal = Join-Path $TestDrive 'review.jsonl'
            $first = Invoke-IdCardVerification https://cards.test/idmismatch.jpg -Sandbox -MaskPersonalData -CheckpointPath $journal -WarningAction SilentlyContinue
            $first.Verdict | Should -Be 'Review'
            $again = Invoke-IdCardVerification https://cards.test/idmismatch.jpg -Sandbox -MaskPersonalData -CheckpointPath $journal -WarningAction SilentlyContinue
            $again.FromCheckpoint | Should -BeTrue
            $again.Verdict | Should -Be 'Review'
            $again.Inconsistencies | Should -Be $first.Inconsistencies
        }
    }

    Context 'One numbering' {
        It 'numbers inputs from 1 in every message: <Case>' -ForEach @(
            @{ Case = 'a row without a URL column'; Row = [pscustomobject]@{ Photo = 'scans/a.jpg' }; ErrorId = 'MissingImageUrl' }
            @{ Case = 'a refused URL'; Row = [pscustomobject]@{ ImageUrl = 'ftp://cards.test/a.jpg' }; ErrorId = 'InvalidImageUrl' }
        ) {
            $null = $Row, [pscustomobject]@{ ImageUrl = 'ftp://cards.test/b.jpg' } | Invoke-IdCardVerification -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errs[0].Exception.Message | Should -Match '^Input 1 '
            $errs[1].Exception.Message | Should -Match '^Input 2 '
        }
    }

    Context 'Every input row comes back' {
        It 'with -IncludeFailed, yields a Verdict Error row in place of each failed input, its columns kept, and still writes the error' {
            $rows = @(
                [pscustomobject]@{ EmployeeId = 'E1'; ImageUrl = 'https://cards.test/ok1.jpg' }
                [pscustomobject]@{ EmployeeId = 'E2'; ImageUrl = 'C:\scans\110105194912310021.jpg' }
                [pscustomobject]@{ EmployeeId = 'E3'; ImageUrl = 'https://cards.test/error-forbidden.jpg' }
                [pscustomobject]@{ EmployeeId = 'E4'; ImageUrl = 'https://cards.test/ok4.jpg' }
            )
            $r = $rows | Invoke-IdCardVerification @api -IncludeFailed -MaxRetries 0 -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.EmployeeId | Should -Be @('E1', 'E2', 'E3', 'E4')
            $r.Verdict | Should -Be @('Match', 'Error', 'Error', 'Match')
            $r[1].ErrorId | Should -Be 'InvalidImageUrl'
            $r[1].ErrorMessage | Should -Match 'names a file'
            $r[1].ErrorMessage | Should -Not -Match '110105194912310021'
            $r[2].ErrorId | Should -Be 'Forbidden'
            $r[2].StatusCode | Should -Be 403
            @($errs).Count | Should -Be 2
            $csv = Join-Path $TestDrive 'all-rows.csv'
            $r | Export-Csv $csv -NoTypeInformation
            (Import-Csv $csv).EmployeeId | Should -Be @('E1', 'E2', 'E3', 'E4')
        }

        It 'takes -IncludeFailed as a default from Set-IdCardVerifyConfig' {
            Set-IdCardVerifyConfig -IncludeFailed
            try {
                (Get-IdCardVerifyConfig).IncludeFailed | Should -BeTrue
                $r = 'ftp://cards.test/a.jpg' | Invoke-IdCardVerification -Sandbox -ErrorAction SilentlyContinue
                $r.Verdict | Should -Be 'Error'
                @('ftp://cards.test/a.jpg' | Invoke-IdCardVerification -Sandbox -IncludeFailed:$false -ErrorAction SilentlyContinue).Count | Should -Be 0
            }
            finally { Set-IdCardVerifyConfig -IncludeFailed:$false }
        }

        It 'keeps the results obtained before a run stops, calls nothing after, and reports once how many were left' {
            $urls = @(1..5 | ForEach-Object { "https://cards.test/paid$_.jpg" }) + @('https://cards.test/error-used_up.jpg') + @(1..30 | ForEach-Object { "https://cards.test/left$_.jpg" })
            Reset-Emulator $emu
            $r = $urls | Invoke-IdCardVerification @api -ThrottleLimit 1 -ErrorVariable errs -ErrorAction Continue 2>$null
            # Every result obtained is kept: the five before the stop, and any that completed while it was being processed.
            @($r).Count | Should -BeGreaterOrEqual 5
            $r.ImageUrl[0..4] | Should -Be $urls[0..4]
            $r | Select-Object -Skip 5 | ForEach-Object { $_.ImageUrl | Should -BeIn $urls[6..35] }
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'UsedUp,*'
            $errs[0].TargetObject | Should -Be $urls[5]
            "$($errs[0])" | Should -Match 'stopped at input 6'
            "$($errs[0])" -match '(\d+) input\(s\) were left unverified' | Should -BeTrue
            (@($r).Count - 5) + [int]$Matches[1] | Should -Be 30 -Because 'every input after the stop is either a result obtained or counted as unverified'
            $errs[0].ErrorDetails.RecommendedAction | Should -Match 'Top it up'
            Get-EmulatorCalls $emu | Should -BeLessOrEqual 10
        }

        It 'accounts for every input of a stopped run with -IncludeFailed' {
            $urls = @('https://cards.test/paid.jpg', 'https://cards.test/error-invalid_token.jpg') + @(1..4 | ForEach-Object { "https://cards.test/after$_.jpg" })
            $r = $urls | Invoke-IdCardVerification @api -ThrottleLimit 1 -IncludeFailed -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 6
            $r.ImageUrl | Should -Be $urls
            [string]$r[0].Verdict | Should -Be 'Match'
            [string]$r[1].Verdict | Should -Be 'Error'
            $r[1].ErrorId | Should -Be 'InvalidToken'
            # After the stop: results that were already on their way, then inputs never verified.
            $after = @($r | Select-Object -Skip 2)
            $firstNotVerified = [array]::FindIndex([object[]]$after, [Predicate[object]] { param($x) $x.ErrorId -eq 'NotVerified' })
            $firstNotVerified | Should -BeGreaterOrEqual 0
            $after | Select-Object -Skip $firstNotVerified | ForEach-Object { $_.ErrorId | Should -Be 'NotVerified' }
        }

        It 'still throws at once under -ErrorAction Stop' {
            { 'https://cards.test/error-used_up.jpg', 'https://cards.test/x.jpg' | Invoke-IdCardVerification @api -ErrorAction Stop } | Should -Throw -ErrorId 'UsedUp,*'
        }
    }

    Context 'A file-wide input problem is one error' {
        It 'reports a semicolon file read without -Delimiter once, suggesting -Delimiter' {
            $csv = Join-Path $TestDrive 'semicolon.csv'
            Set-Content $csv -Value (@('EmployeeId;ImageUrl') + (1..50 | ForEach-Object { "E$_;https://cards.test/s$_.jpg" }))
            $r = Import-Csv $csv | Invoke-IdCardVerification -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 0
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'MissingImageUrl,*'
            $errs[0].Exception.Message | Should -Match "Import-Csv -Delimiter ';'"
        }

        It 'suggests for a TAB file (Excel''s "Unicode Text") a -Delimiter that pastes as it is written' {
            $txt = Join-Path $TestDrive 'unicode.txt'
            Set-Content $txt -Encoding unicode -Value (@("EmployeeId`tImageUrl") + (1..5 | ForEach-Object { "E$_`thttps://cards.test/t$_.jpg" }))
            $null = Import-Csv $txt | Invoke-IdCardVerification -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match 'a TAB between its columns: read it with Import-Csv -Delimiter "`t"'
            # Pasted as the message writes it, it reads the file.
            $fix = [regex]::Match($errs[0].Exception.Message, '-Delimiter (\S+)\.').Groups[1].Value
            (Invoke-Expression "Import-Csv '$txt' -Delimiter $fix" | Invoke-IdCardVerification -Sandbox).Count | Should -Be 5
        }

        It 'reads a column named Photo, the rows'' only column of URLs, and names it once in verbose output' {
            $rows = 1..20 | ForEach-Object { [pscustomobject]@{ Id = $_; Photo = "https://cards.test/p$_.jpg" } }
            $out = $rows | Invoke-IdCardVerification -Sandbox -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1
            @($errs).Count | Should -Be 0
            @($out | Where-Object { $_ -is [IdCardVerify.VerificationResult] }).Count | Should -Be 20
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match "column 'Photo'" }).Count | Should -Be 1
        }

        It 'reports a column of file names once, suggesting how to map it' {
            $rows = 1..20 | ForEach-Object { [pscustomobject]@{ Id = $_; Photo = "p$_.jpg" } }
            $null = $rows | Invoke-IdCardVerification -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            @($errs).Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match ([regex]::Escape("@{n='ImageUrl';e={`$_.Photo}}"))
        }

        It 'takes piped files as local files, and says of each that is no image what it is' {
            $dir = Join-Path $TestDrive 'scans'
            New-Item -ItemType Directory $dir | Out-Null
            1..5 | ForEach-Object { Set-Content (Join-Path $dir "card$_.jpg") -Value 'x' }
            $r = Get-ChildItem $dir | Invoke-IdCardVerification -Sandbox -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            @($errs).Count | Should -Be 5
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ImageFormatUnsupported,*'
            $errs[0].Exception.Message | Should -Match 'card1.jpg'
            $errs[0].Exception.Message | Should -Match 'neither JPEG nor PNG'
            @($r).Count | Should -Be 5 -Because 'with -IncludeFailed every file is still accounted for'
        }
    }

    Context 'Personal data at rest' {
        It 'creates the journal, the portrait folder and the portraits readable by their owner alone' {
            if ($IsWindows) { Set-ItResult -Skipped -Because 'Windows files inherit their folder''s access list'; return }
            $journal = Join-Path $TestDrive 'private/run.jsonl'
            $faces = Join-Path $TestDrive 'faces'
            $r = 'https://cards.test/private1.jpg', 'https://cards.test/private2.jpg' | Invoke-IdCardVerification -Sandbox -CheckpointPath $journal -PortraitDirectory $faces
            (Get-Item $journal).UnixMode | Should -Be '-rw-------'
            (Get-Item (Split-Path $journal)).UnixMode | Should -Be 'drwx------'
            (Get-Item $faces).UnixMode | Should -Be 'drwx------'
            foreach ($p in $r.PortraitPath) { (Get-Item $p).UnixMode | Should -Be '-rw-------' }
            $saved = $r[0].SavePortrait((Join-Path $TestDrive 'saved.jpg'))
            (Get-Item $saved).UnixMode | Should -Be '-rw-------'
        }
    }

    Context '-Debug' {
        It 'shows debug messages and never prompts, in a non-interactive host' {
            $script = @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$r = Invoke-IdCardVerification https://cards.test/debug.jpg -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -Debug
'VERDICT=' + `$r.Verdict
Get-IdCardVerifyConfig -Debug | Out-Null
'DONE'
"@
            $run = Invoke-ChildPwsh -Script $script
            $run.Output | Should -Not -Match 'NonInteractive mode'
            $run.Output | Should -Match 'API token source: Parameter'
            $run.Output | Should -Match 'VERDICT=Match'
            $run.Output | Should -Match 'DONE'
        }
    }

    Context 'Empty values' {
        It 'leaves Quality empty when the quality check was not asked for, and fills it when it was' {
            $plain = Invoke-IdCardVerification https://cards.test/q.jpg -Sandbox
            $plain.Quality | Should -BeNullOrEmpty
            $csv = Join-Path $TestDrive 'quality.csv'
            $plain | Export-Csv $csv -NoTypeInformation
            (Import-Csv $csv).Quality | Should -BeNullOrEmpty
            (Invoke-IdCardVerification https://cards.test/quality-85.jpg -Sandbox -QualityWarn).Quality | Should -Be 85
        }
    }

    Context 'Messages that say the fix' {
        It 'ends the reason of a refused connection with a full stop' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $null = Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint "http://127.0.0.1:$port/x" -Token 'field-token-1234' -MaxRetries 0 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match '[.!?] Check the network'
        }

        It 'does not blame the API for a gateway''s 503 page' {
            $null = Invoke-IdCardVerification https://cards.test/http-503.jpg @api -MaxRetries 0 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match 'proxy or gateway answered'
            $errs[0].Exception.Message | Should -Not -Match 'failed internally'
        }

        It 'recommends the fix for <Code>, then the trace id' -ForEach @(
            @{ Code = 'used_up'; Fix = 'Top it up' }
            @{ Code = 'invalid_token'; Fix = 'Set a valid token' }
        ) {
            $err = { Invoke-IdCardVerification "https://cards.test/error-$Code.jpg" @api -ErrorAction Stop } | Should -Throw -PassThru
            $err.ErrorDetails.RecommendedAction | Should -Match $Fix
            $err.ErrorDetails.RecommendedAction | Should -Match 'trace id'
        }
    }

    Context 'Settings refused when they are given' {
        BeforeAll { Set-IdCardVerifyConfig -Reset }
        It 'refuses a token with spaces inside when it is set, not at the first call' {
            { Set-IdCardVerifyConfig -Token 'Bearer  abc def' } | Should -Throw -ErrorId 'InvalidTokenFormat,*'
            (Get-IdCardVerifyConfig).TokenSource | Should -Be 'None'
        }

        It 'says, under -WhatIf, once that no token was found, and how many calls it would pay for' {
            $null = 'https://cards.test/a.jpg', 'https://cards.test/b.jpg' | Invoke-IdCardVerification -WhatIf -WarningVariable warns -WarningAction SilentlyContinue -InformationVariable info 6>$null
            ($warns -join "`n") | Should -Match 'No API token was found'
            ([regex]::Matches(($warns -join "`n"), 'No API token was found')).Count | Should -Be 1
            ($info -join "`n") | Should -Match 'What if: 2 billable call\(s\) would be made'
            $null = Invoke-IdCardVerification https://cards.test/a.jpg -WhatIf -Token abc -WarningVariable quiet -WarningAction SilentlyContinue 6>$null
            $quiet | Should -BeNullOrEmpty
        }
    }

    Context 'Help' {
        It 'gives each about topic its own synopsis, not the SHORT DESCRIPTION heading' {
            $run = Invoke-ChildPwsh -Script "Import-Module '$env:IDCARDVERIFY_TEST_MODULE'; Get-Help about_IdCard* | ForEach-Object { 'SYN=' + `$_.Synopsis }"
            $run.Output | Should -Not -Match 'SYN=SHORT DESCRIPTION'
            $run.Output | Should -Match 'SYN=Verifies Chinese resident ID cards'
        }
    }

    Context 'Excel' {
        It 'has the demo write its CSV with a byte-order mark, so Excel reads the names as UTF-8' {
            $out = Join-Path $TestDrive 'demo.csv'
            $run = Invoke-ChildPwsh -Script "& '$(Join-Path $PSScriptRoot '../samples/Invoke-Demo.ps1')' -ModulePath '$env:IDCARDVERIFY_TEST_MODULE' -InputCsv '$(Join-Path $PSScriptRoot '../samples/applicants.csv')' -OutputCsv '$out'"
            $run.ExitCode | Should -Be 0
            $bytes = [IO.File]::ReadAllBytes($out)
            $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        }
    }
}
