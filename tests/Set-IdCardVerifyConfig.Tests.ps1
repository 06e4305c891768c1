#requires -Modules Pester
# Set-IdCardVerifyConfig / Get-IdCardVerifyConfig, Process scope, as a user runs them.

Describe 'Set-IdCardVerifyConfig and Get-IdCardVerifyConfig' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator
        $script:emu = $TestConfig.Emulator
        $script:savedEnvToken = $env:ACEDATACLOUD_API_TOKEN
    }

    AfterAll {
        Complete-TestFile $TestConfig
        $env:ACEDATACLOUD_API_TOKEN = $savedEnvToken
        Set-IdCardVerifyConfig -Reset
    }

    BeforeEach {
        Set-IdCardVerifyConfig -Reset
        $env:ACEDATACLOUD_API_TOKEN = $null
        Reset-Emulator $emu
    }

    Context 'Get-IdCardVerifyConfig' {
        It 'shows the built-in defaults and no token' {
            $c = Get-IdCardVerifyConfig
            $c | Should -BeOfType ([IdCardVerify.Configuration])
            $c.Endpoint | Should -Be 'https://api.acedata.cloud/identity/idcard/check-1e'
            $c.Threshold | Should -Be 70
            $c.TokenSource | Should -Be 'None'
            $c.HasToken | Should -BeFalse
            $c.Sandbox | Should -BeFalse
            $c.ConfigKeyStyle | Should -Be 'Documented'
        }

        It 'says where the token comes from, never the token' {
            $env:ACEDATACLOUD_API_TOKEN = 'env-token-value-123'
            (Get-IdCardVerifyConfig).TokenSource | Should -Be 'Environment'
            Set-IdCardVerifyConfig -Token 'session-token-value-456'
            $c = Get-IdCardVerifyConfig
            $c.TokenSource | Should -Be 'Session'
            $text = ($c | Format-List * | Out-String) + ($c | ConvertTo-Json) + ($c | ConvertTo-Csv | Out-String)
            $text | Should -Not -Match 'session-token-value-456'
            $text | Should -Not -Match 'env-token-value-123'
        }
    }

    Context 'Set-IdCardVerifyConfig' {
        It 'sets a session token (plain string or SecureString) that Invoke-IdCardVerification uses' {
            Set-IdCardVerifyConfig -Token $emu.Token -Endpoint $emu.Endpoint
            (Invoke-IdCardVerification 'https://cards.test/a.jpg').Verdict | Should -Be 'Match'
            Set-IdCardVerifyConfig -Token (ConvertTo-SecureString $emu.Token -AsPlainText -Force)
            (Invoke-IdCardVerification 'https://cards.test/b.jpg').Verdict | Should -Be 'Match'
            (Get-EmulatorLastRequest $emu).authorization | Should -Be "Bearer $($emu.Token)"
        }

        It 'lets -Token on the call win over the session, and the session over the environment' {
            $env:ACEDATACLOUD_API_TOKEN = 'wrong-env-token'
            Set-IdCardVerifyConfig -Token 'wrong-session-token' -Endpoint $emu.Endpoint
            (Invoke-IdCardVerification 'https://cards.test/a.jpg' -Token $emu.Token).Verdict | Should -Be 'Match'
            { Invoke-IdCardVerification 'https://cards.test/a.jpg' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidToken,*'
            Set-IdCardVerifyConfig -Token $null
            (Get-IdCardVerifyConfig).TokenSource | Should -Be 'Environment'
        }

        It 'refuses an empty token' {
            { Set-IdCardVerifyConfig -Token '   ' } | Should -Throw -ErrorId 'EmptyToken,*'
        }

        It 'refuses a plain-http endpoint that is not loopback and keeps the old one' {
            { Set-IdCardVerifyConfig -Endpoint 'http://api.example.com/x' } | Should -Throw -ErrorId 'InvalidEndpoint,*'
            (Get-IdCardVerifyConfig).Endpoint | Should -Be 'https://api.acedata.cloud/identity/idcard/check-1e'
        }

        It 'adds the API path to a bare gateway URL' {
            Set-IdCardVerifyConfig -Endpoint 'https://gateway.example.com'
            (Get-IdCardVerifyConfig).Endpoint | Should -Be 'https://gateway.example.com/identity/idcard/check-1e'
        }

        It 'sets the default threshold for Invoke-IdCardVerification and Test-IdCardSimilarity' {
            Set-IdCardVerifyConfig -Threshold 80 -Token $emu.Token -Endpoint $emu.Endpoint
            $r = Invoke-IdCardVerification 'https://cards.test/sim-75.jpg'
            $r.Threshold | Should -Be 80
            $r.Verdict | Should -Be 'NoMatch'
            Test-IdCardSimilarity 75 | Should -BeFalse
        }

        It 'sets default warning checks and key style, which a call can switch off' {
            Set-IdCardVerifyConfig -CopyWarn -ReshootWarn -ConfigKeyStyle Upstream -Token $emu.Token -Endpoint $emu.Endpoint
            $null = Invoke-IdCardVerification 'https://cards.test/a.jpg'
            ((Get-EmulatorLastRequest $emu).body | ConvertFrom-Json).config | Should -Be '{"CopyWarn":true,"ReshootWarn":true}'
            $null = Invoke-IdCardVerification 'https://cards.test/a.jpg' -ReshootWarn:$false
            ((Get-EmulatorLastRequest $emu).body | ConvertFrom-Json).config | Should -Be '{"CopyWarn":true}'
        }

        It 'makes the sandbox the default, and -Sandbox:$false overrides it' {
            Set-IdCardVerifyConfig -Sandbox -Token $emu.Token -Endpoint $emu.Endpoint
            (Invoke-IdCardVerification 'https://cards.test/a.jpg').Verdict | Should -Be 'Match'
            Get-EmulatorCalls $emu | Should -Be 0
            $null = Invoke-IdCardVerification 'https://cards.test/a.jpg' -Sandbox:$false
            Get-EmulatorCalls $emu | Should -Be 1
        }

        It 'returns the settings with -PassThru and changes nothing with -WhatIf' {
            $c = Set-IdCardVerifyConfig -Threshold 90 -PassThru
            $c.Threshold | Should -Be 90
            Set-IdCardVerifyConfig -Threshold 50 -WhatIf
            (Get-IdCardVerifyConfig).Threshold | Should -Be 90
        }

        It 'forgets everything with -Reset' {
            Set-IdCardVerifyConfig -Token 'x-token' -Threshold 90 -Sandbox
            Set-IdCardVerifyConfig -Reset
            $c = Get-IdCardVerifyConfig
            $c.TokenSource | Should -Be 'None'
            $c.Threshold | Should -Be 70
            $c.Sandbox | Should -BeFalse
        }

        It 'validates ranges like the call does' {
            { Set-IdCardVerifyConfig -Threshold -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            { Set-IdCardVerifyConfig -ThrottleLimit 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }
    }
}
