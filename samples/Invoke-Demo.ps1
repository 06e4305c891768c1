<#
.SYNOPSIS
    The README's demo: a Chinese HR export through the sandbox, a table on screen, a CSV and a review page on disk.
.DESCRIPTION
    Runs in a fresh pwsh started by build.ps1 Demo. samples/hr-export.csv is saved as Excel on a Chinese Windows saves
    it (GB18030, headers 工号,姓名,身份证号,部门,照片链接). The photo column is found by itself; each card is checked
    against the row's 身份证号 and 姓名. Row E2003 has a typo in its ID number: it is refused, as it should be, before
    any call (the one error on screen); E2002 is a relative's genuine card (Review); the others show each verdict.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $InputCsv,
    [Parameter(Mandatory)] [string] $OutputCsv,
    [string] $ScansFolder
)

$ErrorActionPreference = 'Continue'
Import-Module $ModulePath

Write-Host "Verifying $(Split-Path -Leaf $InputCsv) in the sandbox. One error below is intended: row E2003's ID number has a typo, so it is refused before any call."
$results = Import-Csv $InputCsv -Encoding gb18030 |
    Invoke-IdCardVerification -Sandbox -CopyWarn -ReshootWarn -MaxRetries 1 -IncludeFailed -ErrorVariable failures -WarningAction SilentlyContinue

# Who each row is (its 工号), the verdict, whether the card is the row's person, and why in words.
$results |
    Format-Table Key, Verdict, Identity, @{ n = 'Similarity'; e = { if ($null -ne $_.Similarity) { $_.Similarity.ToString('0.00') } } }, Reason -Wrap |
    Out-String -Width 200 | Write-Host
# With a byte-order mark, so Excel reads the Chinese names as UTF-8 (see README, "Opening the export in Excel").
$results | Export-Csv -LiteralPath $OutputCsv -NoTypeInformation -Encoding utf8BOM

# The page a reviewer opens: a card for every row that needs a person, with why and the next step, personal data masked.
$report = Join-Path (Split-Path $OutputCsv) 'review.html'
$null = $results | Export-IdCardVerificationReport -Path $report

Write-Host ("{0} verified, {1} refused; results written to {2}, the review page to {3}" -f @($results | Where-Object Verdict -NE 'Error').Count, @($failures).Count, $OutputCsv, $report)
if (@($results).Count -eq 0) { exit 1 }

if ($ScansFolder) {
    # Scans on disk: each checked before any call (format from its bytes, size, EXIF orientation, shrunk to the API's
    # limit), staged (in the sandbox, a simulated store: nothing leaves this computer) and verified. The hostile files
    # (a HEIC photo, a PDF, a cut-off JPEG, an empty file, a 40 MB file, a decompression bomb) are each refused with why.
    Write-Host ''
    Write-Host "Verifying the scans in $ScansFolder in the sandbox. The refused files are intended: each says what it is and the fix."
    $scans = Get-ChildItem $ScansFolder -File | Invoke-IdCardVerification -Sandbox -IncludeFailed -ErrorAction SilentlyContinue
    $scans | Format-Table Key, Verdict, ErrorId, Reason -Wrap | Out-String -Width 200 | Write-Host
    $scanReport = Join-Path (Split-Path $OutputCsv) 'scans-review.html'
    $null = $scans | Export-IdCardVerificationReport -Path $scanReport
    Write-Host ("{0} scans verified, {1} refused before any call; the review page is {2}" -f @($scans | Where-Object Verdict -NE 'Error').Count, @($scans | Where-Object Verdict -EQ 'Error').Count, $scanReport)
    if (@($scans | Where-Object Verdict -NE 'Error').Count -eq 0) { exit 1 }
}
