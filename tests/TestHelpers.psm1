# Helpers shared by the Pester files: the one test setup (Initialize-TestFile), the loopback emulator as a child
# process and its admin routes, the stores, child pwsh processes, a second user.

function Initialize-TestFile {
    <#
    The setup every Pester file shares (as dbatools' $TestConfig): the module under test imported; this file's own
    config and cache folders under its TestDrive (no test reads or writes the developer's, or another file's); the
    cloud platforms' credential variables cleared (a developer's AWS or Azure keys never reach a test); with -Emulator,
    the loopback emulator and the API splat for it. Returns the file's $TestConfig; Complete-TestFile undoes it.
    #>
    param([Parameter(Mandatory)] [string] $Drive, [switch] $Emulator, [int] $MaxRetries = -1)
    Import-Module $env:IDCARDVERIFY_TEST_MODULE -Force -Global
    $saved = @{}
    foreach ($name in 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AZURE_STORAGE_KEY', 'AZURE_STORAGE_SAS_TOKEN', 'AZURE_STORAGE_CONNECTION_STRING') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }

    $env:XDG_CONFIG_HOME = Join-Path $Drive 'config'
    $env:XDG_CACHE_HOME = Join-Path $Drive 'cache'
    $config = [pscustomobject]@{ Saved = $saved; Emulator = $null; Api = @{}; Token = $null }
    if ($Emulator) {
        $config.Emulator = Start-Emulator
        $config.Token = $config.Emulator.Token
        $config.Api = @{ Endpoint = $config.Emulator.Endpoint; Token = $config.Emulator.Token }
        if ($MaxRetries -ge 0) { $config.Api.MaxRetries = $MaxRetries }
    }

    $config
}

function Complete-TestFile {
    <# Undoes Initialize-TestFile: the emulator stopped, the session's settings reset, the environment as it was. #>
    param($TestConfig)
    if (-not $TestConfig) { return }
    Stop-Emulator $TestConfig.Emulator
    if (Get-Command Set-IdCardVerifyConfig -ErrorAction SilentlyContinue) { Set-IdCardVerifyConfig -Reset }
    foreach ($name in $TestConfig.Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $TestConfig.Saved[$name]) }
}

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

function New-TestImages {
    <# Writes the local-file fixtures (card scans, a phone photo, hostile files) into $Path: see ImageFixtures.cs. #>
    param([Parameter(Mandatory)] [string] $Path)
    & dotnet $env:IDCARDVERIFY_TEST_EMULATOR --make-images $Path
    if ($LASTEXITCODE) { throw "The test images could not be made in $Path." }
}

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $port
}

function Initialize-TestStores {
    <# The storage servers come from npm (tests/stores/package-lock.json); installed on first use. #>
    $stores = Join-Path $PSScriptRoot 'stores'
    if (-not (Test-Path (Join-Path $stores 'node_modules/azurite'))) {
        Push-Location $stores
        try { & npm ci --no-audit --no-fund --loglevel error | Out-Null; if ($LASTEXITCODE) { throw 'npm ci failed in tests/stores' } }
        finally { Pop-Location }
    }
    $stores
}

function Start-Node {
    param([string[]] $Arguments, [int] $Port, [string] $What)
    $start = [System.Diagnostics.ProcessStartInfo]::new('node')
    foreach ($arg in $Arguments) { $start.ArgumentList.Add([string]$arg) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($process.HasExited) { throw "The $What exited at start: $($process.StandardError.ReadToEnd())" }
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $Port); return $process } catch { Start-Sleep -Milliseconds 200 } finally { $client.Dispose() }
    }
    $process.Kill()
    throw "The $What did not listen on port $Port within 60 s."
}

function Start-Azurite {
    <# Azure's own storage emulator (blob service only) on loopback, strict: Shared Key and SAS checked, containers private. #>
    $stores = Initialize-TestStores
    $port = Get-FreePort
    $data = Join-Path ([IO.Path]::GetTempPath()) ("idcv-azurite-" + [guid]::NewGuid().ToString('N'))
    $process = Start-Node -Arguments (Join-Path $stores 'node_modules/azurite/dist/src/blob/main.js'), '--blobHost', '127.0.0.1', '--blobPort', $port, '--location', $data, '--silent', '--skipApiVersionCheck' -Port $port -What 'azurite'
    [pscustomobject]@{
        Process  = $process; Data = $data
        Blob     = "http://127.0.0.1:$port/devstoreaccount1"
        Account  = 'devstoreaccount1'
        Key      = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
        Admin    = Join-Path $stores 'azure-admin.js'
    }
}

function Invoke-AzureAdmin {
    <# Azure's own client library (@azure/storage-blob) against azurite: create, list, put; independent of the module. #>
    param($Azurite, [string] $Command, [string] $Container, [string] $Name)
    $arguments = @($Azurite.Admin, $Command, $Azurite.Blob, $Container) + @($Name | Where-Object { $_ })
    $out = & node @arguments
    if ($LASTEXITCODE) { throw "azure-admin $Command failed: $out" }
    @($out | ConvertFrom-Json)
}

function Start-S3Server {
    <# An S3-compatible server (s3rver) on loopback with the bucket 'scans'; its credentials are S3RVER / S3RVER. #>
    $stores = Initialize-TestStores
    $port = Get-FreePort
    $data = Join-Path ([IO.Path]::GetTempPath()) ("idcv-s3-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $data | Out-Null
    $process = Start-Node -Arguments (Join-Path $stores 'node_modules/s3rver/bin/s3rver.js'), '-d', $data, '-a', '127.0.0.1', '-p', $port, '--silent', '--configure-bucket', 'scans' -Port $port -What 's3rver'
    [pscustomobject]@{ Process = $process; Data = $data; Endpoint = "http://127.0.0.1:$port"; AccessKey = 'S3RVER'; Secret = 'S3RVER' }
}

function Get-S3Keys {
    <# The object keys in a bucket of the S3 server, listed over its own HTTP API. #>
    param($S3, [string] $Bucket = 'scans')
    $xml = [xml](Invoke-WebRequest -Uri "$($S3.Endpoint)/$Bucket" -UseBasicParsing).Content
    @($xml.ListBucketResult.Contents | Where-Object { $_ } | ForEach-Object Key)
}

function Initialize-SecondUser {
    <# Root on Linux: the second account (idcvattacker) for tests that take two users, made once; $false where there can be none. #>
    if ($IsWindows -or (& id -u) -ne '0' -or -not (Get-Command runuser -ErrorAction SilentlyContinue) -or -not (Get-Command useradd -ErrorAction SilentlyContinue)) { return $false }
    & id idcvattacker *> $null
    if ($LASTEXITCODE -ne 0) { & useradd --no-create-home --shell /usr/sbin/nologin idcvattacker *> $null }
    & id idcvattacker *> $null
    $LASTEXITCODE -eq 0
}

function Stop-Store {
    param($Store)
    if ($Store -and -not $Store.Process.HasExited) { $Store.Process.Kill($true); $null = $Store.Process.WaitForExit(5000) }
    if ($Store -and $Store.Data) { Remove-Item -Recurse -Force -LiteralPath $Store.Data -ErrorAction SilentlyContinue }
}

Export-ModuleMember -Function Initialize-TestFile, Complete-TestFile, Initialize-SecondUser, Start-Emulator, Start-TestProxy, Get-TestProxyCount, Stop-Emulator, Get-EmulatorCalls, Get-EmulatorLastRequest, Reset-Emulator, Invoke-ChildPwsh, New-TestImages, Start-Azurite, Invoke-AzureAdmin, Start-S3Server, Get-S3Keys, Stop-Store, Get-FreePort
