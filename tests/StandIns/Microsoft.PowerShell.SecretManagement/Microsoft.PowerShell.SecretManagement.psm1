# Get-Secret as SecretManagement 1.1 declares it: -Name (position 0), -Vault (position 1), -AsPlainText.
# A secret is a SecureString by default (a string with -AsPlainText), or a PSCredential; 'Text' stands
# for a vault extension that hands back a plain string, and 'Locked' for a locked SecretStore, which
# prompts for its password first (and so fails where the host cannot prompt).
$script:calls = 0

function Get-Secret {
    [CmdletBinding(DefaultParameterSetName = 'NameParameterSet')]
    [OutputType([object])]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'NameParameterSet', Position = 1)]
        [string] $Vault,

        [switch] $AsPlainText
    )

    $script:calls++
    [Environment]::SetEnvironmentVariable('IDCV_TEST_SECRET_CALLS', [string]$script:calls)
    $secrets = Get-Content -Raw $env:IDCV_TEST_SECRETS | ConvertFrom-Json
    $entry = $secrets.$Name
    if (-not $entry -or ($Vault -and $entry.vault -ne $Vault)) {
        Write-Error -Message "Get-Secret : The secret $Name was not found." -ErrorId 'GetSecretNotFound' -Category ObjectNotFound
        return
    }

    if ($entry.type -eq 'Locked') {
        $null = Read-Host -AsSecureString -Prompt 'Vault password'
    }

    $secure = ConvertTo-SecureString -String $entry.value -AsPlainText -Force
    switch ($entry.type) {
        'PSCredential' { [pscredential]::new($(if ($entry.user) { $entry.user } else { 'api' }), $secure) }
        'Text' { [string]$entry.value }
        default { if ($AsPlainText) { [string]$entry.value } else { $secure } }
    }
}

Export-ModuleMember -Function Get-Secret
