#requires -Modules Pester
# The part of the suite that also runs in Windows PowerShell 5.1 (Invoke-PesterSuite.ps1 -Tag Desktop,
# as the windows-powershell job of .github/workflows/ci.yml runs it): written in the language both
# editions share (no ternaries, no -Parallel, no $IsWindows, no utf8BOM), needing no emulator or child
# process. It runs in every PowerShell 7 run too, so its logic is tested wherever the suite runs.

Describe 'On every edition' -Tag 'Desktop' {
    BeforeAll {
        Import-Module $env:IDCARDVERIFY_TEST_MODULE -Force
        $script:onWindows = [Environment]::OSVersion.Platform -eq [PlatformID]::Win32NT
        $script:work = Join-Path ([IO.Path]::GetTempPath()) ('idcv-desktop-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
    }

    AfterAll {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'imports, loads its JSON library, and verifies in the sandbox' {
        $r = Invoke-IdCardVerification 'https://cards.example.com/desktop.jpg' -Sandbox
        $r.Verdict | Should -Be 'Match'
        $r.IdNumber | Should -Match '^\d{17}[\dX]$'
        $r.HasPortrait | Should -BeTrue
    }

    It 'keeps every row of a CSV, in order, with its columns and -IncludeFailed' {
        $rows = @(
            [pscustomobject]@{ EmployeeId = 'D1'; ImageUrl = 'https://cards.example.com/d1.jpg' }
            [pscustomobject]@{ EmployeeId = 'D2'; ImageUrl = 'C:\scans\d2.jpg' }
            [pscustomobject]@{ EmployeeId = 'D3'; ImageUrl = 'https://cards.example.com/idmismatch.jpg' }
        )
        $r = $rows | Invoke-IdCardVerification -Sandbox -IncludeFailed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($r | ForEach-Object { $_.EmployeeId }) | Should -Be @('D1', 'D2', 'D3')
        @($r | ForEach-Object { [string]$_.Verdict }) | Should -Be @('Match', 'Error', 'Review')
        $csv = Join-Path $work 'rows.csv'
        $r | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding UTF8
        @(Import-Csv -LiteralPath $csv).Count | Should -Be 3
    }

    It 'decides offline' {
        Test-IdCardNumber '11010119900307803X' | Should -BeTrue
        (Test-IdCardNumber '110105491231002' -Detailed).IdNumber18 | Should -Be '11010519491231002X'
        Test-IdCardSimilarity -Similarity 85 -Threshold 80 | Should -BeTrue
    }

    It 'writes the review report' {
        $page = Join-Path $work 'review.html'
        $null = 'https://cards.example.com/nomatch.jpg' | Invoke-IdCardVerification -Sandbox | Export-IdCardVerificationReport -Path $page
        Get-Content -LiteralPath $page -Raw -Encoding UTF8 | Should -Match 'data-verdict="NoMatch"'
    }

    It 'keeps a token in the CurrentUser store without writing it in clear where DPAPI is there' {
        $token = 'desktop-store-token-0123456789'
        Set-IdCardVerifyConfig -Scope CurrentUser -Token $token
        try {
            $stored = Get-IdCardVerifyConfig -Scope CurrentUser
            [string]$stored.TokenSource | Should -Be 'CurrentUser'
            $text = Get-Content -LiteralPath $stored.StorePath -Raw
            if ($onWindows) {
                $text.Contains($token) | Should -BeFalse -Because 'DPAPI protects the token on Windows'
            }
            else {
                $text.Contains($token) | Should -BeTrue -Because 'elsewhere the 0600 file is the protection'
            }
        }
        finally { Set-IdCardVerifyConfig -Scope CurrentUser -Reset }
    }
}
