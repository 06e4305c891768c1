#requires -Modules Pester
# Invoke-IdCardVerification as a user runs it: the built module, real HTTP to the loopback emulator.

Describe 'Invoke-IdCardVerification' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator -MaxRetries 0
        $script:emu = $TestConfig.Emulator
        $script:token = $emu.Token
        # Retries have their own tests (Bulk.Tests.ps1); here one answer per call keeps errors immediate.
        $script:api = $TestConfig.Api
        $script:designProperties = 'ImageUrl', 'Result', 'IsSuccess', 'Similarity', 'Threshold', 'IsMatch', 'Verdict',
            'Description', 'Name', 'Sex', 'Nation', 'Birth', 'Address', 'IdNumber', 'Warnings', 'WarningCodes',
            'Quality', 'Encryption', 'InputObject'
    }

    AfterAll {
        Complete-TestFile $TestConfig
    }

    BeforeEach {
        Set-IdCardVerifyConfig -Reset
        Reset-Emulator $emu
    }

    Context 'Input binding' {
        It 'takes a URL by position and returns one IdCardVerify.VerificationResult with every design property' {
            $r = Invoke-IdCardVerification 'https://cards.test/p1.jpg' @api
            @($r).Count | Should -Be 1
            $r | Should -BeOfType ([IdCardVerify.VerificationResult])
            $r.PSObject.TypeNames | Should -Contain 'IdCardVerify.VerificationResult'
            foreach ($name in $designProperties) { $r.PSObject.Properties.Name + 'InputObject' | Should -Contain $name }
            $r.ImageUrl | Should -Be 'https://cards.test/p1.jpg'
            $r.Verdict | Should -Be 'Match'
            $r.IsMatch | Should -BeTrue
            $r.Similarity | Should -BeOfType ([double])
            $r.Warnings | Should -BeOfType ([IdCardVerify.IdCardWarning])
            $r.InputObject | Should -Be 'https://cards.test/p1.jpg'
            $r.HasPortrait | Should -BeTrue
            $r.GetPortrait()[0..1] | Should -Be @(0xFF, 0xD8)
        }

        It 'takes strings from the pipeline, one result each, in order' {
            $urls = 1..12 | ForEach-Object { "https://cards.test/person$_.jpg" }
            $r = $urls | Invoke-IdCardVerification @api
            $r.ImageUrl | Should -Be $urls
            Get-EmulatorCalls $emu | Should -Be 12
        }

        It 'binds a row by the property name <Name>' -ForEach @(
            @{ Name = 'ImageUrl' }, @{ Name = 'image_url' }, @{ Name = 'Url' }, @{ Name = 'Uri' }, @{ Name = 'ImageUri' }
        ) {
            $row = [pscustomobject]@{ Key = 'K1'; $Name = 'https://cards.test/alias.jpg' }
            $r = $row | Invoke-IdCardVerification @api
            $r.ImageUrl | Should -Be 'https://cards.test/alias.jpg'
            $r.Key | Should -Be 'K1'
            $r.InputObject.Key | Should -Be 'K1'
        }

        It 'reads the URL from a row passed as -InputObject' {
            $row = [pscustomobject]@{ Key = 'K2'; Url = 'https://cards.test/byname.jpg' }
            $r = Invoke-IdCardVerification -InputObject $row @api
            $r.ImageUrl | Should -Be 'https://cards.test/byname.jpg'
            $r.Key | Should -Be 'K2'
        }

        It 'carries the row to InputObject and keeps its columns, renaming those that clash' {
            $row = [pscustomobject]@{ EmployeeId = 'E9'; Name = 'Claimed Name'; image_url = 'https://cards.test/e9.jpg' }
            $r = $row | Invoke-IdCardVerification @api
            $r.EmployeeId | Should -Be 'E9'
            $r.InputName | Should -Be 'Claimed Name'
            $r.Name | Should -Not -Be 'Claimed Name'
            $r.InputObject | Should -Be $row
        }
    }

    Context 'CSV in, CSV out' {
        It 'gives one readable row per input, key column kept, no type names and no base64' {
            $csvIn = Join-Path $TestDrive 'applicants.csv'
            $csvOut = Join-Path $TestDrive 'verified.csv'
            $rows = 1..25 | ForEach-Object { [pscustomobject]@{ StaffNo = "S$_"; Team = 'Ops'; Name = "Claimed $_"; image_url = "https://cards.test/staff$_.jpg" } }
            $rows[4].image_url = 'https://cards.test/warn-photocopy.jpg'
            $rows[9].image_url = 'https://cards.test/fail-IdNameMisMatch.jpg'
            $rows[14].image_url = 'https://cards.test/encobject+numstrings.jpg'
            $rows | Export-Csv $csvIn -NoTypeInformation

            Import-Csv $csvIn | Invoke-IdCardVerification @api -CopyWarn | Export-Csv $csvOut -NoTypeInformation

            $out = Import-Csv $csvOut
            $out.Count | Should -Be 25
            $out.StaffNo | Should -Be ($rows.StaffNo)
            $out[4].Verdict | Should -Be 'Warning'
            $out[4].Warnings | Should -Be 'Photocopy'
            $out[9].Verdict | Should -Be 'NoMatch'
            $out[14].Encryption | Should -Match '^\{'
            $text = Get-Content -Raw $csvOut
            $text | Should -Not -Match 'System\.'
            $text | Should -Not -Match '/9j/'
            $text | Should -Not -Match '@\{'
            ($out | Get-Member -MemberType NoteProperty).Name | Should -Contain 'InputName'
            ($out | Get-Member -MemberType NoteProperty).Name | Should -Not -Contain 'InputObject'
        }
    }

    Context 'Requests on the wire' {
        It 'POSTs with a Bearer token, JSON headers and no config when no check is asked' {
            $null = Invoke-IdCardVerification 'https://cards.test/wire.jpg' @api
            $last = Get-EmulatorLastRequest $emu
            $last.method | Should -Be 'POST'
            $last.authorization | Should -Be "Bearer $token"
            $last.accept | Should -Be 'application/json'
            $last.contentType | Should -BeLike 'application/json*'
            $body = $last.body | ConvertFrom-Json -AsHashtable
            $body.image_url | Should -Be 'https://cards.test/wire.jpg'
            $body.ContainsKey('config') | Should -BeFalse
        }

        It 'sends the six switches as a config string in the documented spelling' {
            $null = Invoke-IdCardVerification 'https://cards.test/wire.jpg' @api -CopyWarn -BorderCheckWarn -ReshootWarn -DetectPsWarn -TempIdWarn -QualityWarn
            $body = (Get-EmulatorLastRequest $emu).body | ConvertFrom-Json
            $body.config | Should -BeOfType ([string])
            $config = $body.config | ConvertFrom-Json -AsHashtable
            $config.Keys | Sort-Object | Should -Be @('border_check_warn', 'copy_warn', 'detect_ps_warn', 'quality', 'reshoot_warn', 'temp_id_warn')
            $config.Values | Should -Not -Contain $false
        }

        It 'uses the upstream spelling with -ConfigKeyStyle Upstream' {
            $null = Invoke-IdCardVerification 'https://cards.test/wire.jpg' @api -CopyWarn -ConfigKeyStyle Upstream
            ((Get-EmulatorLastRequest $emu).body | ConvertFrom-Json).config | Should -Be '{"CopyWarn":true}'
        }

        It 'sends -ConfigJson exactly as given' {
            $null = Invoke-IdCardVerification 'https://cards.test/wire.jpg' @api -ConfigJson '{"ReshootWarn":true,"Custom":1}'
            ((Get-EmulatorLastRequest $emu).body | ConvertFrom-Json).config | Should -Be '{"ReshootWarn":true,"Custom":1}'
        }

        It 'refuses -ConfigJson that is not a JSON object before any call' {
            { Invoke-IdCardVerification 'https://cards.test/wire.jpg' @api -ConfigJson '{copy_warn:true' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidConfigJson,IdCardVerify.InvokeIdCardVerificationCommand'
            Get-EmulatorCalls $emu | Should -Be 0
        }

        It 'refuses -ConfigJson together with a warning switch' {
            { Invoke-IdCardVerification 'https://cards.test/wire.jpg' @api -ConfigJson '{}' -CopyWarn } |
                Should -Throw -ErrorId 'ConfigJsonWithSwitches,IdCardVerify.InvokeIdCardVerificationCommand'
        }

        It 'makes no call at all with -WhatIf' {
            $r = 1..5 | ForEach-Object { "https://cards.test/w$_.jpg" } | Invoke-IdCardVerification @api -WhatIf
            $r | Should -BeNullOrEmpty
            Get-EmulatorCalls $emu | Should -Be 0
        }
    }

    Context 'Outcomes' {
        It 'decides IsMatch with -Threshold' {
            $at75 = 'https://cards.test/sim-75.jpg'
            (Invoke-IdCardVerification $at75 @api).Verdict | Should -Be 'Match'
            $strict = Invoke-IdCardVerification $at75 @api -Threshold 80
            $strict.Verdict | Should -Be 'NoMatch'
            $strict.IsMatch | Should -BeFalse
            $strict.Threshold | Should -Be 80
        }

        It 'refuses a threshold outside 0-100' {
            { Invoke-IdCardVerification 'https://cards.test/a.jpg' @api -Threshold 101 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }

        It 'returns a result object, not an error, for the business code <Code>' -ForEach @(
            @{ Code = 'IdNameMisMatch'; Verdict = 'NoMatch' }
            @{ Code = 'CompareLowSimilarity'; Verdict = 'NoMatch' }
            @{ Code = 'ImageNoIdCard'; Verdict = 'Failed' }
            @{ Code = 'DownLoadError'; Verdict = 'Failed' }
            @{ Code = 'UnauthorizedOperation.Arrears'; Verdict = 'Failed' }
        ) {
            $r = Invoke-IdCardVerification "https://cards.test/fail-$Code.jpg" @api -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $r.Verdict | Should -Be $Verdict
            $r.Result | Should -BeLike "*$Code"
            $r.IsSuccess | Should -BeFalse
        }

        It 'reports each warning that was asked for' {
            $r = Invoke-IdCardVerification 'https://cards.test/warn-tampered+warn-border.jpg' @api -DetectPsWarn -BorderCheckWarn
            $r.Verdict | Should -Be 'Warning'
            $r.Warnings | Should -Be ([IdCardVerify.IdCardWarning]'Tampered, BorderIncomplete')
            $r.WarningCodes | Should -Be '-9101|-9106'
            $r.Similarity | Should -Be 0
        }

        It 'reads the body variant <Variant>' -ForEach @(
            @{ Variant = 'numstrings'; Check = { param($r) $r.Similarity | Should -BeOfType ([double]) } }
            @{ Variant = 'encobject'; Check = { param($r) $r.Encryption | Should -Match '"CiphertextBlob"' } }
            @{ Variant = 'encarray'; Check = { param($r) $r.Encryption | Should -Be '["id_num"]' } }
            @{ Variant = 'extrafields'; Check = { param($r) $r.Verdict | Should -Be 'Match' } }
            @{ Variant = 'noportrait'; Check = { param($r) $r.HasPortrait | Should -BeFalse } }
            @{ Variant = 'badportrait'; Check = { param($r) $r.HasPortrait | Should -BeFalse } }
        ) {
            $r = Invoke-IdCardVerification "https://cards.test/$Variant.jpg" @api
            & $Check $r
        }
    }

    Context 'Parameter sets' {
        It 'has a set each for URLs, -Path and -LiteralPath, the URL one the default, and Get-Help shows them apart' {
            $command = Get-Command Invoke-IdCardVerification
            $command.ParameterSets.Name | Should -Be @('Url', 'Path', 'LiteralPath')
            ($command.ParameterSets | Where-Object IsDefault).Name | Should -Be 'Url'
            $items = @((Get-Help Invoke-IdCardVerification).syntax.syntaxItem)
            $items.Count | Should -Be 3
            ($items | ForEach-Object { @($_.parameter.name) -contains 'Path' }) | Should -Be @($false, $true, $false)
        }

        It 'refuses -ImageUrl with -Path as a binding error instead of letting one win silently' {
            { Invoke-IdCardVerification -ImageUrl https://cards.test/a.jpg -Path ./a.jpg -Sandbox } | Should -Throw -ErrorId 'AmbiguousParameterSet,IdCardVerify.InvokeIdCardVerificationCommand'
            { Invoke-IdCardVerification -Path ./a.jpg -LiteralPath ./b.jpg -Sandbox } | Should -Throw -ErrorId 'AmbiguousParameterSet,IdCardVerify.InvokeIdCardVerificationCommand'
        }
    }

    Context 'Bad input rows' {
        It 'refuses <Case> for that row alone, names the row, makes no call for it, and goes on' -ForEach @(
            @{ Case = 'an empty URL'; Url = '' }
            @{ Case = 'whitespace'; Url = '   ' }
            # A URL column is a URL column (issue 29): a path there is refused without looking at the disk.
            @{ Case = 'a Windows path'; Url = 'C:\scans\card.jpg' }
            @{ Case = 'a Unix path to no file'; Url = '/home/admin/card.jpg' }
            @{ Case = 'a relative path'; Url = 'scans/card.jpg' }
            @{ Case = 'an ftp URL'; Url = 'ftp://files.test/card.jpg' }
            @{ Case = 'a file URL'; Url = 'file:///tmp/no-such-card.jpg' }
        ) {
            if (-not $ErrorId) { $ErrorId = 'InvalidImageUrl' }
            $rows = @(
                [pscustomobject]@{ Id = 'A'; image_url = 'https://cards.test/a.jpg' }
                [pscustomobject]@{ Id = 'B'; image_url = $Url }
                [pscustomobject]@{ Id = 'C'; image_url = 'https://cards.test/c.jpg' }
            )
            $r = $rows | Invoke-IdCardVerification @api -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Id | Should -Be @('A', 'C')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].TargetObject.Id | Should -Be 'B'
            $errs[0].Exception.Message | Should -Match '^Input 2 '
            Get-EmulatorCalls $emu | Should -Be 2
        }

        It 'names the missing URL column and the columns the row has' {
            $rows = @(
                [pscustomobject]@{ Id = 'A'; photo = 'scans/a.jpg' }
                [pscustomobject]@{ Id = 'B'; image_url = 'https://cards.test/b.jpg' }
            )
            $r = $rows | Invoke-IdCardVerification @api -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Id | Should -Be 'B'
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'MissingImageUrl,*'
            $errs[0].Exception.Message | Should -Match 'Id, photo'
            $errs[0].Exception.Message | Should -Match 'image_url'
        }

        It 'reports a null in the pipeline as an empty input and goes on' {
            $r = @('https://cards.test/a.jpg', $null, 'https://cards.test/b.jpg') | Invoke-IdCardVerification @api -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 2
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match 'Input 2 .*empty'
        }
    }

    Context 'HTTP errors' {
        It 'turns <Code> into a non-terminating <ErrorId> error and the run goes on' -ForEach @(
            @{ Code = 'bad_request'; Status = 400; ErrorId = 'BadRequest'; Category = 'InvalidArgument' }
            @{ Code = 'forbidden'; Status = 403; ErrorId = 'Forbidden'; Category = 'PermissionDenied' }
            @{ Code = 'too_many_requests'; Status = 429; ErrorId = 'TooManyRequests'; Category = 'LimitsExceeded' }
            @{ Code = 'rate_limited'; Status = 429; ErrorId = 'TooManyRequests'; Category = 'LimitsExceeded' }
            @{ Code = 'api_error'; Status = 500; ErrorId = 'ApiError'; Category = 'NotSpecified' }
            @{ Code = 'timeout'; Status = 504; ErrorId = 'Timeout'; Category = 'OperationTimeout' }
        ) {
            $rows = @(
                [pscustomobject]@{ Id = 1; Url = "https://cards.test/error-$Code.jpg" }
                [pscustomobject]@{ Id = 2; Url = 'https://cards.test/fine.jpg' }
            )
            $r = $rows | Invoke-IdCardVerification @api -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Id | Should -Be 2
            $errs.Count | Should -Be 1
            $e = $errs[0]
            $e.FullyQualifiedErrorId | Should -Be "$ErrorId,IdCardVerify.InvokeIdCardVerificationCommand"
            $e.CategoryInfo.Category | Should -Be $Category
            $e.TargetObject.Id | Should -Be 1
            $e.Exception | Should -BeOfType ([IdCardVerify.IdCardVerifyApiException])
            $e.Exception.StatusCode | Should -Be $Status
            $e.Exception.ErrorCode | Should -Be $Code
            $e.Exception.TraceId | Should -Match '^[0-9a-f-]{36}$'
            $e.Exception.Attempts | Should -BeGreaterOrEqual 1
            $e.Exception.Message | Should -Match $e.Exception.TraceId
        }

        It 'stops the whole run with one <ErrorId> error for <Code>, throwing under -ErrorAction Stop' -ForEach @(
            @{ Code = 'invalid_token'; ErrorId = 'InvalidToken'; Category = 'AuthenticationError' }
            @{ Code = 'token_expired'; ErrorId = 'TokenExpired'; Category = 'AuthenticationError' }
            @{ Code = 'no_token'; ErrorId = 'NoToken'; Category = 'AuthenticationError' }
            @{ Code = 'token_mismatched'; ErrorId = 'TokenMismatched'; Category = 'AuthenticationError' }
            @{ Code = 'used_up'; ErrorId = 'UsedUp'; Category = 'QuotaExceeded' }
            @{ Code = 'disabled'; ErrorId = 'Disabled'; Category = 'AuthenticationError' }
            @{ Code = 'api_not_implemented'; ErrorId = 'ApiNotImplemented'; Category = 'ObjectNotFound' }
            @{ Code = 'no_api'; ErrorId = 'NoApi'; Category = 'ObjectNotFound' }
        ) {
            $urls = @("https://cards.test/error-$Code.jpg") + (1..20 | ForEach-Object { "https://cards.test/later$_.jpg" })
            $caught = $null
            $results = [System.Collections.Generic.List[object]]::new()
            try { $urls | Invoke-IdCardVerification @api -ThrottleLimit 1 -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
            catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -Be "$ErrorId,IdCardVerify.InvokeIdCardVerificationCommand"
            $caught.CategoryInfo.Category | Should -Be $Category
            $caught.TargetObject | Should -Be $urls[0]
            $results.Count | Should -Be 0
            Get-EmulatorCalls $emu | Should -BeLessThan 21
        }

        It 'reports a wrong token once for a whole CSV, not once per row' {
            $rows = 1..40 | ForEach-Object { [pscustomobject]@{ Id = $_; image_url = "https://cards.test/r$_.jpg" } }
            $null = $rows | Invoke-IdCardVerification -Endpoint $emu.Endpoint -Token 'not-the-token' -ErrorVariable ev -ErrorAction SilentlyContinue
            # -ErrorVariable sees every error the call wrote: the one report of the stopped run, nothing per row.
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeLike 'InvalidToken,*'
            $ev[0].Exception.Message | Should -Match 'Set-IdCardVerifyConfig'
            "$($ev[0])" | Should -Match 'input\(s\) were left unverified'
        }

        It 'reads the error body shape <Shape>' -ForEach @(
            @{ Shape = 'errorstring'; ErrorId = 'ApiError'; Code = 'api_error' }
            @{ Shape = 'errornull'; ErrorId = 'ApiError'; Code = $null }
            @{ Shape = 'errormissing'; ErrorId = 'ApiError'; Code = $null }
            @{ Shape = 'nosuccessfield'; ErrorId = 'ApiError'; Code = 'api_error' }
        ) {
            $null = Invoke-IdCardVerification "https://cards.test/error-api_error+$Shape.jpg" @api -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errs[0].Exception.StatusCode | Should -Be 500
            $errs[0].Exception.ErrorCode | Should -Be $Code
            $errs[0].Exception.TraceId | Should -Not -BeNullOrEmpty
        }

        It 'falls back to the HTTP status for a non-JSON proxy page' {
            $null = Invoke-IdCardVerification 'https://cards.test/http-502.jpg' @api -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'BadGateway,*'
            $errs[0].Exception.StatusCode | Should -Be 502
            $errs[0].Exception.Message | Should -Match 'non-JSON'
        }

        It 'turns a refused connection into ConnectionFailed with ConnectionError' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $null = Invoke-IdCardVerification 'https://cards.test/a.jpg' -Endpoint "http://127.0.0.1:$port" -Token $token -MaxRetries 0 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
            $errs[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        }

        It 'refuses a plain-http endpoint that is not loopback' {
            { Invoke-IdCardVerification 'https://cards.test/a.jpg' -Endpoint 'http://api.example.com' -Token $token } |
                Should -Throw -ErrorId 'InvalidEndpoint,*'
        }
    }

    Context 'Token chain' {
        It 'stops with one error naming all four sources when no token is found' {
            $saved = $env:ACEDATACLOUD_API_TOKEN
            try {
                $env:ACEDATACLOUD_API_TOKEN = $null
                $err = { 'https://cards.test/a.jpg', 'https://cards.test/b.jpg' | Invoke-IdCardVerification -Endpoint $emu.Endpoint } |
                    Should -Throw -ErrorId 'NoToken,*' -PassThru
                $err.Exception.Message | Should -Match '-Token'
                $err.Exception.Message | Should -Match 'Set-IdCardVerifyConfig'
                $err.Exception.Message | Should -Match 'ACEDATACLOUD_API_TOKEN'
                $err.Exception.Message | Should -Match 'CurrentUser'
                $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
                Get-EmulatorCalls $emu | Should -Be 0
            }
            finally { $env:ACEDATACLOUD_API_TOKEN = $saved }
        }

        It 'needs no token in the sandbox and makes no network call' {
            $saved = $env:ACEDATACLOUD_API_TOKEN
            try {
                $env:ACEDATACLOUD_API_TOKEN = $null
                $r = Invoke-IdCardVerification 'https://cards.test/a.jpg' -Sandbox -Endpoint $emu.Endpoint
                $r.Verdict | Should -Be 'Match'
                Get-EmulatorCalls $emu | Should -Be 0
            }
            finally { $env:ACEDATACLOUD_API_TOKEN = $saved }
        }

        It 'takes the token from ACEDATACLOUD_API_TOKEN, with a pasted Bearer prefix and newline' {
            $saved = $env:ACEDATACLOUD_API_TOKEN
            try {
                $env:ACEDATACLOUD_API_TOKEN = "Bearer $token`n"
                (Invoke-IdCardVerification 'https://cards.test/a.jpg' -Endpoint $emu.Endpoint).Verdict | Should -Be 'Match'
                (Get-EmulatorLastRequest $emu).authorization | Should -Be "Bearer $token"
            }
            finally { $env:ACEDATACLOUD_API_TOKEN = $saved }
        }
    }

    Context 'The token never leaks' {
        It 'appears in no stream, error record or exception message of a child pwsh' {
            $secret = 'leak-canary-5d1e8b2c'
            $leaky = Start-Emulator -Token $secret
            try {
                $script = @"
`$ErrorActionPreference = 'Continue'
`$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'; `$InformationPreference = 'Continue'; `$WarningPreference = 'Continue'
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$t = `$env:IDCV_CANARY
Set-IdCardVerifyConfig -Token `$t -Endpoint '$($leaky.Endpoint)' -MaxRetries 0 -Verbose
Get-IdCardVerifyConfig | Format-List * | Out-String
'https://cards.test/ok.jpg', 'https://cards.test/error-api_error.jpg', 'https://cards.test/error-forbidden.jpg', 'C:\x.jpg' |
    Invoke-IdCardVerification -Verbose -Debug | Format-List * | Out-String
try { Invoke-IdCardVerification 'https://cards.test/a.jpg' -Token ('Bearer ' + `$t + '-wrong') -Verbose -Debug } catch { `$_ | Format-List * -Force | Out-String; `$_.Exception | Format-List * -Force | Out-String }
try { Invoke-IdCardVerification 'https://cards.test/error-used_up.jpg' } catch { `$_.ToString(); `$_.Exception.ToString(); `$_.ErrorDetails | Out-String }
`$Error | ForEach-Object { `$_ | Format-List * -Force | Out-String; `$_.Exception.ToString() }
"@
                $script.Contains($secret) | Should -BeFalse -Because 'the child reads the token from its environment, as a runbook would'
                $run = Invoke-ChildPwsh -Script $script -Environment @{ IDCV_CANARY = $secret }
                $run.Output | Should -Match 'TokenSource\s*:\s*Session'
                $run.Output | Should -Match 'InvalidToken|invalid_token'
                $run.Output | Should -Match 'UsedUp|used_up'
                $run.Output | Should -Match 'API token source: Session'
                $run.Output.Contains($secret) | Should -BeFalse
            }
            finally { Stop-Emulator $leaky }
        }
    }
}
