#requires -Modules Pester
# What an admin sees in the field: a verdict that cannot mislead, one numbering, honest empty values,
# Test-IdCardNumber on what people paste, messages that say the fix, settings refused when they are
# given, and exports Excel reads.

Describe 'In the field' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module $env:IDCARDVERIFY_TEST_MODULE -Force
        $script:emu = Start-Emulator
        $script:api = @{ Endpoint = $emu.Endpoint; Token = $emu.Token }
    }

    AfterAll { Stop-Emulator $emu }

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
            @{ Case = 'a row without a URL column'; Row = [pscustomobject]@{ Photo = 'https://cards.test/a.jpg' }; ErrorId = 'MissingImageUrl' }
            @{ Case = 'a refused URL'; Row = [pscustomobject]@{ ImageUrl = 'ftp://cards.test/a.jpg' }; ErrorId = 'InvalidImageUrl' }
        ) {
            $null = $Row, [pscustomobject]@{ ImageUrl = 'ftp://cards.test/b.jpg' } | Invoke-IdCardVerification -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errs[0].Exception.Message | Should -Match '^Input 1 '
            $errs[1].Exception.Message | Should -Match '^Input 2 '
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

    Context 'Test-IdCardNumber on what people paste' {
        It 'recognises a first-generation 15-digit number and gives its 18-digit form' {
            $report = Test-IdCardNumber 110105491231002 -Detailed
            $report.IsValid | Should -BeFalse
            @($report.Reasons).Count | Should -Be 1
            $report.Reasons[0] | Should -Match 'first-generation 15-digit number'
            $report.Reasons[0] | Should -Not -Match 'not a real date'
            $report.IdNumber18 | Should -Be '11010519491231002X'
            Test-IdCardNumber $report.IdNumber18 | Should -BeTrue
            $report.BirthDate | Should -Be ([datetime]'1949-12-31')
            $report.Sex | Should -Be '女'
            $report.Province | Should -Be '北京'
        }

        It 'reads full-width digits and Ｘ as ASCII, with a note' {
            $report = Test-IdCardNumber '１１０１０１１９９００３０７８０３Ｘ' -Detailed
            $report.IsValid | Should -BeTrue
            $report.IdNumber18 | Should -Be '11010119900307803X'
            $report.Notes | Should -Match 'full-width'
            (Test-IdCardNumber 11010119900307803X -Detailed).Notes | Should -BeNullOrEmpty
        }

        It 'shows BirthDate as a date' {
            $shown = Test-IdCardNumber 11010119900307803X -Detailed | Out-String
            $shown | Should -Match 'BirthDate\s*:\s*1990-03-07\s'
            $shown | Should -Not -Match '00:00:00'
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
            $err = { Invoke-IdCardVerification "https://cards.test/error-$Code.jpg" @api } | Should -Throw -PassThru
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

        It 'says, under -WhatIf, that no token was found' {
            $null = Invoke-IdCardVerification https://cards.test/a.jpg -WhatIf -WarningVariable warns -WarningAction SilentlyContinue
            ($warns -join "`n") | Should -Match 'No API token was found'
            $null = Invoke-IdCardVerification https://cards.test/a.jpg -WhatIf -Token abc -WarningVariable quiet -WarningAction SilentlyContinue
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
