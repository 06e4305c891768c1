#requires -Modules Pester
# The module as the Gallery ships it: manifest, dependency isolation, views, help, completers, package.

Describe 'The module as shipped' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:manifestPath = $env:IDCARDVERIFY_TEST_MODULE
        $script:moduleBase = Split-Path $manifestPath
        $script:cmdlets = 'Invoke-IdCardVerification', 'Set-IdCardVerifyConfig', 'Get-IdCardVerifyConfig', 'Test-IdCardSimilarity', 'Test-IdCardNumber', 'Export-IdCardVerificationReport', 'Import-IdCardSheet', 'Export-IdCardSheet'
    }

    Context 'Manifest' {
        BeforeAll {
            $script:manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
            $script:data = Import-PowerShellDataFile $manifestPath
        }

        It 'passes Test-ModuleManifest' {
            $manifest.Name | Should -Be 'IdCardVerify'
        }

        It 'runs on both editions from PowerShell 5.1' {
            $data.CompatiblePSEditions | Sort-Object | Should -Be @('Core', 'Desktop')
            $data.PowerShellVersion | Should -Be '5.1'
        }

        It 'exports an explicit list of cmdlets and nothing else' {
            $data.CmdletsToExport | Sort-Object | Should -Be ($cmdlets | Sort-Object)
            $data.CmdletsToExport | Should -Not -Contain '*'
            @($data.FunctionsToExport).Count | Should -Be 0
            @($data.AliasesToExport).Count | Should -Be 0
            @($data.VariablesToExport).Count | Should -Be 0
        }

        It 'declares its format file, tags, project and licence URIs and release notes' {
            $data.FormatsToProcess | Should -Be @('IdCardVerify.Format.ps1xml')
            foreach ($tag in 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS') { $data.PrivateData.PSData.Tags | Should -Contain $tag }
            $data.PrivateData.PSData.ProjectUri | Should -Match '^https://'
            $data.PrivateData.PSData.LicenseUri | Should -Match '^https://'
            $data.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
        }

        It 'carries one version, the same in the manifest and the assembly' {
            $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../Directory.Build.props'))
            $version = [version]$props.Project.PropertyGroup.VersionPrefix
            $manifest.Version | Should -Be $version
            $assembly = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $moduleBase 'IdCardVerify.dll'))
            $assembly.Version | Should -Be ([version]::new($version.Major, $version.Minor, $version.Build, 0))
            # The release notes are CHANGELOG.md's section for this version.
            (Get-Content -Raw (Join-Path $PSScriptRoot '../CHANGELOG.md')) | Should -Match "(?m)^## \[$([regex]::Escape("$version"))\] - \d{4}-\d{2}-\d{2}"
            $manifest.ReleaseNotes | Should -Match "^IdCardVerify $([regex]::Escape("$version"))"
            $manifest.ReleaseNotes | Should -Match 'Import-IdCardSheet'
        }
    }

    Context 'Dependency isolation' {
        It 'keeps every dependency in dependencies/, none beside the module' {
            @(Get-ChildItem $moduleBase -Filter *.dll).Name | Should -Be @('IdCardVerify.dll')
            (Get-ChildItem (Join-Path $moduleBase 'dependencies') -Filter *.dll).Name | Should -Contain 'System.Text.Json.dll'
        }

        It 'runs, and loads nothing from dependencies/ that the runtime already provides' {
            $run = Invoke-ChildPwsh -Script @"
Import-Module '$manifestPath'
`$r = Invoke-IdCardVerification https://cards.test/iso.jpg -Sandbox
'VERDICT=' + `$r.Verdict
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not `$_.IsDynamic -and `$_.Location -like '*dependencies*' } | ForEach-Object { 'FROMDEPS=' + `$_.Location }
'JSON=' + ([System.Text.Json.JsonDocument].Assembly.Location)
'RUNTIME=' + [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
"@
            $run.Output | Should -Match 'VERDICT=Match'
            $runtime = ([regex]::Match($run.Output, 'RUNTIME=(.+)')).Groups[1].Value.Trim()
            $runtime | Should -Not -BeNullOrEmpty
            # What the runtime lacks (Microsoft.Bcl.TimeProvider's assembly) comes from dependencies/; nothing it has does.
            $fromDeps = [regex]::Matches($run.Output, 'FROMDEPS=(.+)') | ForEach-Object { Split-Path -Leaf $_.Groups[1].Value.Trim() }
            $fromDeps | Where-Object { Test-Path -LiteralPath (Join-Path $runtime $_) } | Should -BeNullOrEmpty
            $fromDeps | Should -Not -Contain 'System.Text.Json.dll'
            $run.Output | Should -Match ('JSON=' + [regex]::Escape($runtime))
        }

        It 'loads a dependency the runtime lacks into a private load context, not the shared one' {
            $run = Invoke-ChildPwsh -Script @"
Import-Module '$manifestPath'
`$json = [Reflection.AssemblyName]::GetAssemblyName('$moduleBase/dependencies/System.Text.Json.dll')
`$load = [IdCardVerify.ModuleInitializer].GetMethod('LoadIsolated', [Reflection.BindingFlags]'NonPublic,Static')
`$isolated = `$load.Invoke(`$null, @(`$json))
'CONTEXT=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$isolated).Name
'LOCATION=' + `$isolated.Location
'SAMEASSHARED=' + (`$isolated -eq [System.Text.Json.JsonDocument].Assembly)
`$other = [Reflection.AssemblyName]::new('System.Text.Json, Version=99.0.0.0')
'OTHERVERSION=' + (`$null -eq `$load.Invoke(`$null, @(`$other)))
`$foreign = [Reflection.AssemblyName]::new('Some.Other.Module.Dependency')
'FOREIGN=' + (`$null -eq `$load.Invoke(`$null, @(`$foreign)))
"@
            $run.Output | Should -Match 'CONTEXT=IdCardVerify'
            $run.Output | Should -Match 'LOCATION=.*dependencies.System\.Text\.Json\.dll'
            $run.Output | Should -Match 'SAMEASSHARED=False'
            $run.Output | Should -Match 'OTHERVERSION=True'
            $run.Output | Should -Match 'FOREIGN=True'
        }

        It 'finds its Chinese texts beside the module for Windows PowerShell 5.1''s resolver, and nothing else''s' {
            $run = Invoke-ChildPwsh -Script @"
Import-Module '$manifestPath'
`$find = [IdCardVerify.ModuleInitializer].GetMethod('SatellitePath', [Reflection.BindingFlags]'NonPublic,Static')
'ZH=' + `$find.Invoke(`$null, @([Reflection.AssemblyName]::new('IdCardVerify.resources, Culture=zh-CN')))
'FR=[' + `$find.Invoke(`$null, @([Reflection.AssemblyName]::new('IdCardVerify.resources, Culture=fr-FR'))) + ']'
'OTHER=[' + `$find.Invoke(`$null, @([Reflection.AssemblyName]::new('Some.Module.resources, Culture=zh-CN'))) + ']'
"@
            $run.Output | Should -Match ('ZH=' + [regex]::Escape((Join-Path $moduleBase 'zh-CN/IdCardVerify.resources.dll')))
            $run.Output | Should -Match 'FR=\[\]'
            $run.Output | Should -Match 'OTHER=\[\]'
        }

        It 'can satisfy, on Windows PowerShell 5.1 (no binding redirects), every reference between the shipped dependencies' {
            # What the 5.1 resolver answers: a reference to an older version of a shipped file gets the shipped one
            # (System.Text.Json asks for System.Memory 4.0.1.2; SkiaSharp needs, and the module ships, a newer one).
            $run = Invoke-ChildPwsh -Script @"
Import-Module '$manifestPath'
`$path = [IdCardVerify.ModuleInitializer].GetMethod('DependencyPath', [Reflection.BindingFlags]'NonPublic,Static')
foreach (`$file in Get-ChildItem '$moduleBase/dependencies' -Filter *.dll) {
    foreach (`$ref in [Reflection.Assembly]::LoadFile(`$file.FullName).GetReferencedAssemblies()) {
        if (Test-Path (Join-Path '$moduleBase/dependencies' (`$ref.Name + '.dll'))) {
            'REF ' + `$file.Name + ' -> ' + `$ref.Name + ' ' + `$ref.Version + ' = ' + [bool]`$path.Invoke(`$null, @(`$ref, `$true))
        }
    }
}
'NEWER=' + [bool]`$path.Invoke(`$null, @([Reflection.AssemblyName]::new('System.Memory, Version=99.0.0.0'), `$true))
"@
            $run.Output | Should -Match 'REF System.Text.Json.dll -> System.Memory'
            $run.Output | Should -Not -Match '= False'
            $run.Output | Should -Match 'NEWER=False'
        }
    }

    Context 'Default views' {
        BeforeAll {
            Import-Module $manifestPath -Force
            $script:result = Invoke-IdCardVerification https://cards.test/view.jpg -Sandbox
        }

        It 'shows the masked ID number and name, similarity, verdict and warnings in the table' {
            $table = $result | Format-Table | Out-String -Width 200
            $table | Should -Match 'Key\s+Verdict\s+Identity\s+Similarity\s+Warnings\s+IdNumber\s+Name'
            $table | Should -Match ([regex]::Escape([IdCardVerify.PersonalData]::MaskIdNumber($result.IdNumber)))
            $table | Should -Not -Match $result.IdNumber
            $table | Should -Not -Match $result.Name
            $table | Should -Match 'Match'
        }

        It 'masks them in the list view too, while the object keeps the full values' {
            $list = $result | Format-List | Out-String -Width 200
            $list | Should -Not -Match $result.IdNumber
            $list | Should -Not -Match $result.Name
            $list | Should -Match 'Verdict\s*:\s*Match'
            $result.IdNumber | Should -Match '^\d{17}[\dX]$'
            ($result | Export-Csv -Path (Join-Path $TestDrive 'full.csv') -NoTypeInformation)
            Get-Content -Raw (Join-Path $TestDrive 'full.csv') | Should -Match $result.IdNumber
        }

        It 'masks the birth date and address in the list view exactly as -MaskPersonalData masks the object' {
            $list = $result | Format-List | Out-String -Width 200
            $masked = Invoke-IdCardVerification https://cards.test/view.jpg -Sandbox -MaskPersonalData
            $masked.Birth | Should -Match '^\d{4}/\*\*/\*\*$'
            $list | Should -Match ('Birth\s*:\s*' + [regex]::Escape($masked.Birth))
            $list | Should -Match ('Address\s*:\s*' + [regex]::Escape($masked.Address))
            $list | Should -Not -Match ([regex]::Escape($result.Birth))
        }

        It 'masks an ID number as 110101********123X and a name to its first character' {
            [IdCardVerify.PersonalData]::MaskIdNumber('11010119900101123X') | Should -Be '110101********123X'
            [IdCardVerify.PersonalData]::MaskName('张三丰') | Should -Be '张**'
            [IdCardVerify.PersonalData]::MaskName('Li Wei') | Should -Be 'L* W**'
        }
    }

    Context 'Help' {
        It 'has a synopsis, a description, every parameter described and two examples for <_>' -ForEach @(
            'Invoke-IdCardVerification', 'Set-IdCardVerifyConfig', 'Get-IdCardVerifyConfig', 'Test-IdCardSimilarity', 'Test-IdCardNumber', 'Import-IdCardSheet', 'Export-IdCardSheet'
        ) {
            $name = $_
            $run = Invoke-ChildPwsh -Script @"
Import-Module '$manifestPath'
`$help = Get-Help $name -Full
`$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
`$declared = (Get-Command $name).Parameters.Keys | Where-Object { `$_ -notin `$common }
`$documented = @(`$help.parameters.parameter | Where-Object { (`$_.description | Out-String).Trim() } | ForEach-Object name)
[pscustomobject]@{
    Synopsis    = `$help.Synopsis
    Description = (`$help.description | Out-String).Trim()
    Undocumented = @(`$declared | Where-Object { `$_ -notin `$documented })
    Examples    = @(`$help.examples.example).Count
    Full        = (`$help | Out-String -Width 200)
} | ConvertTo-Json -Depth 3
"@
            $run.ExitCode | Should -Be 0
            $help = $run.Output | ConvertFrom-Json
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match "^\s*$name\s*\["
            $help.Description.Length | Should -BeGreaterThan 100
            $help.Undocumented | Should -BeNullOrEmpty
            $help.Examples | Should -BeGreaterOrEqual 2
            $help.Full | Should -Match 'EXAMPLES|Example 1'
        }

        It 'shows the about topics <_>' -ForEach @('about_IdCardVerify', 'about_IdCardVerify_Sandbox') {
            $topic = $_
            $run = Invoke-ChildPwsh -Script "Import-Module '$manifestPath'; Get-Help $topic | Out-String"
            $run.Output | Should -Match 'SHORT DESCRIPTION'
            $run.Output | Should -Match 'LONG DESCRIPTION'
        }

        It 'has examples that run as written (in a sandbox session)' {
            $examples = foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot '../en-US') -Filter '*-*.md') {
                $text = Get-Content -Raw $file.FullName
                foreach ($m in [regex]::Matches($text, '(?ms)^### (Example [^\r\n]+)\r?\n```powershell\r?\n(.*?)\r?\n```')) {
                    [pscustomobject]@{ Where = "$($file.BaseName) $($m.Groups[1].Value)"; Code = $m.Groups[2].Value }
                }
            }
            @($examples).Count | Should -BeGreaterOrEqual 8
            $work = Join-Path $TestDrive 'examples'
            New-Item -ItemType Directory $work | Out-Null
            # Scans on disk for the local-files example: two good ones (the hostile fixtures are LocalFiles.Tests' business).
            New-TestImages -Path (Join-Path $TestDrive 'fixtures')
            New-Item -ItemType Directory (Join-Path $work 'scans') | Out-Null
            Copy-Item (Join-Path $TestDrive 'fixtures/card.jpg'), (Join-Path $TestDrive 'fixtures/rotated.jpg') (Join-Path $work 'scans')
            # A clean applicants.csv (the repository's sample has two failing rows on purpose).
            1..4 | ForEach-Object { [pscustomobject]@{ EmployeeId = "E100$_"; Department = 'Ops'; image_url = "https://cards.example.com/e100$_.jpg" } } |
                Export-Csv (Join-Path $work 'applicants.csv') -NoTypeInformation
            # A clean Chinese HR export, as Excel on a Chinese Windows saves it (GB18030).
            [IO.File]::WriteAllText((Join-Path $work '员工.csv'), "工号,姓名,身份证号,部门,照片链接`r`nE2001,李测试,110101196301230411,财务部,https://sandbox.idcardverify.test/hr/e2001.jpg`r`n", [Text.Encoding]::GetEncoding('gb18030'))
            foreach ($example in $examples) {
                # Stop on any error the example does not handle itself; an example's own try/catch still works.
                $script = @"
`$ErrorActionPreference = 'Stop'
Set-Location '$work'
Import-Module '$manifestPath'
Set-IdCardVerifyConfig -Sandbox -MaxRetries 0
`$env:ACEDATACLOUD_API_TOKEN = 'example-token'
try {
$($example.Code)
'EXAMPLE DONE'
}
catch { 'UNEXPECTED ERRORS: ' + `$_.FullyQualifiedErrorId + ' ' + `$_ }
"@
                $run = Invoke-ChildPwsh -Script $script -Environment @{ XDG_CONFIG_HOME = (Join-Path $TestDrive 'example-config') }
                $run.Output | Should -Match 'EXAMPLE DONE' -Because "$($example.Where) should run to the end"
                $run.Output | Should -Not -Match 'UNEXPECTED ERRORS' -Because "$($example.Where) should not fail: $($run.Output)"
            }
        }
    }

    Context 'Argument completion' {
        It 'completes <Line>' -ForEach @(
            @{ Line = 'Invoke-IdCardVerification -ConfigKeyStyle '; Expected = 'Documented', 'Upstream' }
            @{ Line = 'Invoke-IdCardVerification -Threshold '; Expected = '70', '80' }
            @{ Line = 'Set-IdCardVerifyConfig -Endpoint '; Expected = "'https://api.acedata.cloud/identity/idcard/check-1e'" }
            @{ Line = 'Set-IdCardVerifyConfig -Scope '; Expected = 'Process', 'CurrentUser' }
        ) {
            Import-Module $manifestPath -Force
            $completions = (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
            foreach ($value in $Expected) { $completions | Should -Contain $value }
        }
    }

    Context 'Build' {
        It 'fails, naming the file, when a file on its explicit list is missing' {
            # A copy of the repository without LICENSE, built as a user would build it.
            $copy = Join-Path $TestDrive 'repo'
            $root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
            foreach ($file in (git -C $root ls-files)) {
                if ($file -eq 'LICENSE') { continue }
                $target = Join-Path $copy $file
                New-Item -ItemType Directory -Force (Split-Path $target) | Out-Null
                Copy-Item -LiteralPath (Join-Path $root $file) -Destination $target
            }
            $run = Invoke-ChildPwsh -Script "Set-Location '$copy'; ./build.ps1 Build; 'MARKER-BUILT-ANYWAY'"
            $run.Output | Should -Match '(?s)Build output is missing:.*LICENSE'
            $run.Output | Should -Not -Match 'MARKER-BUILT-ANYWAY'
            Join-Path $copy 'out/IdCardVerify/IdCardVerify.psd1' | Should -Not -Exist
        }
    }

    Context 'Benchmarks' {
        It 'has every ablation patch in bench/ablation apply to the sources as they are (<_>)' -ForEach @(
            Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../bench/ablation') -Filter *.patch | ForEach-Object Name
        ) {
            # Run-Ablation.ps1 turns each pacing mechanism off by its patch; one left behind by a change stops it.
            $root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
            $out = git -C $root apply --check (Join-Path $root "bench/ablation/$_") 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "bench/ablation/$_ must be made again against the sources: $out"
        }
    }

    Context 'Package' {
        It 'installs from a PSResourceGet repository into an empty module path, imports by name, and runs the sandbox demo' -Skip:(-not $env:IDCARDVERIFY_TEST_REPOSITORY) {
            $repoName = 'IdCardVerifyTest-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            $modules = Join-Path $TestDrive 'empty-module-path'
            New-Item -ItemType Directory $modules | Out-Null
            Register-PSResourceRepository -Name $repoName -Uri $env:IDCARDVERIFY_TEST_REPOSITORY -Trusted
            try {
                Save-PSResource -Name IdCardVerify -Repository $repoName -Path $modules -TrustRepository -ErrorAction Stop
            }
            finally { Unregister-PSResourceRepository -Name $repoName }
            Get-ChildItem $modules -Recurse -Filter IdCardVerify.psd1 | Should -Not -BeNullOrEmpty

            $sep = [IO.Path]::PathSeparator
            $run = Invoke-ChildPwsh -Environment @{ PSModulePath = "$modules$sep$(Join-Path $PSHOME 'Modules')" } -Script @"
Import-Module IdCardVerify -ErrorAction Stop
'BASE=' + (Get-Module IdCardVerify).ModuleBase
`$rows = Import-Csv '$(Join-Path $env:IDCARDVERIFY_TEST_SAMPLES 'applicants.csv')' | Invoke-IdCardVerification -Sandbox -CopyWarn -ReshootWarn -MaxRetries 0 -ErrorAction SilentlyContinue
'ROWS=' + @(`$rows).Count
'HELP=' + (Get-Help Invoke-IdCardVerification).Synopsis
"@
            $run.Output | Should -Match ('BASE=' + [regex]::Escape($modules))
            $run.Output | Should -Match 'ROWS=8'
            $run.Output | Should -Match 'HELP=Verifies Chinese resident ID card'
        }
    }
}
