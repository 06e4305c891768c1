#requires -Version 7.2
<#
.SYNOPSIS
    Issue 31's figures: 100,000 rows out to a workbook (Export-IdCardSheet) and in again (Import-IdCardSheet, the
    workbook and the same rows as a GB18030 CSV), each in a fresh pwsh that reports its time and peak memory (VmHWM).
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./bench/Sheets.ps1
#>
param([int] $Rows = 100000)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$module = Join-Path $root 'out/IdCardVerify/IdCardVerify.psd1'
$work = Join-Path ([IO.Path]::GetTempPath()) ('idcv-bench-sheets-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $work
$pwsh = Join-Path $PSHOME 'pwsh'

function Measure-Child([string] $What, [string] $Script) {
    $file = Join-Path $work 'step.ps1'
    Set-Content $file -Encoding utf8NoBOM -Value @"
Import-Module '$module'
`$clock = [Diagnostics.Stopwatch]::StartNew()
$Script
'SECONDS=' + `$clock.Elapsed.TotalSeconds.ToString('0.0', [cultureinfo]::InvariantCulture)
'PEAKMB=' + [int]([long](((Get-Content /proc/self/status | Select-String '^VmHWM').Line) -replace '\D', '') / 1024)
"@
    $out = & $pwsh -NoProfile -NonInteractive -File $file | Out-String
    [pscustomobject]@{
        Step    = $What
        Seconds = [double]([regex]::Match($out, 'SECONDS=([\d.]+)').Groups[1].Value)
        PeakMB  = [int]([regex]::Match($out, 'PEAKMB=(\d+)').Groups[1].Value)
        Rows    = [int]([regex]::Match($out, 'ROWS=(\d+)').Groups[1].Value)
    }
}

try {
    $book = Join-Path $work 'out.xlsx'
    $csv = Join-Path $work 'in.csv'
    # The CSV: a title row, the usual headers, 18-digit numbers as text, GB18030 as Excel on a Chinese Windows saves it.
    $writer = [IO.StreamWriter]::new($csv, $false, [Text.Encoding]::GetEncoding('gb18030'))
    $writer.WriteLine('2026年入职员工名单'); $writer.WriteLine('工号,员工姓名,公民身份号码,部门,照片链接')
    for ($i = 1; $i -le $Rows; $i++) { $writer.WriteLine("E$i,李测试,110101196301230411,财务部,https://cards.test/e$i.jpg") }
    $writer.Dispose()

    $results = @(
        Measure-Child 'Export-IdCardSheet (results made in memory, streamed out)' "1..$Rows | ForEach-Object { `$r = [IdCardVerify.VerificationResult]::new(); `$r.IdNumber = '110101196301230411'; `$r.Name = '李测试'; `$r.Reason = 'Match: accept.'; `$r.ImageUrl = ""https://cards.test/e`$_.jpg""; `$o = [psobject]::new(`$r); `$o.PSObject.Properties.Add([psnoteproperty]::new('工号', ""E`$_"")); `$o } | Export-IdCardSheet -Path '$book' | Out-Null; 'ROWS=$Rows'"
        Measure-Child 'Import-IdCardSheet, the workbook' "`$n = 0; Import-IdCardSheet '$book' | ForEach-Object { `$n++ }; 'ROWS=' + `$n"
        Measure-Child 'Import-IdCardSheet, the GB18030 CSV' "`$n = 0; Import-IdCardSheet '$csv' | ForEach-Object { `$n++ }; 'ROWS=' + `$n"
        Measure-Child 'pwsh with the module imported, nothing run (baseline)' "'ROWS=0'"
    )
    $results | Format-Table -AutoSize | Out-String -Width 200
    "workbook: {0:0.0} MB, CSV: {1:0.0} MB" -f ((Get-Item $book).Length / 1MB), ((Get-Item $csv).Length / 1MB)
}
finally {
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}
