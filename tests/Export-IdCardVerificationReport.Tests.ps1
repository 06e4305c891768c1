#requires -Modules Pester
# The review report as a reviewer sees it: opened in a real browser (headless Chromium through
# chromedriver's WebDriver API), its DOM read back after rendering.

Describe 'Export-IdCardVerificationReport' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:TestConfig = Initialize-TestFile -Drive $TestDrive
        $script:chromium = @('/usr/bin/chromium', '/usr/bin/chromium-browser') | Where-Object { Test-Path $_ } | Select-Object -First 1
        $script:driverPath = (Get-Command chromedriver -ErrorAction SilentlyContinue).Source
        $script:haveBrowser = $chromium -and $driverPath

        # One sandbox run with every verdict, piped on as a runbook would: -IncludeFailed puts the failed rows in.
        $script:rows = @(
            [pscustomobject]@{ EmployeeId = 'E1'; ImageUrl = 'https://cards.test/e1.jpg' }
            [pscustomobject]@{ EmployeeId = 'E2'; ImageUrl = 'https://cards.test/idmismatch.jpg' }
            [pscustomobject]@{ EmployeeId = 'E3'; ImageUrl = 'https://cards.test/warn-photocopy.jpg' }
            [pscustomobject]@{ EmployeeId = 'E4'; ImageUrl = 'https://cards.test/nomatch.jpg' }
            [pscustomobject]@{ EmployeeId = 'E5'; ImageUrl = 'https://cards.test/fail-ImageBlur.jpg' }
            [pscustomobject]@{ EmployeeId = 'E6'; ImageUrl = 'C:\scans\e6.jpg' }
            [pscustomobject]@{ EmployeeId = 'E7'; ImageUrl = 'https://cards.test/e7.jpg' }
        )
        $script:results = $rows | Invoke-IdCardVerification -Sandbox -CopyWarn -IncludeFailed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        function Read-Report([string] $Path, [string] $Script) {
            # chromedriver on a free loopback port; one session; the page's DOM read back by a script.
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $driver = Start-Process -FilePath $driverPath -ArgumentList "--port=$port" -PassThru -RedirectStandardOutput (Join-Path $TestDrive "driver-$port.log")
            try {
                $base = "http://127.0.0.1:$port"
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while ($true) {
                    try { $null = Invoke-RestMethod "$base/status"; break }
                    catch { if ([DateTime]::UtcNow -gt $deadline) { throw }; Start-Sleep -Milliseconds 200 }
                }
                $capabilities = @{ capabilities = @{ alwaysMatch = @{ browserName = 'chrome'; 'goog:chromeOptions' = @{
                    binary = $chromium; args = @('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage') } } } }
                $session = (Invoke-RestMethod -Method Post "$base/session" -Body ($capabilities | ConvertTo-Json -Depth 6) -ContentType 'application/json').value.sessionId
                try {
                    $null = Invoke-RestMethod -Method Post "$base/session/$session/url" -Body (@{ url = [string]([System.Uri]::new($Path).AbsoluteUri) } | ConvertTo-Json) -ContentType 'application/json'
                    $script = if ($Script) { $Script } else { @'
const q = s => Array.from(document.querySelectorAll(s));
const verdicts = {};
q('td[data-verdict]').forEach(e => verdicts[e.dataset.verdict] = Number(e.textContent));
return {
  total: Number(document.querySelector('[data-total]').dataset.total),
  verdicts: verdicts,
  cards: q('section.card').map(e => e.dataset.verdict),
  cardInputs: q('section.card dd.input').map(e => e.textContent),
  images: q('img').map(i => ({ complete: i.complete, width: i.naturalWidth })),
  pii: q('dd.pii').map(e => e.textContent),
  whys: q('section.card').map(e => { const w = e.querySelector('dd.why'); return w ? w.textContent : ''; }),
  headings: q('section.card h3').map(e => e.textContent),
  matches: q('table.matches tr[data-verdict]').length,
  bars: q('svg.histogram rect').length,
  thresholdLines: q('svg.histogram line.threshold').length,
  resources: performance.getEntriesByType('resource').map(e => e.name),
  charset: document.characterSet,
  text: document.body.innerText
};
'@ }
                    (Invoke-RestMethod -Method Post "$base/session/$session/execute/sync" -Body (@{ script = $script; args = @() } | ConvertTo-Json) -ContentType 'application/json').value
                }
                finally { $null = Invoke-RestMethod -Method Delete "$base/session/$session" }
            }
            finally { if (-not $driver.HasExited) { $driver.Kill() }; $driver.WaitForExit() }
        }
    }

    AfterAll { Complete-TestFile $TestConfig }

    It 'writes the page in Chinese under zh-CN and in English under en-US, with the same verdict values and counts' {
        $zh = $results | Export-IdCardVerificationReport -Path (Join-Path $TestDrive 'zh.html') -Culture zh-CN
        $en = $results | Export-IdCardVerificationReport -Path (Join-Path $TestDrive 'en.html') -Culture en-US
        $zhHtml = Get-Content -Raw -Encoding utf8 $zh; $enHtml = Get-Content -Raw -Encoding utf8 $en
        $zhHtml | Should -Match '<html lang="zh-CN">'
        $zhHtml | Should -Match '<h1>身份证核验：复核报告</h1>'
        $zhHtml | Should -Match '需要人工处理的行'
        $zhHtml | Should -Match '图像是身份证复印件：请申请人重新拍摄身份证原件'
        $zhHtml | Should -Match 'font-family:[^;]*"Microsoft YaHei"[^;]*"PingFang SC"[^;]*"Noto Sans CJK SC"'
        $enHtml | Should -Match '<html lang="en">'
        $enHtml | Should -Match '<h1>ID card verification: review</h1>'
        # The module's own words (headings, table heads, labels) are English there; the API's own text (its description) stays as it came.
        ([regex]::Matches($enHtml, '<(h1|h2|th|dt)>([^<]*)<') | ForEach-Object { $_.Groups[2].Value }) -join ' ' | Should -Not -Match '[\u4e00-\u9fff]'
        ([regex]::Matches($zhHtml, '<(h2|dt)>([^<]*)<') | ForEach-Object { $_.Groups[2].Value } | Where-Object { $_ -ne 'EmployeeId' }) -join ' ' | Should -Match '^[^A-Za-z]*$' -Because 'every heading and label of the Chinese page is Chinese (the row''s own column names stay as they are)'
        foreach ($html in $zhHtml, $enHtml) {
            [regex]::Matches($html, 'data-verdict="(\w+)"').Groups.Where({ $_.Name -eq '1' }).Value | Sort-Object -Unique |
                Should -Be ([regex]::Matches($enHtml, 'data-verdict="(\w+)"').Groups.Where({ $_.Name -eq '1' }).Value | Sort-Object -Unique)
        }
    }

    It 'renders the Chinese headings in Chromium with a CJK font, not as empty boxes' {
        if (-not $haveBrowser) { Set-ItResult -Skipped -Because 'chromium and chromedriver are not installed (.ci/run installs them)'; return }
        $page = $results | Export-IdCardVerificationReport -Path (Join-Path $TestDrive 'zh-render.html') -Culture zh-CN
        # Drawn in the heading's own font: its text, and as many private-use characters, which no font has (so each is
        # drawn as the missing-glyph box). Where no font holds the Chinese glyphs, the two drawings are the same boxes.
        $measure = @'
const h1 = document.querySelector('h1');
const style = getComputedStyle(h1);
const text = h1.textContent;
const draw = s => { const c = document.createElement('canvas'); c.width = 1200; c.height = 80; const x = c.getContext('2d');
  x.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily; x.fillStyle = '#000'; x.fillText(s, 4, 56);
  const d = x.getImageData(0, 0, c.width, c.height).data; let ink = 0, sig = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { ink++; sig = (sig * 31 + i) % 1000000007; } }
  return { ink: ink, sig: sig, width: x.measureText(s).width }; };
