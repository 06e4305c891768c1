# Helpers shared by the Pester files: the loopback emulator as a child process, and its admin routes.

function Start-TestServer {
    <# Starts tests/IdCardVerify.TestServer with these arguments; returns its process and what follows $Ready on its first line. #>
    param([string[]] $Arguments, [string] $Ready, [string] $What)
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($arg in @($env:IDCARDVERIFY_TEST_EMULATOR) + $Arguments) { $start.ArgumentList.Add([string]$arg) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(30)) -or $read.Result -notlike "$Ready *") {
        $process.Kill()
        throw "The $What did not start: $($read.Result)"
    }
    [pscustomobject]@{ Process = $process; Address = [uri]$read.Result.Substring($Ready.Length + 1) }
}

function Start-Emulator {
    <# Starts the emulator on 127.0.0.1 and an ephemeral port; returns its endpoint and process. #>
    param([string] $Token = 'pester-token-7f3a9c', [int] $LatencyMs = 0)
    $server = Start-TestServer -Arguments '--token', $Token, '--latency-ms', $LatencyMs -Ready 'LISTENING' -What 'emulator'
    [pscustomobject]@{
        Endpoint = $server.Address
        Base     = [uri]$server.Address.GetLeftPart([UriPartial]::Authority)
        Token    = $Token
        Process  = $server.Process
    }
}

function Start-TestProxy {
    <# Starts the test forward proxy on loopback (Basic authentication when a user is given); returns its address and process. #>
    param([string] $User, [string] $Password)
    $arguments = @('--proxy')
    if ($User) { $arguments += '--proxy-user', $User, '--proxy-password', $Password }
    Start-TestServer -Arguments $arguments -Ready 'PROXY' -What 'test proxy'
}

function Get-TestProxyCount {
    <# What the test proxy forwarded and refused (407) so far. #>
    param($Proxy)
    $Proxy.Process.StandardInput.WriteLine('count')
    $line = $Proxy.Process.StandardOutput.ReadLine()
    if ($line -notmatch '^FORWARDED (\d+) REFUSED (\d+)$') { throw "Unexpected answer from the test proxy: $line" }
    [pscustomobject]@{ Forwarded = [int]$Matches[1]; Refused = [int]$Matches[2] }
}

function Stop-Emulator {
    param($Emulator)
    if ($Emulator -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.StandardInput.Close()
        if (-not $Emulator.Process.WaitForExit(5000)) { $Emulator.Process.Kill() }
    }
}

function Get-EmulatorCalls {
    param($Emulator)
    (Invoke-RestMethod -Uri ([uri]::new($Emulator.Base, '/__emulator/calls'))).calls
}

function Get-EmulatorLastRequest {
    param($Emulator)
    Invoke-RestMethod -Uri ([uri]::new($Emulator.Base, '/__emulator/last'))
}

function Reset-Emulator {
    param($Emulator)
    $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Emulator.Base, '/__emulator/reset'))
}

function Invoke-ChildPwsh {
    <# Runs a script in a fresh pwsh and returns everything it wrote, all streams, as text. #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $file = Join-Path ([IO.Path]::GetTempPath()) ("idcv-" + [guid]::NewGuid() + '.ps1')
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8NoBOM
    $saved = @{}
    try {
        foreach ($key in $Environment.Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
        $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $file *>&1 | Out-String -Width 4096
        [pscustomobject]@{ Output = $output; ExitCode = $LASTEXITCODE }
    }
    finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Start-Emulator, Start-TestProxy, Get-TestProxyCount, Stop-Emulator, Get-EmulatorCalls, Get-EmulatorLastRequest, Reset-Emulator, Invoke-ChildPwsh
