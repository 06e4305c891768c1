#requires -Modules Pester
# The checkpoint journal as a ledger: it never answers for another run's settings, one run holds it at a
# time, a full disk loses no result, and every output path masks alike.

Describe 'The checkpoint journal' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive -Emulator
        $script:emu = $TestConfig.Emulator
        $script:api = $TestConfig.Api
    }

    AfterAll { Complete-TestFile $TestConfig }

    Context 'Answers from other settings are never reused' {
        It 'refuses, before any call, a journal a sandbox run wrote, for a run against the API' {
            $journal = Join-Path $TestDrive 'trial.jsonl'
            $urls = 1..5 | ForEach-Object { "https://cards.test/trial$_.jpg" }
            $trial = $urls | Invoke-IdCardVerification -Sandbox -CheckpointPath $journal
            @($trial).Count | Should -Be 5

            Reset-Emulator $emu
            $err = { $urls | Invoke-IdCardVerification @api -CheckpointPath $journal } | Should -Throw -ErrorId 'CheckpointMismatch,*' -PassThru
            $err.Exception.Message | Should -Match 'the sandbox'
            $err.Exception.Message | Should -Match ([regex]::Escape($journal))
            $err.Exception.Message | Should -Match '-RestartCheckpoint'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            Get-EmulatorCalls $emu | Should -Be 0
        }

        It 'refuses a journal written with another config' {
            $journal = Join-Path $TestDrive 'config.jsonl'
            $null = 'https://cards.test/c1.jpg' | Invoke-IdCardVerification @api -CheckpointPath $journal
            { 'https://cards.test/c1.jpg' | Invoke-IdCardVerification @api -CopyWarn -CheckpointPath $journal } | Should -Throw -ErrorId 'CheckpointMismatch,*'
        }

        It 'with -RestartCheckpoint, moves the old journal aside and verifies every input afresh' {
            $journal = Join-Path $TestDrive 'restart.jsonl'
            $urls = 1..4 | ForEach-Object { "https://cards.test/restart$_.jpg" }
            $null = $urls | Invoke-IdCardVerification -Sandbox -CheckpointPath $journal

            Reset-Emulator $emu
            $real = $urls | Invoke-IdCardVerification @api -CheckpointPath $journal -RestartCheckpoint -WarningVariable warns
            Get-EmulatorCalls $emu | Should -Be 4
            $real.FromCheckpoint | Should -Not -Contain $true
            $aside = @(Get-ChildItem $TestDrive -Filter 'restart.jsonl.replaced-*')
            $aside.Count | Should -Be 1
            ($warns -join "`n") | Should -Match ([regex]::Escape($aside[0].FullName))

            # The new journal is this run's: a rerun calls nothing.
            Reset-Emulator $emu
            $again = $urls | Invoke-IdCardVerification @api -CheckpointPath $journal
            Get-EmulatorCalls $emu | Should -Be 0
            $again.FromCheckpoint | Should -Not -Contain $false
        }
    }

    Context 'One run at a time' {
        It 'gives a second process on the same journal CheckpointInUse at once, naming the file, and calls nothing' {
            $journal = Join-Path $TestDrive 'shared.jsonl'
            $script = @"
Import-Module '$env:IDCARDVERIFY_TEST_MODULE'
'https://cards.test/holder1.jpg', 'https://cards.test/stall.jpg' | Invoke-IdCardVerification -Endpoint '$($emu.Endpoint)' -Token '$($emu.Token)' -ThrottleLimit 1 -TimeoutSec 120 -MaxRetries 0 -CheckpointPath '$journal'
"@
            $file = Join-Path $TestDrive 'holder.ps1'
            Set-Content -LiteralPath $file -Value $script
            Reset-Emulator $emu
            $holder = Start-Process -FilePath (Join-Path $PSHOME 'pwsh') -ArgumentList '-NoProfile', '-NonInteractive', '-File', $file -PassThru
            try {
                # The holder has the journal once it has made its calls (the second one stalls).
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ((Get-EmulatorCalls $emu) -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                Get-EmulatorCalls $emu | Should -Be 2

                $err = { 'https://cards.test/second.jpg' | Invoke-IdCardVerification @api -CheckpointPath $journal } | Should -Throw -ErrorId 'CheckpointInUse,*' -PassThru
                $err.Exception.Message | Should -Match ([regex]::Escape($journal))
                $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
                Get-EmulatorCalls $emu | Should -Be 2
            }
            finally {
                if (-not $holder.HasExited) { $holder.Kill() }
                $holder.WaitForExit()
            }

            # The lock dies with its process: the journal is usable again, holding the holder's first result.
            Reset-Emulator $emu
            $r = 'https://cards.test/holder1.jpg' | Invoke-IdCardVerification @api -CheckpointPath $journal
            $r.FromCheckpoint | Should -BeTrue
            Get-EmulatorCalls $emu | Should -Be 0
        }
    }

    Context 'A journal that cannot be written' {
        It 'keeps every result in the caller''s variable when the disk fills up, with one warning' {
            $canMount = $IsLinux -and ((& id -u) -eq '0') -and (Get-Command mount -ErrorAction SilentlyContinue)
            if (-not $canMount) { Set-ItResult -Skipped -Because 'a small tmpfs needs root on Linux'; return }
            $disk = Join-Path $TestDrive 'small-disk'
            New-Item -ItemType Directory $disk | Out-Null
            & mount -t tmpfs -o size=64k tmpfs $disk
            $LASTEXITCODE | Should -Be 0
            try {
                $urls = 1..300 | ForEach-Object { "https://cards.test/full$_.jpg" }
                $r = $urls | Invoke-IdCardVerification -Sandbox -CheckpointPath (Join-Path $disk 'run.jsonl') -WarningVariable warns -WarningAction SilentlyContinue
                @($r).Count | Should -Be 300
                $r.ImageUrl | Should -Be $urls
                $journalWarnings = @($warns | Where-Object { "$_" -match 'could not be written' })
                $journalWarnings.Count | Should -Be 1
                "$($journalWarnings[0])" | Should -Match 'No space left on device'
                "$($journalWarnings[0])" | Should -Match 'rerun will verify again'
            }
            finally { & umount $disk }
        }

        It 'stops before any call when the journal cannot even be started (/dev/full)' {
            if (-not $IsLinux) { Set-ItResult -Skipped -Because '/dev/full is a Linux device'; return }
            Reset-Emulator $emu
            $err = { 'https://cards.test/devfull.jpg' | Invoke-IdCardVerification @api -CheckpointPath '/dev/full' } | Should -Throw -ErrorId 'CheckpointUnusable,*' -PassThru
            $err.Exception | Should -BeOfType [System.IO.IOException]
            $err.Exception.Message | Should -Match '/dev/full'
            Get-EmulatorCalls $emu | Should -Be 0
        }
    }

    Context 'Masking on every output path' {
        It 'masks rows resumed from an unmasked journal when -MaskPersonalData is given' {
            $journal = Join-Path $TestDrive 'unmasked.jsonl'
            $urls = 1..3 | ForEach-Object { "https://cards.test/m$_.jpg" }
            $full = $urls | Invoke-IdCardVerification -Sandbox -CheckpointPath $journal

            $masked = $urls | Invoke-IdCardVerification -Sandbox -CheckpointPath $journal -MaskPersonalData
            $masked.FromCheckpoint | Should -Not -Contain $false
            $masked.IsMasked | Should -Not -Contain $false
            $csv = Join-Path $TestDrive 'masked.csv'
            $masked | Export-Csv $csv -NoTypeInformation
            $text = Get-Content -Raw $csv
            foreach ($r in $full) {
                $text | Should -Not -Match $r.IdNumber
                $text | Should -Not -Match $r.Name
                $text | Should -Match ([regex]::Escape([IdCardVerify.PersonalData]::MaskIdNumber($r.IdNumber)))
            }
        }

        It 'refuses -MaskPersonalData with -PortraitDirectory, since a portrait is a face' {
            $dir = Join-Path $TestDrive 'faces'
            $err = { 'https://cards.test/face.jpg' | Invoke-IdCardVerification -Sandbox -MaskPersonalData -PortraitDirectory $dir } |
                Should -Throw -ErrorId 'MaskPersonalDataWithPortraits,*' -PassThru
            $err.Exception.Message | Should -Match '-PortraitDirectory'
            $dir | Should -Not -Exist
        }
    }
}
