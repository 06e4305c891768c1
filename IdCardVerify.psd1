@{
    # The version is stamped here by build.ps1 from Directory.Build.props; do not edit it by hand.
    ModuleVersion        = '0.1.0'
    RootModule           = 'IdCardVerify.dll'
    GUID                 = '5b0f3c8e-7a41-4d5e-9a3f-2c6b1e8d4f70'
    Author               = 'IdCardVerify contributors'
    CompanyName          = 'IdCardVerify contributors'
    Copyright            = '(c) IdCardVerify contributors. MIT licence.'
    Description          = 'Verifies Chinese resident ID cards (portrait photo and OCR) through the ID Card Portrait Photo Verification API: bulk CSV runs, runbooks and ad-hoc checks, with a built-in sandbox.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('IdCardVerify.Format.ps1xml')
    CmdletsToExport      = @(
        'Invoke-IdCardVerification'
        'Import-IdCardSheet'
        'Export-IdCardSheet'
        'Set-IdCardVerifyConfig'
        'Get-IdCardVerifyConfig'
        'Test-IdCardSimilarity'
        'Test-IdCardNumber'
        'Export-IdCardVerificationReport'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('IdCard', 'Identity', 'Verification', 'KYC', 'OCR', 'China', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/idcardverify/IdCardVerify'
            LicenseUri   = 'https://github.com/idcardverify/IdCardVerify/blob/main/LICENSE'
            ReleaseNotes = 'Invoke-IdCardVerification (bulk, retries, rate limit, checkpoint resume as a ledger, -IncludeFailed, the Review verdict, sandbox), Set-/Get-IdCardVerifyConfig (Process and CurrentUser scopes), Test-IdCardSimilarity, Test-IdCardNumber (15-digit numbers too), Export-IdCardVerificationReport (an HTML review page).'
        }
    }
}
