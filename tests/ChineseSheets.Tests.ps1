#requires -Modules Pester
# A Chinese HR export as a new admin has it: GB18030 or UTF-8 with a byte-order mark, Chinese headers, a photo column
# not named ImageUrl, the row's own 身份证号 and 姓名 to check each card against, and a reviewer who needs reasons.

BeforeDiscovery {
    # Debian's python3-openpyxl makes the workbook fixture, independently of the module (.ci/run installs it).
    $script:hasOpenpyxl = -not $IsWindows -and (Test-Path /usr/bin/python3) -and $(& /usr/bin/python3 -c 'import openpyxl' 2>$null; $LASTEXITCODE -eq 0)
}

Describe 'Chinese spreadsheets and whose card it is' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive
        $script:sample = Join-Path $PSScriptRoot '../samples/hr-export.csv'
        $script:gb18030 = [Text.Encoding]::GetEncoding('gb18030')

        # The sample, as Excel on a Chinese Windows saved it, and the same rows saved as "CSV UTF-8".
        $script:gbk = Join-Path $TestDrive 'hr-gbk.csv'
        Copy-Item -LiteralPath $sample -Destination $gbk
        $script:utf8 = Join-Path $TestDrive 'hr-utf8bom.csv'
        [IO.File]::WriteAllText($utf8, [IO.File]::ReadAllText($sample, $gb18030), [Text.UTF8Encoding]::new($true))

        function Invoke-Sheet([string] $Path, [string] $Encoding, [hashtable] $Extra = @{}) {
            Import-Csv -LiteralPath $Path -Encoding $Encoding |
                Invoke-IdCardVerification -Sandbox -CopyWarn -ReshootWarn -IncludeFailed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue @Extra
        }
    }

    AfterAll { Complete-TestFile $TestConfig }

    It 'reads the <Name> file: the photo column found and named once, every row back in order with its own columns' -ForEach @(
        @{ Name = 'GB18030'; File = 'gbk'; Encoding = 'gb18030' }
        @{ Name = 'UTF-8 with BOM'; File = 'utf8'; Encoding = 'utf8BOM' }
    ) {
        $path = Get-Variable -Name $File -ValueOnly
        $verbose = Import-Csv -LiteralPath $path -Encoding $Encoding | Invoke-IdCardVerification -Sandbox -CopyWarn -ReshootWarn -IncludeFailed -Verbose -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1
        $found = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match "column '照片链接'" })
        $found.Count | Should -Be 1
        $r = @($verbose | Where-Object { $_ -is [IdCardVerify.VerificationResult] })
        $r.Count | Should -Be 8
        ($r | ForEach-Object 工号) -join ',' | Should -Be 'E2001,E2002,E2003,E2004,E2005,E2006,E2007,E2008'
        ($r | ForEach-Object Key) -join ',' | Should -Be 'E2001,E2002,E2003,E2004,E2005,E2006,E2007,E2008'
        $r[0].部门 | Should -Be '财务部'
    }

    Context 'Each row of the sample' {
        BeforeAll {
            $script:r = @(Invoke-Sheet $gbk 'gb18030')
            $script:byKey = @{}
            foreach ($row in $r) { $byKey[$row.工号] = $row }
        }

        It 'accepts the row''s own card: Match, Identity Same' {
            $byKey.E2001.Verdict | Should -Be 'Match'
            $byKey.E2001.Identity | Should -Be 'Same'
            $byKey.E2001.Reason | Should -Match "it is the row's person \(ID number and name\)\. Next: accept"
        }

        It 'never accepts a relative''s genuine card: Review, saying which differs and never either value' {
            $byKey.E2002.Verdict | Should -Be 'Review'
            $byKey.E2002.Identity | Should -Be 'BothDiffer'
            $byKey.E2002.Inconsistencies | Should -Match "not the row's person"
            $byKey.E2002.Reason | Should -Match 'ask the applicant for their own card'
            $byKey.E2002.Reason | Should -Not -Match '陈|1101'
        }

        It 'reports a typo in the row''s ID number as such, before any call' {
            $byKey.E2003.Verdict | Should -Be 'Error'
            $byKey.E2003.ErrorId | Should -Be 'InvalidExpectedIdNumber'
            $byKey.E2003.Reason | Should -Match 'typo in the sheet'
            $byKey.E2003.Result | Should -BeNullOrEmpty
        }

        It 'compares a first-generation 15-digit number through its 18-digit form' {
            $byKey.E2006.身份证号.Length | Should -Be 15
            $byKey.E2006.Identity | Should -Be 'Same'
            $byKey.E2006.Verdict | Should -Be 'Match'
        }

        It 'gives <Key> the verdict <Verdict> and a reason that says <Words>' -ForEach @(
            @{ Key = 'E2004'; Verdict = 'Warning'; Words = 'not compared.*photocopy.*photo of the original card' }
            @{ Key = 'E2005'; Verdict = 'Failed'; Words = 'not an ID card' }
            @{ Key = 'E2007'; Verdict = 'NoMatch'; Words = 'does not match the authoritative photo' }
            @{ Key = 'E2008'; Verdict = 'Warning'; Words = 'photo of a screen' }
        ) {
            $byKey[$Key].Verdict | Should -Be $Verdict
            $byKey[$Key].Reason | Should -Match $Words
        }

        It 'shows the reason in the default list view and who the row is in the default table' {
            ($byKey.E2004 | Format-List | Out-String) | Should -Match 'Reason\s*:\s*Warning: the face was not compared'
            ($r | Format-Table | Out-String -Width 200) | Should -Match 'E2002\s+Review'
        }

    }

    Context 'Resumed from a checkpoint journal' {
        It 'checks the identity again on resume, and a masked journal keeps what was found (<Case>)' -ForEach @(
            @{ Case = 'unmasked'; Extra = @{} }
            @{ Case = 'masked'; Extra = @{ MaskPersonalData = $true } }
        ) {
            $journal = Join-Path $TestDrive "hr-$Case.jsonl"
            $first = @(Invoke-Sheet $gbk 'gb18030' (@{ CheckpointPath = $journal } + $Extra))
            $again = @(Invoke-Sheet $gbk 'gb18030' (@{ CheckpointPath = $journal } + $Extra))
            @($again | Where-Object FromCheckpoint).Count | Should -Be 7
            ($again | ForEach-Object { "$($_.Key)=$($_.Verdict)/$($_.Identity)" }) -join ' ' | Should -Be (($first | ForEach-Object { "$($_.Key)=$($_.Verdict)/$($_.Identity)" }) -join ' ')
            ($again | Where-Object Key -EQ 'E2002').Verdict | Should -Be 'Review'
        }
    }

    Context 'Sheets the module cannot read as they are' {
        It 'stops a sheet read in the wrong encoding with one error naming gb18030, not garbled columns' {
            # Distinct ASCII headers with a Chinese one, so that Import-Csv itself gets through reading GBK as UTF-8.
            $file = Join-Path $TestDrive 'garbled.csv'
            [IO.File]::WriteAllText($file, "EmployeeId,姓名,ImageUrl`r`nE1,张三,https://cards.test/g1.jpg`r`nE2,李四,https://cards.test/g2.jpg`r`n", $gb18030)
            $r = Import-Csv -LiteralPath $file | Invoke-IdCardVerification -Sandbox -IncludeFailed -ErrorVariable errs -ErrorAction SilentlyContinue
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputEncoding,*'
            "$($errs[0])" | Should -Match 'Import-Csv -Encoding gb18030'
            "$($errs[0])" | Should -Match '-Encoding Default'
            @($r | Where-Object Verdict -EQ 'Error').Count | Should -Be 2
        }

        It 'names both columns when two hold URLs, and -ImageUrlProperty settles it' {
            $rows = [pscustomobject]@{ 工号 = 'E1'; 照片 = 'https://cards.test/p1.jpg'; 主页 = 'https://hr.test/e1' }
            $null = $rows | Invoke-IdCardVerification -Sandbox -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'AmbiguousImageUrl,*'
            "$($errs[0])" | Should -Match '照片, 主页'
            ($rows | Invoke-IdCardVerification -Sandbox -ImageUrlProperty '照片').Verdict | Should -Be 'Match'
        }

        It 'says once, in verbose output, that a romanised name column was not compared, and decides by the number (IdNumberOnly)' {
            $card = 'https://cards.test/roman.jpg' | Invoke-IdCardVerification -Sandbox
            $rows = 1..3 | ForEach-Object { [pscustomobject]@{ ImageUrl = 'https://cards.test/roman.jpg'; Name = 'Zhang San'; IdNumber = $card.IdNumber } }
            $out = $rows | Invoke-IdCardVerification -Sandbox -Verbose 4>&1
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'written in Chinese characters' }).Count | Should -Be 1
            @($out | Where-Object { $_ -is [IdCardVerify.VerificationResult] } | Where-Object Identity -EQ 'IdNumberOnly').Count | Should -Be 3
        }

        It 'checks a hashtable''s 身份证号 and 姓名 keys, and takes -ExpectedIdNumber on one call' {
            # otherperson: the sandbox's card is somebody else's, whatever the row says.
            $card = 'https://cards.test/ht+otherperson.jpg' | Invoke-IdCardVerification -Sandbox
            (@{ ImageUrl = 'https://cards.test/ht+otherperson.jpg'; 身份证号 = '110101199001010015'; 姓名 = $card.Name } | Invoke-IdCardVerification -Sandbox -WarningAction SilentlyContinue).Identity | Should -Be 'IdNumberDiffers'
            (Invoke-IdCardVerification 'https://cards.test/ht.jpg' -Sandbox -ExpectedIdNumber $card.IdNumber.ToLower() -ExpectedName $card.Name).Identity | Should -Be 'Same'
        }

        It 'reads the usual HR headers (员工姓名, 公民身份号码), names them once in -Verbose, and the sandbox''s card follows the row' {
            $rows = @(
                [pscustomobject]@{ 工号 = 'E1'; 员工姓名 = '李测试'; 公民身份号码 = '110101196301230411'; 照片链接 = 'https://cards.test/f1.jpg' }
                [pscustomobject]@{ 工号 = 'E2'; 员工姓名 = '王样本'; 公民身份号码 = '110101196105206748'; 照片链接 = 'https://cards.test/f2.jpg' }
            )
            $out = $rows | Invoke-IdCardVerification -Sandbox -Verbose 4>&1
            $r = @($out | Where-Object { $_ -is [IdCardVerify.VerificationResult] })
            $r.Verdict | Should -Be @('Match', 'Match')
            $r.Identity | Should -Be @('Same', 'Same')
            $r[0].IdNumber | Should -Be '110101196301230411'
            $r[0].Name | Should -Be '李测试'
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match "ID number \(column '公民身份号码'\) and name \(column '员工姓名'\)" }).Count | Should -Be 1
        }

        It 'tells a name written another way (<Case>) from somebody else''s card: NameWrittenOtherwise, check the spelling' -ForEach @(
            @{ Case = 'traditional characters'; Form = { param($n) $n -replace '陈', '陳' } }
            @{ Case = 'spaces'; Form = { param($n) ($n.ToCharArray() -join ' ') } }
        ) {
            # otherperson: the sandbox's card keeps its own identity; the row then writes that same name another way.
            $card = Invoke-IdCardVerification 'https://cards.test/a1+otherperson.jpg' -Sandbox
            $row = & $Form $card.Name
            $r = Invoke-IdCardVerification 'https://cards.test/a1+otherperson.jpg' -Sandbox -ExpectedIdNumber $card.IdNumber -ExpectedName $row -WarningAction SilentlyContinue
            if ($Case -eq 'spaces') {
                $r.Identity | Should -Be 'Same' -Because 'spaces never made another name'
            }
            else {
                $row | Should -Not -Be $card.Name -Because 'the sandbox''s card for a1 is 陈演示'
                $r.Identity | Should -Be 'NameWrittenOtherwise'
                $r.Verdict | Should -Be 'Review'
                $r.Reason | Should -Match 'check the spelling in the HR record'
                $r.Reason | Should -Not -Match 'do not accept'
            }
        }

        It 'says only the number was compared when the row has no name: IdNumberOnly, and the reason says so' {
            $r = [pscustomobject]@{ ImageUrl = 'https://cards.test/num.jpg'; 身份证号 = '110101196301230411' } | Invoke-IdCardVerification -Sandbox
            $r.Identity | Should -Be 'IdNumberOnly'
            $r.Reason | Should -Match 'the name was not compared'
        }

        It 'says there is no URL, not "<null>", when -Sandbox is given none' {
            $null = Invoke-IdCardVerification -Sandbox -ImageUrl $null -ErrorVariable errs -ErrorAction SilentlyContinue
            "$($errs[0])" | Should -Match 'image URL is empty'
            "$($errs[0])" | Should -Not -Match '<null>'
        }
    }

    Context 'Import-IdCardSheet: the sheet as the HR office hands it over' {
        BeforeAll {
            $script:sheets = Join-Path $TestDrive 'sheets'
            $null = New-Item -ItemType Directory $sheets -Force
            New-TestImages -Path $sheets
            $header = '工号,员工姓名,公民身份号码,部门,照片文件'
            $lines = @('2026年入职员工名单', $header, 'E1001,李测试,110101196301230411,财务部,card.jpg', 'E1002,王样本,1.10101E+17,信息部,card.png', 'E1003,赵示例,="110101198601126543",销售部,card.jpg', '', '')
            [IO.File]::WriteAllLines((Join-Path $sheets 'gbk.csv'), $lines, [Text.Encoding]::GetEncoding('gb18030'))
            [IO.File]::WriteAllLines((Join-Path $sheets 'utf8.csv'), $lines, [Text.UTF8Encoding]::new($false))
            [IO.File]::WriteAllLines((Join-Path $sheets 'unicode.txt'), ($lines -replace ',', "`t"), [Text.Encoding]::Unicode)
            [IO.File]::WriteAllLines((Join-Path $sheets 'semicolon.csv'), ($lines -replace ',', ';'), [Text.UTF8Encoding]::new($true))
        }

        It 'reads <File> (encoding and separator detected), skips the title row and empty rows, and reports the destroyed ID' -ForEach @(
            @{ File = 'gbk.csv' }, @{ File = 'utf8.csv' }, @{ File = 'unicode.txt' }, @{ File = 'semicolon.csv' }
        ) {
            $rows = @(Import-IdCardSheet (Join-Path $sheets $File) -ErrorVariable errs -ErrorAction SilentlyContinue)
            $rows.Count | Should -Be 3
            $rows[0].工号 | Should -Be 'E1001'
            $rows[0].员工姓名 | Should -Be '李测试'
            $rows[0].公民身份号码 | Should -Be '110101196301230411'
            $rows[2].公民身份号码 | Should -Be '110101198601126543' -Because 'a formula-quoted text is the text it holds'
            $rows[1].公民身份号码 | Should -BeNullOrEmpty -Because 'a destroyed number is never passed on'
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'IdNumberDestroyedBySpreadsheet,*'
            $errs[0].Exception.Message | Should -Match 'Row 4'
            $rows[0].照片文件 | Should -Be (Join-Path $sheets 'card.jpg') -Because 'a photo named in a sheet is next to the sheet'
        }

        It 'reads a workbook made by openpyxl: title row, merged cells, a number for an ID, the second worksheet by name or number' -Skip:(-not $hasOpenpyxl) {
            $book = Join-Path $sheets '入职.xlsx'
            & /usr/bin/python3 (Join-Path $PSScriptRoot 'fixtures-make/make_workbook.py') $book
            $LASTEXITCODE | Should -Be 0
            $rows = @(Import-IdCardSheet $book -ErrorVariable errs -ErrorAction SilentlyContinue)
            $rows.Count | Should -Be 3
            $rows.工号 | Should -Be @('E1001', 'E1002', 'E1003')
            $rows[0].公民身份号码 | Should -Be '110101196301230411'
            $rows[1].公民身份号码 | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'IdNumberDestroyedBySpreadsheet,*'
            (Import-IdCardSheet $book -Worksheet 其他).Note | Should -Be 'second sheet'
            (Import-IdCardSheet $book -Worksheet 2).Note | Should -Be 'second sheet'
            { Import-IdCardSheet $book -Worksheet 9 } | Should -Throw '*2 worksheet(s)*'
        }

        It 'pipes into Invoke-IdCardVerification: the sheet''s photo files verified from its folder, the usual headers compared' {
            Push-Location $TestDrive
            try {
                $r = @(Import-IdCardSheet (Join-Path $sheets 'utf8.csv') -ErrorAction SilentlyContinue | Invoke-IdCardVerification -Sandbox -ImagePathProperty 照片文件)
            }
            finally { Pop-Location }
            $r.Count | Should -Be 3
            $r[0].ImagePath | Should -Be (Join-Path $sheets 'card.jpg')
            $r[0].Identity | Should -Be 'Same'
            $r[1].Identity | Should -Be 'NameOnly' -Because 'its destroyed number was not passed on'
        }

        It 'writes the results to a workbook openpyxl reads back: IDs as text, no formula, header frozen with a filter; -MaskPersonalData masks' -Skip:(-not $hasOpenpyxl) {
            $out = Join-Path $sheets 'verified.xlsx'
            $rows = @(
                [pscustomobject]@{ 工号 = 'E1'; 员工姓名 = '李测试'; 公民身份号码 = '110101196301230411'; 备注 = '=HYPERLINK("http://x","y")'; ImageUrl = 'https://cards.test/w1.jpg' }
                [pscustomobject]@{ 工号 = 'E2'; 员工姓名 = '王样本'; 公民身份号码 = '110101196105206748'; 备注 = '+cmd|calc'; ImageUrl = 'https://cards.test/w2+nomatch.jpg' }
            )
            $file = $rows | Invoke-IdCardVerification -Sandbox | Export-IdCardSheet -Path $out
            $file.FullName | Should -Be $out
            $book = & /usr/bin/python3 (Join-Path $PSScriptRoot 'fixtures-make/read_workbook.py') $out | ConvertFrom-Json
            $book.formulas | Should -Be 0
            $book.freeze | Should -Be 'A2'
            $book.filter | Should -Not -BeNullOrEmpty
            $header = $book.rows[0].v
            $header[0..3] | Should -Be @('工号', '员工姓名', '公民身份号码', '备注')
            $header | Should -Contain 'Verdict'
            $idColumn = [array]::IndexOf($header, 'IdNumber')
            $book.rows[1][$idColumn].v | Should -Be '110101196301230411'
            $book.rows[1][$idColumn].t | Should -Be 's' -Because 'an ID number is a text cell, never a number Excel would round'
            $book.rows[1][2].t | Should -Be 's'
            $book.rows[1][3].v | Should -Be '=HYPERLINK("http://x","y")' -Because 'text stays text, not a formula'
            $book.rows[2][[array]::IndexOf($header, 'Verdict')].v | Should -Be 'NoMatch'
            # Verdicts coloured by the workbook's own rules, on the Verdict column.
            $letter = [string][char]([int][char]'A' + [array]::IndexOf($header, 'Verdict'))
            $book.colours.Count | Should -Be 1
            $book.colours[0].range | Should -Be "${letter}2:${letter}1048576"
            ($book.colours[0].rules | Where-Object { $_.formula -contains '"Match"' }).fill | Should -Be 'FFC6EFCE'
            ($book.colours[0].rules | Where-Object { $_.formula -contains '"Error"' }).fill | Should -Be 'FFFFC7CE'
            if (-not $IsWindows) { [Convert]::ToString(((Get-Item $out).UnixFileMode.value__), 8) | Should -Be '600' }

            $masked = Join-Path $sheets 'masked.xlsx'
            $null = $rows | Invoke-IdCardVerification -Sandbox | Export-IdCardSheet -Path $masked -MaskPersonalData
            $text = (& /usr/bin/python3 (Join-Path $PSScriptRoot 'fixtures-make/read_workbook.py') $masked)
            $text | Should -Not -Match '19630123'
            $text | Should -Not -Match '测试'
        }
    }
}
