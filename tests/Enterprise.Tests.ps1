#requires -Modules Pester
# Where admins run the module: hosts with several runspaces, runbooks with no profile.

Describe 'In the enterprise' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module $env:IDCARDVERIFY_TEST_MODULE -Force
        $script:emu = Start-Emulator
    }

    AfterAll {
        Set-IdCardVerifyConfig -Reset
        Stop-Emulator $emu
    }

    Context 'One session per runspace' {
        BeforeEach {
            Set-IdCardVerifyConfig -Reset
            Set-IdCardVerifyConfig -Threshold 81
        }

        It 'keeps a ThreadJob''s settings in the job' {
            $module = $env:IDCARDVERIFY_TEST_MODULE
            $inJob = Start-ThreadJob {
                Import-Module $using:module
                Set-IdCardVerifyConfig -Threshold 55 -Token 'job-token-0123456789' -Endpoint 'http://127.0.0.1:1/x'
                $config = Get-IdCardVerifyConfig
                Set-IdCardVerifyConfig -Reset
                $config
            } | Receive-Job -Wait -AutoRemoveJob
            $inJob.Threshold | Should -Be 55
            $inJob.TokenSource | Should -Be 'Session'
            $mine = Get-IdCardVerifyConfig
            $mine.Threshold | Should -Be 81 -Because 'the job''s settings and its -Reset are its own'
            $mine.TokenSource | Should -Not -Be 'Session'
            $mine.Endpoint.ToString() | Should -Not -Match '127\.0\.0\.1:1/'
        }

        It 'keeps each ForEach-Object -Parallel block''s settings in the block' {
            $module = $env:IDCARDVERIFY_TEST_MODULE
            $seen = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
                Import-Module $using:module
                Set-IdCardVerifyConfig -Threshold (60 + $_)
                Start-Sleep -Milliseconds 200
                (Get-IdCardVerifyConfig).Threshold
            }
            ($seen | Sort-Object) | Should -Be @(61, 62, 63)
            (Get-IdCardVerifyConfig).Threshold | Should -Be 81
        }

        It 'keeps two runspaces of one host apart' {
            $a = [powershell]::Create(); $b = [powershell]::Create()
            try {
                foreach ($ps in $a, $b) { $null = $ps.AddCommand('Import-Module').AddArgument($env:IDCARDVERIFY_TEST_MODULE).Invoke(); $ps.Commands.Clear() }
                $null = $a.AddScript('Set-IdCardVerifyConfig -Threshold 91').Invoke(); $a.Commands.Clear()
                $null = $b.AddScript('Set-IdCardVerifyConfig -Threshold 92').Invoke(); $b.Commands.Clear()
                $null = $a.AddScript('Set-IdCardVerifyConfig -Reset').Invoke(); $a.Commands.Clear()
                $a.AddScript('(Get-IdCardVerifyConfig).Threshold').Invoke()[0] | Should -Be 70
                $b.AddScript('(Get-IdCardVerifyConfig).Threshold').Invoke()[0] | Should -Be 92
            }
            finally { $a.Dispose(); $b.Dispose() }
        }
    }

    Context 'Runbooks with no profile' {
        It 'imports and verifies with the environment token where no home folder is set, and says so only when the store is needed' {
            $script = @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
'IMPORTED'
`$config = Get-IdCardVerifyConfig
'SOURCE=' + `$config.TokenSource
'STORE=[' + `$config.StorePath + ']'
'VERDICT=' + (Invoke-IdCardVerification https://cards.test/runbook.jpg -Endpoint '$($emu.Endpoint)').Verdict
try { Set-IdCardVerifyConfig -Scope CurrentUser -Threshold 75 } catch { 'STOREERROR=' + `$_.FullyQualifiedErrorId + ' ' + `$_ }
"@
            $run = Invoke-ChildPwsh -Script $script -Environment @{ HOME = $null; XDG_CONFIG_HOME = $null; ACEDATACLOUD_API_TOKEN = $emu.Token }
            $run.Output | Should -Match 'IMPORTED'
            $run.Output | Should -Match 'SOURCE=Environment'
            $run.Output | Should -Match 'STORE=\[\]'
            $run.Output | Should -Match 'VERDICT=Match'
            $run.Output | Should -Match 'STOREERROR=StoreUnavailable'
            $run.Output | Should -Match 'ACEDATACLOUD_API_TOKEN'
        }

        It 'says, when the store is needed, that a read-only home cannot hold it' {
            $script = @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
(Get-IdCardVerifyConfig).TokenSource
try { Set-IdCardVerifyConfig -Scope CurrentUser -Threshold 75 } catch { 'STOREERROR=' + `$_.FullyQualifiedErrorId + ' ' + `$_ }
"@
            # /proc refuses new folders even to root: a home no one can write.
            $run = Invoke-ChildPwsh -Script $script -Environment @{ XDG_CONFIG_HOME = '/proc/idcv-readonly' }
            $run.Output | Should -Match 'STOREERROR=StoreUnavailable'
            $run.Output | Should -Match 'cannot be written'
        }

        It 'keeps result objects small when serialized, as a job stream does: no portrait bytes' {
            $r = Invoke-IdCardVerification https://cards.test/serialize.jpg -Sandbox
            $r.HasPortrait | Should -BeTrue
            $xml = [System.Management.Automation.PSSerializer]::Serialize($r)
            $xml.Length | Should -BeLessThan 20000
            $xml | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String($r.GetPortrait())))
        }
    }
}
