#requires -Modules Pester
# Issue 33: the user's language. The same failing inputs, in a child pwsh under a Chinese locale (LANG=zh_CN.UTF-8,
# where $PSUICulture is zh-CN) and under an English one: the messages and reasons are in that language, the ErrorIds,
# verdict values and property names the same (scripts match them).

Describe 'Languages' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator -MaxRetries 0
        $script:emu = $TestConfig.Emulator
        $script:file = Join-Path $TestDrive 'no-such-scan.jpg'

        # Each case prints one line: the ErrorId (or the verdict) and the text a person reads.
        function script:Invoke-InLanguage([string] $Lang) {
            $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'
'CULTURE=' + `$PSUICulture
`$null = Invoke-IdCardVerification 'ftp://cards.test/a.jpg' -Sandbox -ErrorVariable e -ErrorAction SilentlyContinue; 'CASE url|' + `$e[0].FullyQualifiedErrorId.Split(',')[0] + '|' + `$e[0].Exception.Message
`$null = Invoke-IdCardVerification -LiteralPath '$file' -Sandbox -ErrorVariable e -ErrorAction SilentlyContinue; 'CASE file|' + `$e[0].FullyQualifiedErrorId.Split(',')[0] + '|' + `$e[0].Exception.Message
`$env:ACEDATACLOUD_API_TOKEN = `$null
try { Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint '$($emu.Endpoint)' -ErrorAction Stop | Out-Null } catch { 'CASE token|' + `$_.FullyQualifiedErrorId.Split(',')[0] + '|' + `$_.Exception.Message }
`$null = Invoke-IdCardVerification https://cards.test/a.jpg -Endpoint '$($emu.Endpoint)' -Token 'wrong-token-123456' -ErrorVariable e -ErrorAction SilentlyContinue; 'CASE api|' + `$e[0].FullyQualifiedErrorId.Split(',')[0] + '|' + `$e[0].Exception.Message
`$r = Invoke-IdCardVerification https://cards.test/warn-photocopy.jpg -Sandbox -CopyWarn -WarningAction SilentlyContinue; 'CASE warning|' + `$r.Verdict + '|' + `$r.Reason
`$r = Invoke-IdCardVerification https://cards.test/a.jpg -Sandbox; 'CASE match|' + `$r.Verdict + '|' + `$r.Reason
`$r = Invoke-IdCardVerification https://cards.test/nomatch.jpg -Sandbox; 'CASE nomatch|' + `$r.Verdict + '|' + `$r.Reason
"@
            $run = Invoke-ChildPwsh -Script $script -Environment @{ LANG = $Lang; LC_ALL = $Lang }
            $cases = @{}
            foreach ($m in [regex]::Matches($run.Output, '(?m)^CASE (\w+)\|(\w+)\|(.*)$')) {
                $cases[$m.Groups[1].Value] = [pscustomobject]@{ Id = $m.Groups[2].Value; Text = $m.Groups[3].Value.Trim() }
            }
            [pscustomobject]@{ Culture = ([regex]::Match($run.Output, 'CULTURE=(\S+)')).Groups[1].Value; Cases = $cases; Output = $run.Output }
        }

        $script:zh = Invoke-InLanguage 'zh_CN.UTF-8'
        $script:en = Invoke-InLanguage 'en_US.UTF-8'
    }

    AfterAll { Complete-TestFile $TestConfig }

    It 'runs under the locale''s culture' {
        $zh.Culture | Should -Be 'zh-CN'
        $en.Culture | Should -Be 'en-US'
    }

    It 'gives the same ErrorId or verdict for <Case> in both languages, the text in each' -ForEach @(
        @{ Case = 'url'; Id = 'InvalidImageUrl'; English = 'scheme. The API downloads images over http or https only'; Chinese = '接口只通过 http 或 https 下载图像' }
        @{ Case = 'file'; Id = 'ImageUnreadable'; English = 'was not sent: there is no file'; Chinese = '未发送：文件“' }
        @{ Case = 'token'; Id = 'NoToken'; English = 'No API token was found'; Chinese = '没有找到 API 令牌' }
        @{ Case = 'api'; Id = 'InvalidToken'; English = 'The token is wrong or revoked'; Chinese = '令牌错误或已被吊销' }
        @{ Case = 'warning'; Id = 'Warning'; English = 'the image is a photocopy of the card'; Chinese = '图像是身份证复印件：请申请人重新拍摄身份证原件' }
        @{ Case = 'match'; Id = 'Match'; English = 'Next: accept.'; Chinese = '下一步：通过。' }
        @{ Case = 'nomatch'; Id = 'NoMatch'; English = 'does not match the authoritative photo closely enough'; Chinese = '相似度不足' }
    ) {
        $zh.Cases[$Case].Id | Should -Be $Id -Because $zh.Output
        $en.Cases[$Case].Id | Should -Be $Id -Because $en.Output
        $en.Cases[$Case].Text | Should -Match ([regex]::Escape($English))
        $zh.Cases[$Case].Text | Should -Match ([regex]::Escape($Chinese))
        $en.Cases[$Case].Text | Should -Not -Match '[\u4e00-\u9fff]{4}'
    }

    Context 'Help in each language' {
        BeforeAll {
            $script:cmdlets = 'Invoke-IdCardVerification', 'Set-IdCardVerifyConfig', 'Get-IdCardVerifyConfig', 'Test-IdCardSimilarity', 'Test-IdCardNumber', 'Export-IdCardVerificationReport', 'Import-IdCardSheet', 'Export-IdCardSheet'
            # Each cmdlet's synopsis, its parameters with a description, its examples' code; the about topics' first lines.
            function script:Get-HelpIn([string] $Lang) {
                $script = @"
Import-Module '$($env:IDCARDVERIFY_TEST_MODULE)'
foreach (`$name in '$($cmdlets -join "','")') {
    `$help = Get-Help `$name -Full
    'SYNOPSIS ' + `$name + '|' + `$help.Synopsis
    foreach (`$p in (Get-Command `$name).Parameters.Values | Where-Object { `$_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and `$_.Name -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }) {
        `$text = (Get-Help `$name -Parameter `$p.Name).Description.Text -join ' '
        'PARAM ' + `$name + ' ' + `$p.Name + '|' + (`$text -replace '\s+', ' ')
    }
    foreach (`$e in `$help.examples.example) { 'EXAMPLE ' + `$name + '|' + (`$e.code -replace '\s+', ' ') }
}
foreach (`$topic in 'about_IdCardVerify', 'about_IdCardVerify_Sandbox') { 'ABOUT ' + `$topic + '|' + ((Get-Help `$topic | Out-String) -replace '\s+', ' ') }
"@
                (Invoke-ChildPwsh -Script $script -Environment @{ LANG = $Lang; LC_ALL = $Lang }).Output -split "`r?`n"
            }

            $script:zhHelp = Get-HelpIn 'zh_CN.UTF-8'
            $script:enHelp = Get-HelpIn 'en_US.UTF-8'
        }

        It 'shows every cmdlet''s synopsis in Chinese under zh-CN and in English under en-US' {
            foreach ($name in $cmdlets) {
                ($zhHelp | Where-Object { $_ -like "SYNOPSIS $name|*" }) | Should -Match '[\u4e00-\u9fff]{4}' -Because "$name's synopsis under zh-CN"
                ($enHelp | Where-Object { $_ -like "SYNOPSIS $name|*" }) | Should -Match '\|[A-Z][a-z]+[ ,]' -Because "$name's synopsis under en-US"
                ($enHelp | Where-Object { $_ -like "SYNOPSIS $name|*" }) | Should -Not -Match '[\u4e00-\u9fff]{4}'
            }
        }

        It 'documents every parameter in Chinese, and gives the same example commands in both languages' {
            $params = @($zhHelp | Where-Object { $_ -like 'PARAM *' })
            $params.Count | Should -BeGreaterThan 60
            foreach ($line in $params) { $line | Should -Match '\|.*[\u4e00-\u9fff]' -Because $line }
            @($zhHelp | Where-Object { $_ -like 'EXAMPLE *' }) | Should -Be @($enHelp | Where-Object { $_ -like 'EXAMPLE *' })
            @($zhHelp | Where-Object { $_ -like 'EXAMPLE *' }).Count | Should -BeGreaterThan 15
        }

        It 'shows both about topics in each language' {
            ($zhHelp | Where-Object { $_ -like 'ABOUT about_IdCardVerify|*' }) | Should -Match '简短说明.*核验中国居民身份证'
            ($zhHelp | Where-Object { $_ -like 'ABOUT about_IdCardVerify_Sandbox|*' }) | Should -Match '模拟器'
            ($enHelp | Where-Object { $_ -like 'ABOUT about_IdCardVerify|*' }) | Should -Match 'SHORT DESCRIPTION.*Verifies Chinese resident ID cards'
            ($enHelp | Where-Object { $_ -like 'ABOUT about_IdCardVerify_Sandbox|*' }) | Should -Match 'The simulator built into IdCardVerify'
        }
    }
}
