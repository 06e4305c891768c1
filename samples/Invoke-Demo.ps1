<#
.SYNOPSIS
    The README's demo: the sample CSV through the sandbox, a table on screen and a CSV on disk.
.DESCRIPTION
    Runs in a fresh pwsh started by build.ps1 Demo. Row E1008 is a local file path and E1010 forces an
    HTTP 500 from the simulator: both show as errors while every other row still comes back.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $InputCsv,
    [Parameter(Mandatory)] [string] $OutputCsv
)

$ErrorActionPreference = 'Continue'
Import-Module $ModulePath

$results = Import-Csv $InputCsv |
    Invoke-IdCardVerification -Sandbox -CopyWarn -ReshootWarn -MaxRetries 1 -IncludeFailed -ErrorVariable failures

# The row's own key column beside the verification; ID numbers masked on screen (the CSV keeps them whole).
$results |
    Format-Table EmployeeId, Verdict, Similarity, Warnings, @{ n = 'IdNumber'; e = { [IdCardVerify.PersonalData]::MaskIdNumber($_.IdNumber) } }, Result -AutoSize |
    Out-String -Width 160 | Write-Host
# With a byte-order mark, so Excel reads the Chinese names as UTF-8 (see README, "Opening the export in Excel").
$results | Export-Csv -LiteralPath $OutputCsv -NoTypeInformation -Encoding utf8BOM

# The page a reviewer opens: a card for every row that needs a person, personal data masked.
$report = Join-Path (Split-Path $OutputCsv) 'review.html'
$null = $results | Export-IdCardVerificationReport -Path $report

Write-Host ("{0} verified, {1} failed; results written to {2}, the review page to {3}" -f @($results | Where-Object Verdict -NE 'Error').Count, @($failures).Count, $OutputCsv, $report)
if (@($results).Count -eq 0) { exit 1 }
