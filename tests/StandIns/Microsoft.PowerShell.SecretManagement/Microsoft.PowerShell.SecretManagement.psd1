# A stand-in for Microsoft.PowerShell.SecretManagement, which cannot be installed on the build machine
# (no PowerShell Gallery): Get-Secret with the real command's parameters and return types, answering
# from a JSON file named by $env:IDCV_TEST_SECRETS. Only the tests put it on PSModulePath.
@{
    ModuleVersion     = '1.1.2'
    RootModule        = 'Microsoft.PowerShell.SecretManagement.psm1'
    GUID              = 'a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3'
    Author            = 'IdCardVerify tests'
    Description       = 'Test stand-in for Microsoft.PowerShell.SecretManagement: Get-Secret only.'
    PowerShellVersion = '5.1'
    FunctionsToExport = @('Get-Secret')
    CmdletsToExport   = @()
}
