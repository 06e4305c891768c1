#requires -Modules Pester
# Where admins run the module: hosts with several runspaces, runbooks with no profile.

Describe 'In the enterprise' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator
        $script:emu = $TestConfig.Emulator
    }

    AfterAll {
        Set-IdCardVerifyConfig -Reset
        Complete-TestFile $TestConfig
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

    Context 'Proxies' {
        BeforeAll {
            $script:proxyPassword = 'pr0xy-S3cret!9'
            $script:proxy = Start-TestProxy -User 'proxyuser' -Password $proxyPassword
            $script:proxyCredential = [pscredential]::new('proxyuser', (ConvertTo-SecureString $proxyPassword -AsPlainText -Force))
            $script:api = @{ Endpoint = $emu.Endpoint; Token = $emu.Token }
        }

        AfterAll {
            Set-IdCardVerifyConfig -Reset
            Stop-Emulator $proxy
        }

        It 'goes through a proxy that asks for Basic credentials when -ProxyCredential gives them' {
            Reset-Emulator $emu
            $before = Get-TestProxyCount $proxy
            $r = 1..3 | ForEach-Object { "https://cards.test/proxied$_.jpg" } | Invoke-IdCardVerification @api -Proxy $proxy.Address -ProxyCredential $proxyCredential
            $r.Verdict | Should -Be @('Match', 'Match', 'Match')
            ((Get-TestProxyCount $proxy).Forwarded - $before.Forwarded) | Should -Be 3
            Get-EmulatorCalls $emu | Should -Be 3
        }

        It 'stops with ProxyAuthenticationRequired, naming the fix, <Case>' -ForEach @(
            @{ Case = 'without credentials'; Credential = $null }
            @{ Case = 'with a wrong password'; Credential = 'wrong' }
        ) {
            Reset-Emulator $emu
            $extra = @{}
            if ($Credential) { $extra.ProxyCredential = [pscredential]::new('proxyuser', (ConvertTo-SecureString $Credential -AsPlainText -Force)) }
            $r = 1..5 | ForEach-Object { "https://cards.test/refused$_.jpg" } |
                Invoke-IdCardVerification @api -Proxy $proxy.Address @extra -MaxRetries 0 -ErrorVariable errs -ErrorAction Continue 2>$null
            @($r).Count | Should -Be 0
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ProxyAuthenticationRequired,*'
            $errs[0].Exception.StatusCode | Should -Be 407
            "$($errs[0])" | Should -Match '-ProxyCredential'
            Get-EmulatorCalls $emu | Should -Be 0
        }

        It 'connects directly with -NoProxy, over a session''s proxy' {
            Set-IdCardVerifyConfig -Proxy $proxy.Address -ProxyCredential $proxyCredential
            try {
                (Get-IdCardVerifyConfig).Proxy | Should -Be $proxy.Address
                (Get-IdCardVerifyConfig).ProxyUser | Should -Be 'proxyuser'
                $before = Get-TestProxyCount $proxy
                (Invoke-IdCardVerification https://cards.test/direct.jpg @api -NoProxy).Verdict | Should -Be 'Match'
                (Get-TestProxyCount $proxy).Forwarded | Should -Be $before.Forwarded
                (Invoke-IdCardVerification https://cards.test/via-session.jpg @api).Verdict | Should -Be 'Match'
                (Get-TestProxyCount $proxy).Forwarded | Should -Be ($before.Forwarded + 1)
            }
            finally { Set-IdCardVerifyConfig -Reset }
        }

        It 'keeps proxy settings out of the CurrentUser store' {
            { Set-IdCardVerifyConfig -Scope CurrentUser -Proxy $proxy.Address } | Should -Throw -ErrorId 'ProxySessionOnly,*'
        }

        It 'never shows the proxy password, in any stream or error' {
            $out = & {
                Set-IdCardVerifyConfig -Proxy $proxy.Address -ProxyCredential $proxyCredential -Verbose
                Get-IdCardVerifyConfig | Format-List * | Out-String
                Invoke-IdCardVerification https://cards.test/sweep.jpg @api -Verbose -Debug | Format-List * | Out-String
                $wrong = [pscredential]::new('proxyuser', (ConvertTo-SecureString 'wrong-pass-77' -AsPlainText -Force))
                Invoke-IdCardVerification https://cards.test/sweep2.jpg @api -ProxyCredential $wrong -MaxRetries 0 -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue
                $errs | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }
                Set-IdCardVerifyConfig -Reset
            } *>&1 | Out-String
            $out | Should -Match 'ProxyAuthenticationRequired'
            $out.Contains($proxyPassword) | Should -BeFalse
            $out.Contains('wrong-pass-77') | Should -BeFalse
        }
    }

    Context 'The token from a secret vault' {
        BeforeAll {
            $script:standIns = Join-Path $PSScriptRoot 'StandIns'
            $script:secrets = Join-Path $TestDrive 'secrets.json'
            @{
                'idcv-secure' = @{ type = 'SecureString'; value = $emu.Token; vault = 'TestVault' }
                'idcv-text'   = @{ type = 'Text'; value = $emu.Token; vault = 'TestVault' }
                'idcv-cred'   = @{ type = 'PSCredential'; value = $emu.Token; vault = 'TestVault' }
                'idcv-locked' = @{ type = 'Locked'; value = $emu.Token; vault = 'TestVault' }
            } | ConvertTo-Json | Set-Content -LiteralPath $secrets
            $script:sep = [IO.Path]::PathSeparator

            function Invoke-WithVault([string] $Body, [switch] $NoSecretManagement, [hashtable] $Environment = @{}) {
                $modulePath = if ($NoSecretManagement) { Join-Path $PSHOME 'Modules' } else { "$standIns$sep$(Join-Path $PSHOME 'Modules')" }
                $environment = @{ PSModulePath = $modulePath; IDCV_TEST_SECRETS = $secrets; XDG_CONFIG_HOME = (Join-Path $TestDrive 'vault-config') } + $Environment
                Invoke-ChildPwsh -Environment $environment -Script @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$urls = 'https://cards.test/v1.jpg', 'https://cards.test/v2.jpg', 'https://cards.test/v3.jpg'
$Body
"@
            }
        }

        It 'reads the token with Get-Secret when it is a <Type>, once per run, and says Vault with the secret''s name' -ForEach @(
            @{ Type = 'SecureString'; Name = 'idcv-secure' }
            @{ Type = 'string'; Name = 'idcv-text' }
            @{ Type = 'PSCredential'; Name = 'idcv-cred' }
        ) {
            $run = Invoke-WithVault @"
Set-IdCardVerifyConfig -SecretName '$Name' -Vault TestVault
`$c = Get-IdCardVerifyConfig
'SOURCE=' + `$c.TokenSource + ' NAME=' + `$c.SecretName + ' VAULT=' + `$c.Vault
`$r = `$urls | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)'
'VERDICTS=' + (`$r.Verdict -join ',')
'CALLS=' + `$env:IDCV_TEST_SECRET_CALLS
"@
            $run.Output | Should -Match "SOURCE=Vault NAME=$Name VAULT=TestVault"
            $run.Output | Should -Match 'VERDICTS=Match,Match,Match'
            $run.Output | Should -Match 'CALLS=1\b'
            $run.Output | Should -Not -Match ([regex]::Escape($emu.Token))
        }

        It 'is one clear error naming the module when SecretManagement is not installed' {
            $run = Invoke-WithVault -NoSecretManagement @"
Set-IdCardVerifyConfig -SecretName idcv-secure
try { Invoke-IdCardVerification https://cards.test/v.jpg -Endpoint '$($emu.Endpoint)' -ErrorAction Stop } catch { 'ERR=' + `$_.FullyQualifiedErrorId + ' ' + `$_ }
"@
            $run.Output | Should -Match 'ERR=SecretManagementNotInstalled'
            $run.Output | Should -Match 'Microsoft\.PowerShell\.SecretManagement'
        }

        It 'is a clear error, not a hang, when a locked vault would prompt in a host that cannot' {
            $run = Invoke-WithVault @"
Set-IdCardVerifyConfig -SecretName idcv-locked
try { Invoke-IdCardVerification https://cards.test/v.jpg -Endpoint '$($emu.Endpoint)' -ErrorAction Stop } catch { 'ERR=' + `$_.FullyQualifiedErrorId + ' ' + `$_ }
"@
            $run.Output | Should -Match 'ERR=SecretVaultLocked'
            $run.Output | Should -Match 'Unlock-SecretStore'
        }

        It 'comes after the environment and before the CurrentUser store, and the store keeps only the reference' {
            $run = Invoke-WithVault -Environment @{ ACEDATACLOUD_API_TOKEN = 'env-token-0123456789' } @"
Set-IdCardVerifyConfig -Scope CurrentUser -SecretName idcv-secure -Token 'stored-token-0123456789'
'ENV=' + (Get-IdCardVerifyConfig).TokenSource
`$env:ACEDATACLOUD_API_TOKEN = `$null
'NOENV=' + (Get-IdCardVerifyConfig).TokenSource
'STORED=' + (Get-IdCardVerifyConfig -Scope CurrentUser).TokenSource
'FILE=' + (Get-Content -Raw (Get-IdCardVerifyConfig -Scope CurrentUser).StorePath)
"@
            $run.Output | Should -Match 'ENV=Environment'
            $run.Output | Should -Match 'NOENV=Vault'
            $run.Output | Should -Match 'STORED=Vault'
            $run.Output | Should -Match '"secretName":\s*"idcv-secure"'
            $run.Output | Should -Not -Match ([regex]::Escape($emu.Token))
        }
    }

    Context 'Runbooks with no profile' {
        It 'imports and verifies with the environment token where no home folder is set, and says so only when the store is needed' -Skip:$IsWindows {
            $script = @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
'IMPORTED'
`$config = Get-IdCardVerifyConfig
'SOURCE=' + `$config.TokenSource
'STORE=[' + `$config.StorePath + ']'
'VERDICT=' + (Invoke-IdCardVerification https://cards.test/runbook.jpg -Endpoint '$($emu.Endpoint)').Verdict
try { Set-IdCardVerifyConfig -Scope CurrentUser -Threshold 75 } catch { 'STOREERROR=' + `$_.FullyQualifiedErrorId + ' ' + `$_ }
"@
            # pwsh's own cache (not the module's store) is kept out of the working folder.
            $run = Invoke-ChildPwsh -Script $script -Environment @{ HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = (Join-Path $TestDrive 'pwsh-cache'); ACEDATACLOUD_API_TOKEN = $emu.Token }
            $run.Output | Should -Match 'IMPORTED'
            $run.Output | Should -Match 'SOURCE=Environment'
            $run.Output | Should -Match 'STORE=\[\]'
            $run.Output | Should -Match 'VERDICT=Match'
            $run.Output | Should -Match 'STOREERROR=StoreUnavailable'
            $run.Output | Should -Match 'ACEDATACLOUD_API_TOKEN'
        }

        It 'says, when the store is needed, that a read-only home cannot hold it' -Skip:(-not $IsLinux) {
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