return { lang: document.documentElement.lang, text: text, font: style.fontFamily, size: parseFloat(style.fontSize), glyphs: draw(text), boxes: draw('\uE000'.repeat(Array.from(text).length)) };
'@
        $r = Read-Report -Path $page.FullName -Script $measure
        $r.lang | Should -Be 'zh-CN'
        $r.text | Should -Be '身份证核验：复核报告'
        $r.glyphs.ink | Should -BeGreaterThan 0
        $r.glyphs.sig | Should -Not -Be $r.boxes.sig -Because 'the heading must be drawn with glyphs, not the missing-glyph boxes (.ci/run installs fonts-noto-cjk)'
        # CJK glyphs are about one em wide each: ten of them at the heading's size.
        $r.glyphs.width | Should -BeGreaterThan (0.9 * 10 * $r.size)
    }

    It 'writes a page readable by its owner alone, with a policy that forbids every request' {
        $path = Join-Path $TestDrive 'plain.html'
        $file = $results | Export-IdCardVerificationReport -Path $path
        $file.FullName | Should -Be $path
        if (-not $IsWindows) { (Get-Item $path).UnixMode | Should -Be '-rw-------' }
        $html = Get-Content -Raw $path
        $html | Should -Match '<meta charset="utf-8">'
        $html | Should -Match "Content-Security-Policy"" content=""default-src 'none'; img-src data:"
        $html | Should -Not -Match '<script'
        $html | Should -Not -Match '(src|href)="https?:'
    }

    It 'renders in Chromium with the input''s counts, a card per row that needs a person, decoded portraits and masked data' {
        if (-not $haveBrowser) { Set-ItResult -Skipped -Because 'chromium and chromedriver are not installed (.ci/run installs them)'; return }
        $path = Join-Path $TestDrive 'review.html'
        $null = $results | Export-IdCardVerificationReport -Path $path
        $page = Read-Report $path

        $page.charset | Should -Be 'UTF-8'
        $page.total | Should -Be $rows.Count
        foreach ($group in $results | Group-Object Verdict) { $page.verdicts.($group.Name) | Should -Be $group.Count -Because "the $($group.Name) count" }
        $flagged = @($results | Where-Object Verdict -NE 'Match')
        $page.cards.Count | Should -Be $flagged.Count
        # Worst first: the error, then the one to review.
        $page.cards[0] | Should -Be 'Error'
        $page.cards[1] | Should -Be 'Review'
        foreach ($r in $flagged) { $page.cardInputs | Should -Contain $r.EmployeeId }
        # Not two zeros: the run has matches, and the list shows each.
        @($results | Where-Object Verdict -EQ 'Match').Count | Should -BeGreaterThan 0
        $page.matches | Should -Be @($results | Where-Object Verdict -EQ 'Match').Count
        @($page.images).Count | Should -BeGreaterThan 0
        foreach ($image in $page.images) { $image.complete | Should -BeTrue; $image.width | Should -BeGreaterThan 0 }
        $page.bars | Should -Be 20
        $page.thresholdLines | Should -Be 1
        foreach ($r in $results | Where-Object IdNumber) {
            $page.text | Should -Not -Match $r.IdNumber
            $page.text | Should -Not -Match $r.Name
        }
        $page.pii | Where-Object { $_ -notmatch '\*|…' } | Should -BeNullOrEmpty
        @($page.resources | Where-Object { $_ -notmatch '^data:' }).Count | Should -Be 0 -Because 'the page fetches nothing'
    }

    It 'shows full values with -IncludePersonalData, and no faces with -NoPortrait' {
        if (-not $haveBrowser) { Set-ItResult -Skipped -Because 'chromium and chromedriver are not installed (.ci/run installs them)'; return }
        $full = Join-Path $TestDrive 'full.html'
        $null = $results | Export-IdCardVerificationReport -Path $full -IncludePersonalData -NoPortrait
        $page = Read-Report $full
        $review = $results | Where-Object Verdict -EQ 'Review'
        $page.text | Should -Match $review.IdNumber
        @($page.images).Count | Should -Be 0
    }

    It 'shows the portrait of a row resumed from a checkpoint journal, read from its portrait file' {
        $journal = Join-Path $TestDrive 'report.jsonl'
        $faces = Join-Path $TestDrive 'report-faces'
        $null = 'https://cards.test/nomatch.jpg' | Invoke-IdCardVerification -Sandbox -CheckpointPath $journal -PortraitDirectory $faces
        $resumed = 'https://cards.test/nomatch.jpg' | Invoke-IdCardVerification -Sandbox -CheckpointPath $journal
        $resumed.FromCheckpoint | Should -BeTrue
        $resumed.HasPortrait | Should -BeFalse
        $path = Join-Path $TestDrive 'resumed.html'
        $null = $resumed | Export-IdCardVerificationReport -Path $path
        Get-Content -Raw $path | Should -Match '<img alt="portrait" src="data:image/jpeg;base64,/9j/'
    }

    It 'gives matches cards with -IncludeMatches' {
        $path = Join-Path $TestDrive 'matches.html'
        $null = $results | Export-IdCardVerificationReport -Path $path -IncludeMatches
        ([regex]::Matches((Get-Content -Raw $path), '<section class="card v-Match"')).Count | Should -Be @($results | Where-Object Verdict -EQ 'Match').Count
    }

    It 'says how many rows were left out past -MaxCards' {
        $path = Join-Path $TestDrive 'capped.html'
        $many = 1..30 | ForEach-Object { "https://cards.test/nomatch-$_+nomatch.jpg" } | Invoke-IdCardVerification -Sandbox
        $null = $many | Export-IdCardVerificationReport -Path $path -MaxCards 10
        $html = Get-Content -Raw $path
        ([regex]::Matches($html, '<section class="card')).Count | Should -Be 10
        $html | Should -Match 'data-left-out="20"'
        $html | Should -Match 'Narrow the input'
    }

    It 'refuses what is not a verification result, per item, and goes on' {
        $path = Join-Path $TestDrive 'mixed.html'
        $null = @($results[0], 'not a result', $results[1]) | Export-IdCardVerificationReport -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotAVerificationResult,*'
        Get-Content -Raw $path | Should -Match 'data-total="2"'
    }

    It 'says why on every card of a Chinese HR export, and "face not compared" where no face was, in Chromium' {
        if (-not $haveBrowser) { Set-ItResult -Skipped -Because 'chromium and chromedriver are not installed (.ci/run installs them)'; return }
        $sheet = Import-Csv -LiteralPath (Join-Path $PSScriptRoot '../samples/hr-export.csv') -Encoding gb18030 |
            Invoke-IdCardVerification -Sandbox -CopyWarn -ReshootWarn -IncludeFailed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $path = Join-Path $TestDrive 'hr-review.html'
        $null = $sheet | Export-IdCardVerificationReport -Path $path
        $page = Read-Report $path
        $page.cards.Count | Should -Be 6
        foreach ($why in $page.whys) { $why | Should -Match '^(Review|Error|Warning|NoMatch|Failed)\b.*\S' }
        ($page.whys -join "`n") | Should -Match "not the row's person.*ask the applicant for their own card"
        ($page.whys -join "`n") | Should -Match 'typo in the sheet'
        ($page.whys -join "`n") | Should -Match 'photo of the original card'
        @($page.headings | Where-Object { $_ -match 'Warning' }) | ForEach-Object { $_ | Should -Match 'face not compared' }
        ($page.headings -join "`n") | Should -Not -Match 'similarity 0 against'
    }
}
