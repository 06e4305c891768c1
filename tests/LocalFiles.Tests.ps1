#requires -Modules Pester
# Local files (issue 25): scans on disk checked before any paid call, staged privately in the user's own store
# (azurite, Azure's own emulator; s3rver, an S3-compatible server), downloaded by the emulator through the signed
# URL as the API downloads it, and deleted after the answer. Hostile files are a clear error each.

Describe 'Local files' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api
        $script:scans = Join-Path $TestDrive 'scans'
        New-TestImages -Path $scans
        $script:good = 'card.jpg', 'card.png', 'phone-photo.jpg', 'png-named.jpg', 'rotated.jpg'
        $script:hostile = @{ 'bomb.png' = 'ImageTooLarge'; 'empty.jpg' = 'ImageUnreadable'; 'huge-40mb.jpg' = 'ImageTooLarge'; 'photo.heic' = 'ImageFormatUnsupported'; 'scan.pdf' = 'ImageFormatUnsupported'; 'truncated.jpg' = 'ImageUnreadable' }
        # The ledgers of staged objects, and no stored settings, in a home of the tests' own.
        $script:azurite = Start-Azurite
        $script:s3 = Start-S3Server
        $null = Invoke-AzureAdmin $azurite create scans
        $script:azure = @{
            StagingUri        = "$($azurite.Blob)/scans/hr"
            StagingCredential = [pscredential]::new($azurite.Account, (ConvertTo-SecureString $azurite.Key -AsPlainText -Force))
        }
        $script:s3Staging = @{
            StagingUri        = 's3://scans/hr'
            StagingEndpoint   = [uri]$s3.Endpoint
            StagingCredential = [pscredential]::new($s3.AccessKey, (ConvertTo-SecureString $s3.Secret -AsPlainText -Force))
        }
        function script:Get-Fetched { (Invoke-RestMethod ([uri]::new($emu.Base, '/__emulator/calls'))).imagesFetched }
    }

    AfterAll {
        Complete-TestFile $TestConfig
        Stop-Store $azurite
        Stop-Store $s3
        Set-IdCardVerifyConfig -Reset
    }

    Context 'Checked before any paid call (sandbox: no store needed)' {
        It 'verifies the good files and refuses each hostile one with its own error, one row per file in order, the originals untouched' {
            $files = Get-ChildItem $scans -File | Sort-Object Name
            $before = $files | ForEach-Object { (Get-FileHash $_.FullName).Hash }
            $r = $files | Invoke-IdCardVerification -Sandbox -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be $files.Count
            for ($i = 0; $i -lt $files.Count; $i++) {
                $r[$i].ImagePath | Should -Be $files[$i].FullName
                $r[$i].ImageUrl | Should -BeNullOrEmpty -Because 'a staged URL is a credential and is never kept'
                if ($hostile.ContainsKey($files[$i].Name)) {
                    $r[$i].Verdict | Should -Be 'Error'
                    $r[$i].ErrorId | Should -Be $hostile[$files[$i].Name]
                    $r[$i].ErrorMessage | Should -Match ([regex]::Escape($files[$i].Name))
                }
                else { $r[$i].Verdict | Should -Be 'Match' -Because $files[$i].Name }
            }
            @($errs).Count | Should -Be $hostile.Count
            ($files | ForEach-Object { (Get-FileHash $_.FullName).Hash }) | Should -Be $before
        }

        It 'says in -Verbose what it shrank and that the file itself is unchanged' {
            $out = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'phone-photo.jpg') -Sandbox -Verbose 4>&1 | Out-String
            $out | Should -Match 'shrunk from 4032x3024'
            $out | Should -Match 'the file itself is unchanged'
        }

        It 'takes -Path with wildcards and -LiteralPath with brackets; a path given as -ImageUrl is refused with the fix' {
            (Invoke-IdCardVerification -Path (Join-Path $scans 'card.*') -Sandbox).ImagePath | Split-Path -Leaf | Should -Be @('card.jpg', 'card.png')
            New-Item -ItemType Directory -Force (Join-Path $TestDrive 'odd') | Out-Null
            $odd = Join-Path $TestDrive 'odd/[1] card.jpg'
            Copy-Item -LiteralPath (Join-Path $scans 'card.jpg') -Destination $odd
            (Invoke-IdCardVerification -LiteralPath $odd -Sandbox).Verdict | Should -Be 'Match'
            Push-Location $scans
            try {
                $r = Invoke-IdCardVerification ./card.jpg -Sandbox -ErrorVariable refused -ErrorAction SilentlyContinue
                $r | Should -BeNullOrEmpty
                $refused[0].FullyQualifiedErrorId | Should -BeLike 'InvalidImageUrl,*'
                $refused[0].Exception.Message | Should -Match '-LiteralPath'
            }
            finally { Pop-Location }
            $null = Invoke-IdCardVerification -Path (Join-Path $scans 'nothing-*.jpg') -Sandbox -ErrorVariable none -ErrorAction SilentlyContinue
            $none[0].Exception.Message | Should -Match 'matches no file'
        }

        It 'resolves a sheet''s relative photo paths under -ImageRoot, and refuses a path that leaves it' {
            $rows = @(
                [pscustomobject]@{ 工号 = 'E1'; 照片文件 = 'card.jpg' }
                [pscustomobject]@{ 工号 = 'E2'; 照片文件 = '../elsewhere/card.jpg' }
                [pscustomobject]@{ 工号 = 'E3'; 照片文件 = '/etc/passwd' }
            )
            Push-Location $TestDrive
            try { $r = $rows | Invoke-IdCardVerification -Sandbox -ImagePathProperty 照片文件 -ImageRoot $scans -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue }
            finally { Pop-Location }
            $r[0].Verdict | Should -Be 'Match'
            $r[0].ImagePath | Should -Be (Join-Path $scans 'card.jpg')
            $r[1].ErrorId | Should -Be 'ImageOutsideRoot'
            $r[2].ErrorId | Should -Be 'ImageOutsideRoot'
            $errs[0].Exception.Message | Should -Match '-ImageRoot'
        }

        It 'reads an ImagePath column, a named Chinese one, and URLs and files mixed in one pipeline, in order' {
            Push-Location $scans
            try {
                $rows = @(
                    [pscustomobject]@{ EmployeeId = 'E1'; ImagePath = 'card.jpg' }
                    [pscustomobject]@{ EmployeeId = 'E2'; ImageUrl = 'https://cards.test/ok.jpg' }
                    [pscustomobject]@{ EmployeeId = 'E3'; ImagePath = './missing.jpg' }
                )
                $r = $rows | Invoke-IdCardVerification -Sandbox -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
                $r.EmployeeId | Should -Be @('E1', 'E2', 'E3')
                $r.Verdict | Should -Be @('Match', 'Match', 'Error')
                $r[1].ImageUrl | Should -Be 'https://cards.test/ok.jpg'
                $errs[0].FullyQualifiedErrorId | Should -BeLike 'ImageUnreadable,*'
                $errs[0].Exception.Message | Should -Match 'no file'
                $chinese = [pscustomobject]@{ '工号' = 'E9'; '照片' = 'card.png' } | Invoke-IdCardVerification -Sandbox -ImagePathProperty '照片'
                $chinese.ImagePath | Should -Be (Join-Path $scans 'card.png')
            }
            finally { Pop-Location }
        }

        It 'masks an ID number in a file''s name in every message, and in the result with -MaskPersonalData' {
            $named = Join-Path $TestDrive 'byid'
            New-Item -ItemType Directory -Force $named | Out-Null
            Copy-Item (Join-Path $scans 'phone-photo.jpg') (Join-Path $named '110105194912310021.jpg')
            Copy-Item (Join-Path $scans 'truncated.jpg') (Join-Path $named '11010519491231002X.jpg')
            $all = Get-ChildItem $named -File | Invoke-IdCardVerification -Sandbox -IncludeFailed -Verbose -ErrorAction Continue *>&1 | Out-String
            $all | Should -Match 'shrunk from'
            $all | Should -Match 'cut off'
            $all | Should -Not -Match '110105194912310021|11010519491231002X' -Because 'messages mask ID numbers, as in URLs'
            $masked = Get-ChildItem $named -File | Invoke-IdCardVerification -Sandbox -IncludeFailed -MaskPersonalData -ErrorAction SilentlyContinue
            ($masked | ForEach-Object { $_.ImagePath + ' ' + $_.Key + ' ' + $_.ErrorMessage }) -join ' ' | Should -Not -Match '1101051949123100'
        }

        It 'does not take a file''s Name for the person''s name' {
            $out = Get-Item (Join-Path $scans 'card.jpg') | Invoke-IdCardVerification -Sandbox -Verbose 4>&1 | Out-String
            $out | Should -Not -Match 'not all written in Chinese'
        }

        It 'refuses a folder with the fix, and the run goes on' {
            $r = Get-Item $scans, (Join-Path $scans 'card.jpg') | Invoke-IdCardVerification -Sandbox -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Verdict | Should -Be @('Error', 'Match')
            $errs[0].Exception.Message | Should -Match 'Get-ChildItem -File'
        }

        It 'resumes a file from the journal by its path and content, and verifies it again once it changed' {
            $file = Join-Path $TestDrive 'resumed.jpg'
            Copy-Item (Join-Path $scans 'card.jpg') $file
            $journal = Join-Path $TestDrive 'files.jsonl'
            (Invoke-IdCardVerification -LiteralPath $file -Sandbox -CheckpointPath $journal).FromCheckpoint | Should -BeFalse
            $again = Invoke-IdCardVerification -LiteralPath $file -Sandbox -CheckpointPath $journal
            $again.FromCheckpoint | Should -BeTrue
            $again.ImagePath | Should -Be $file
            Copy-Item (Join-Path $scans 'card.png') $file -Force
            (Invoke-IdCardVerification -LiteralPath $file -Sandbox -CheckpointPath $journal).FromCheckpoint | Should -BeFalse -Because 'the file changed'
            Get-Content -Raw $journal | Should -Not -Match ([regex]::Escape('resumed.jpg')) -Because 'the journal keeps a keyed hash of the key, not the path'
        }
    }

    Context 'Staged in Azure Blob (azurite)' {
        It 'verifies scans end to end: staged, downloaded by the API through the SAS URL, deleted, and reported' {
            $report = Join-Path $TestDrive 'review.html'
            Reset-Emulator $emu
            Get-ChildItem (Join-Path $scans '*.jpg') | Invoke-IdCardVerification @api @azure -IncludeFailed -ErrorAction SilentlyContinue | Export-IdCardVerificationReport -Path $report
            Get-Fetched | Should -Be 4 -Because 'the API downloaded each good .jpg once: card, phone-photo (shrunk), png-named, rotated'
            Invoke-AzureAdmin $azurite list scans | Should -BeNullOrEmpty -Because 'every staged object is deleted once its answer is in'
            Get-Content -Raw $report | Should -Match 'phone-photo.jpg'
        }

        It 'shows the staged URL nowhere: no stream, CSV, journal or report holds a signature or an object name' {
            $journal = Join-Path $TestDrive 'azure.jsonl'
            $csv = Join-Path $TestDrive 'azure.csv'
            $html = Join-Path $TestDrive 'azure.html'
            $all = & {
                $r = Get-ChildItem (Join-Path $scans 'card.*') | Invoke-IdCardVerification @api @azure -CheckpointPath $journal -IncludeFailed -Verbose
                $r | Export-Csv $csv
                $r | Export-IdCardVerificationReport -Path $html -IncludeMatches -IncludePersonalData
                $r | Format-List * | Out-String
            } *>&1 | Out-String
            $text = $all + (Get-Content -Raw $csv) + (Get-Content -Raw $journal) + (Get-Content -Raw $html)
            $text | Should -Not -Match 'sig='
            $text | Should -Not -Match 'idcv-[0-9a-f]{32}'
            $text | Should -Not -Match ([regex]::Escape($azurite.Key))
        }

        It 'is a private container: an object can be read through its signed URL only' {
            $null = Invoke-AzureAdmin $azurite create privatecheck
            $null = Invoke-AzureAdmin $azurite put privatecheck 'idcv-probe-by-test.jpg'
            { Invoke-WebRequest "$($azurite.Blob)/privatecheck/idcv-probe-by-test.jpg" -UseBasicParsing } | Should -Throw '*403*'
            $out = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api @azure 3>&1 | Out-String
            $out | Should -Not -Match 'serves objects to anyone'
        }

        It 'stops before any paid call when <Case>, with one error naming the fix' -ForEach @(
            @{ Case = 'the key is wrong'; Uri = 'hr'; Key = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'; ErrorId = 'StagingAccessDenied'; Says = 'credentials' }
            @{ Case = 'the container does not exist'; Uri = 'no-such-container'; Key = $null; ErrorId = 'StagingUnavailable'; Says = 'does not exist' }
            @{ Case = 'nothing listens'; Uri = 'closed'; Key = $null; ErrorId = 'StagingUnavailable'; Says = 'Could not reach' }
        ) {
            Reset-Emulator $emu
            $staging = @{ StagingUri = "$($azurite.Blob)/scans/hr"; StagingCredential = $azure.StagingCredential }
            if ($Key) { $staging.StagingCredential = [pscredential]::new($azurite.Account, (ConvertTo-SecureString $Key -AsPlainText -Force)) }
            if ($Uri -eq 'no-such-container') { $staging.StagingUri = "$($azurite.Blob)/no-such-container" }
            if ($Uri -eq 'closed') { $staging.StagingUri = "http://127.0.0.1:$(Get-FreePort)/devstoreaccount1/scans" }
            $r = Get-ChildItem (Join-Path $scans 'card.*') | Invoke-IdCardVerification @api @staging -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Verdict | Should -Be @('Error', 'Error')
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errs[0].Exception.Message | Should -Match $Says
            "$($errs[0])" | Should -Match 'left unverified' -Because 'a stop says how many inputs it left'
            Get-EmulatorCalls $emu | Should -Be 0 -Because 'no paid call is made when the files cannot be staged'
        }

        It 'says how to set staging up when none is, and makes no call' {
            Reset-Emulator $emu
            $null = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'StagingNotConfigured,*'
            $errs[0].Exception.Message | Should -Match 'Set-IdCardVerifyConfig -StagingUri'
            $errs[0].Exception.Message | Should -Match 'public copy'
            Get-EmulatorCalls $emu | Should -Be 0
        }

        It 'sends the staging traffic through -Proxy too' {
            $proxy = Start-TestProxy
            try {
                $r = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api @azure -Proxy $proxy.Address
                $r.Verdict | Should -Be 'Match'
                # The API call, and the store's: the probe (write, signed read, unsigned read, delete), the file's write and delete.
                (Get-TestProxyCount $proxy).Forwarded | Should -BeGreaterOrEqual 7
            }
            finally { Stop-Emulator $proxy }
        }

        It 'deletes what it staged when the run is stopped at once, after the answers on the wire (at most 10 s), without holding the prompt' {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($emu.Base, '/__emulator/faults?latencyMs=20000'))
            $runspace = [runspacefactory]::CreateRunspace(); $runspace.Open()
            $ps = [powershell]::Create(); $ps.Runspace = $runspace
            try {
                $null = $ps.AddCommand('Import-Module').AddArgument($env:IDCARDVERIFY_TEST_MODULE).Invoke(); $ps.Commands.Clear()
                $null = $ps.AddScript('param($Files, $Api, $Azure) $Files | Invoke-IdCardVerification @Api @Azure').AddParameter('Files', @(Get-ChildItem (Join-Path $scans 'card.*'))).AddParameter('Api', $api).AddParameter('Azure', $azure)
                $handle = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while (@(Invoke-AzureAdmin $azurite list scans).Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                @(Invoke-AzureAdmin $azurite list scans).Count | Should -Be 2 -Because 'both files are staged and waiting for the slow answers'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'the requests on the wire are awaited in the background'
                # Their answers (20 s away) are awaited at most 10 s, then given up, and the objects deleted.
                $deadline = [DateTime]::UtcNow.AddSeconds(25)
                while (@(Invoke-AzureAdmin $azurite list scans).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
                Invoke-AzureAdmin $azurite list scans | Should -BeNullOrEmpty -Because 'a stopped run deletes what it staged once its requests are settled'
            }
            finally {
                $ps.Dispose(); $runspace.Dispose()
                $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($emu.Base, '/__emulator/faults?clear=1'))
            }
        }

        It 'deletes what a killed run left, listed in its ledger, before staging anything' {
            $leftover = 'idcv-' + ('ab' * 16) + '.jpg'
            $null = Invoke-AzureAdmin $azurite put scans "hr/$leftover"
            $ledgers = Join-Path $env:XDG_CONFIG_HOME 'IdCardVerify/staging'
            New-Item -ItemType Directory -Force $ledgers | Out-Null
            Set-Content -LiteralPath (Join-Path $ledgers 'run-killed.staged') -Value "$($azurite.Blob)/scans/hr/", "+$leftover" -Encoding utf8NoBOM
            $null = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api @azure
            Invoke-AzureAdmin $azurite list scans | Should -BeNullOrEmpty
            Test-Path (Join-Path $ledgers 'run-killed.staged') | Should -BeFalse
        }

        It 'reads the store''s credentials from a vault (-StagingSecretName), and shows them nowhere' {
            $secrets = Join-Path $TestDrive 'staging-secrets.json'
            @{ 'idcv-staging' = @{ type = 'PSCredential'; user = $azurite.Account; value = $azurite.Key } } | ConvertTo-Json | Set-Content -LiteralPath $secrets
            $standIns = Join-Path $PSScriptRoot 'StandIns'
            $run = Invoke-ChildPwsh -Environment @{ PSModulePath = "$standIns$([IO.Path]::PathSeparator)$(Join-Path $PSHOME 'Modules')"; IDCV_TEST_SECRETS = $secrets; XDG_CONFIG_HOME = (Join-Path $TestDrive 'vault-config') } -Script @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
`$r = Invoke-IdCardVerification -LiteralPath '$(Join-Path $scans 'card.jpg')' -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -StagingUri '$($azure.StagingUri)' -StagingSecretName idcv-staging -Verbose
'VERDICT=' + `$r.Verdict
"@
            $run.Output | Should -Match 'VERDICT=Match'
            $run.Output | Should -Not -Match ([regex]::Escape($azurite.Key))
            Invoke-AzureAdmin $azurite list scans | Should -BeNullOrEmpty
        }

        It 'keeps the store for the session with Set-IdCardVerifyConfig, shows no secret, and never stores a credential on disk' {
            Set-IdCardVerifyConfig @azure
            $config = Get-IdCardVerifyConfig
            $config.StagingUri | Should -Be $azure.StagingUri
            $config.HasStagingCredential | Should -BeTrue
            ($config | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($azurite.Key))
            (Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api).Verdict | Should -Be 'Match'
            { Set-IdCardVerifyConfig -Scope CurrentUser -StagingCredential $azure.StagingCredential } | Should -Throw '*session only*'
            Set-IdCardVerifyConfig -Reset
        }
    }

    Context 'Staged in an S3-compatible server (s3rver)' {
        It 'stages with SigV4, the API downloads through the presigned URL, and the bucket is empty afterwards' {
            Reset-Emulator $emu
            $r = Get-ChildItem (Join-Path $scans 'card.*') | Invoke-IdCardVerification @api @s3Staging -WarningVariable warned -WarningAction SilentlyContinue
            $r.Verdict | Should -Be @('Match', 'Match')
            Get-Fetched | Should -Be 2
            Get-S3Keys $s3 | Should -BeNullOrEmpty
            # s3rver serves objects without a signature (it has no ACLs): the module tries that and says so.
            ($warned -join ' ') | Should -Match 'serves objects to anyone'
        }

        It 'takes the credentials from $env:AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' {
            $env:AWS_ACCESS_KEY_ID = $s3.AccessKey; $env:AWS_SECRET_ACCESS_KEY = $s3.Secret
            try {
                $r = Invoke-IdCardVerification -LiteralPath (Join-Path $scans 'card.jpg') @api -StagingUri 's3://scans/env' -StagingEndpoint $s3.Endpoint -WarningAction SilentlyContinue
                $r.Verdict | Should -Be 'Match'
            }
            finally { Remove-Item env:AWS_ACCESS_KEY_ID, env:AWS_SECRET_ACCESS_KEY }
        }
    }
}
