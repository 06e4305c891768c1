# Converts platyPS-schema markdown (schema 2.0.0) into MAML command help and about_*.help.txt topics,
# for machines without platyPS. It reads the same files New-ExternalHelp reads and writes the same
# outputs: <module>.dll-Help.xml (from the "external help file" front matter) and about_*.help.txt.

Set-StrictMode -Version Latest

function Split-MarkdownSections {
    # Returns an ordered map of "## HEADING" -> lines under it.
    param([string[]] $Lines, [string] $Prefix = '## ')
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($Prefix) -and -not $line.StartsWith($Prefix + '#')) {
            $current = $line.Substring($Prefix.Length).Trim()
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $current) { $sections[$current].Add($line) }
    }
    $sections
}

function Get-Paragraphs {
    # Plain-text paragraphs of markdown lines (fenced code kept as one paragraph each).
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        if ($line.Trim().Length -eq 0) {
            if ($buffer.Count) { $paragraphs.Add(($buffer -join ' ')); $buffer.Clear() }
            continue
        }
        $buffer.Add($line.Trim())
    }
    if ($buffer.Count) { $paragraphs.Add(($buffer -join ' ')) }
    $paragraphs
}

function Get-FencedBlocks {
    param([string[]] $Lines)
    $blocks = [System.Collections.Generic.List[string]]::new()
    $buffer = $null
    foreach ($line in $Lines) {
        if ($line -match '^```') {
            if ($null -eq $buffer) { $buffer = [System.Collections.Generic.List[string]]::new() }
            else { $blocks.Add(($buffer -join "`n")); $buffer = $null }
            continue
        }
        if ($null -ne $buffer) { $buffer.Add($line) }
    }
    $blocks
}

function Get-TextOutsideFences {
    param([string[]] $Lines)
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if (-not $inFence) { $line }
    }
}

function ConvertFrom-CommandMarkdown {
    param([string] $Path)
    $lines = Get-Content -LiteralPath $Path -Encoding utf8
    $front = @{}
    if ($lines[0] -eq '---') {
        $end = [Array]::IndexOf($lines, '---', 1)
        foreach ($line in $lines[1..($end - 1)]) {
            if ($line -match '^([^:]+):\s*(.*)$') { $front[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        $lines = $lines[($end + 1)..($lines.Count - 1)]
    }
    $name = ($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1).Substring(2).Trim()
    $sections = Split-MarkdownSections $lines

    $parameters = [System.Collections.Generic.List[object]]::new()
    if ($sections.Contains('PARAMETERS')) {
        $byParameter = Split-MarkdownSections $sections['PARAMETERS'] '### '
        foreach ($key in $byParameter.Keys) {
            if ($key -eq 'CommonParameters') { continue }
            $body = $byParameter[$key]
            $yaml = @{}
            foreach ($line in ((Get-FencedBlocks $body | Select-Object -First 1) -split "`n")) {
                if ($line -match '^([^:]+):\s*(.*)$') { $yaml[$Matches[1].Trim()] = $Matches[2].Trim() }
            }
            $parameters.Add([pscustomobject]@{
                Name        = $key.TrimStart('-')
                Description = @(Get-Paragraphs (Get-TextOutsideFences $body))
                Type        = $yaml['Type']
                Sets        = $(if ($yaml['Parameter Sets']) { $yaml['Parameter Sets'] } else { '(All)' })
                Aliases     = $yaml['Aliases']
                Accepted    = $yaml['Accepted values']
                Required    = $yaml['Required']
                Position    = $yaml['Position']
                Default     = $yaml['Default value']
                Pipeline    = $yaml['Accept pipeline input']
                Wildcard    = $yaml['Accept wildcard characters']
            })
        }
    }

    $examples = [System.Collections.Generic.List[object]]::new()
    if ($sections.Contains('EXAMPLES')) {
        $byExample = Split-MarkdownSections $sections['EXAMPLES'] '### '
        foreach ($key in $byExample.Keys) {
            $body = $byExample[$key]
            $examples.Add([pscustomobject]@{
                Title   = $key
                Code    = (Get-FencedBlocks $body) -join "`n`n"
                Remarks = @(Get-Paragraphs (Get-TextOutsideFences $body))
            })
        }
    }

    $types = {
        param($sectionName)
        $list = [System.Collections.Generic.List[object]]::new()
        if ($sections.Contains($sectionName)) {
            $byType = Split-MarkdownSections $sections[$sectionName] '### '
            foreach ($key in $byType.Keys) { $list.Add([pscustomobject]@{ Name = $key; Description = @(Get-Paragraphs $byType[$key]) }) }
        }
        , $list
    }

    $links = [System.Collections.Generic.List[object]]::new()
    if ($sections.Contains('RELATED LINKS')) {
        foreach ($line in $sections['RELATED LINKS']) {
            if ($line -match '^\[([^\]]+)\]\(([^)]*)\)') {
                $uri = if ($Matches[2] -match '^https?://') { $Matches[2] } else { '' }
                $links.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $uri })
            }
        }
    }

    [pscustomobject]@{
        Name        = $name
        HelpFile    = $front['external help file']
        Synopsis    = (@(Get-Paragraphs $sections['SYNOPSIS']) -join ' ')
        Description = @(Get-Paragraphs $sections['DESCRIPTION'])
        Parameters  = $parameters
        Examples    = $examples
        Inputs      = & $types 'INPUTS'
        Outputs     = & $types 'OUTPUTS'
        Notes       = if ($sections.Contains('NOTES')) { @(Get-Paragraphs $sections['NOTES']) } else { @() }
        Links       = $links
        OnlineUri   = $front['online version']
    }
}

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Write-Paras([System.Xml.XmlWriter] $w, [string[]] $paragraphs) {
    $w.WriteStartElement('maml', 'description', $ns.maml)
    foreach ($p in $paragraphs) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
    $w.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $w, $p, [bool] $inSyntax) {
    $isSwitch = $p.Type -eq 'SwitchParameter'
    $position = if ($p.Position -eq 'Named') { 'named' } else { $p.Position }
    $w.WriteStartElement('command', 'parameter', $ns.command)
    $w.WriteAttributeString('required', $p.Required.ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ($p.Type -like '*[[]]').ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', $p.Wildcard.ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $p.Pipeline)
    $w.WriteAttributeString('position', $position)
    $w.WriteAttributeString('aliases', $(if ($p.Aliases) { $p.Aliases } else { 'none' }))
    $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
    Write-Paras $w $p.Description
    if ($p.Accepted -and $inSyntax) {
        $w.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($value in ($p.Accepted -split ',\s*')) {
            $w.WriteStartElement('command', 'parameterValue', $ns.command)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('command', 'parameterValue', $ns.command, 'false')
            $w.WriteString($value)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not ($isSwitch -and $inSyntax)) {
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($p.Type)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $ns.dev)
    $w.WriteElementString('maml', 'name', $ns.maml, $p.Type)
    $w.WriteElementString('maml', 'uri', $ns.maml, '')
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $ns.dev, $p.Default)
    $w.WriteEndElement()
}

function Write-CommandMaml([System.Xml.XmlWriter] $w, $help) {
    $verb, $noun = $help.Name -split '-', 2
    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $help.Name)
    $w.WriteElementString('command', 'verb', $ns.command, $verb)
    $w.WriteElementString('command', 'noun', $ns.command, $noun)
    Write-Paras $w @($help.Synopsis)
    $w.WriteEndElement()
    Write-Paras $w $help.Description

    # One syntax item per parameter set (a parameter's "Parameter Sets" names its sets, or "(All)"), as platyPS writes them.
    $sets = @($help.Parameters | ForEach-Object { $_.Sets -split ',\s*' } | Where-Object { $_ -and $_ -ne '(All)' } | Select-Object -Unique)
    if ($sets.Count -eq 0) { $sets = @('(All)') }
    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $sets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $help.Name)
        foreach ($p in $help.Parameters) {
            if ($set -eq '(All)' -or $p.Sets -eq '(All)' -or ($p.Sets -split ',\s*') -contains $set) { Write-Parameter $w $p $true }
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $help.Parameters) { Write-Parameter $w $p $false }
    $w.WriteEndElement()

    foreach ($kind in @(@{ List = $help.Inputs; Outer = 'inputTypes'; Inner = 'inputType' }, @{ List = $help.Outputs; Outer = 'returnValues'; Inner = 'returnValue' })) {
        $w.WriteStartElement('command', $kind.Outer, $ns.command)
        foreach ($t in $kind.List) {
            $w.WriteStartElement('command', $kind.Inner, $ns.command)
            $w.WriteStartElement('dev', 'type', $ns.dev)
            $w.WriteElementString('maml', 'name', $ns.maml, $t.Name)
            $w.WriteEndElement()
            Write-Paras $w $t.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartElement('maml', 'alertSet', $ns.maml)
    $w.WriteStartElement('maml', 'alert', $ns.maml)
    foreach ($p in $help.Notes) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
    $w.WriteEndElement()
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $ns.command)
    foreach ($e in $help.Examples) {
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $($e.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $ns.dev, $e.Code)
        $w.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($p in $e.Remarks) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    $links = @($help.Links)
    if ($help.OnlineUri) { $links = @([pscustomobject]@{ Text = 'Online Version:'; Uri = $help.OnlineUri }) + $links }
    foreach ($l in $links) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $w.WriteElementString('maml', 'linkText', $ns.maml, $l.Text)
        $w.WriteElementString('maml', 'uri', $ns.maml, $l.Uri)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}

function ConvertTo-AboutText {
    # about_*.md to the plain-text layout Get-Help shows: headings in capitals, text indented.
    param([string] $Path)
    # Get-Help takes an about topic's synopsis from its fifth line: TOPIC, the name, one blank line,
    # SHORT DESCRIPTION, then the synopsis. So exactly one blank line follows the name.
    $out = [System.Text.StringBuilder]::new()
    $inFence = $false
    $afterTitle = $false
    foreach ($line in (Get-Content -LiteralPath $Path -Encoding utf8)) {
        if ($afterTitle -and $line.Trim().Length -eq 0) { continue }
        $afterTitle = $false
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { $null = $out.AppendLine('    ' + $line); continue }
        if ($line -match '^# (.+)$') { $null = $out.AppendLine('TOPIC').AppendLine('    ' + $Matches[1]).AppendLine(); $afterTitle = $true; continue }
        if ($line -match '^## (.+)$') { $null = $out.AppendLine($Matches[1].ToUpperInvariant()); continue }
        if ($line -match '^### (.+)$') { $null = $out.AppendLine('  ' + $Matches[1].ToUpperInvariant()); continue }
        if ($line.Length -eq 0) { $null = $out.AppendLine(); continue }
        $null = $out.AppendLine('    ' + $line.TrimEnd())
    }
    $out.ToString()
}

function Convert-PlatyPSMarkdownToMaml {
    <#
    .SYNOPSIS
        Builds MAML help and about topics from a folder of platyPS markdown.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $SourcePath,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $null = New-Item -ItemType Directory -Force -Path $OutputPath
    $commands = foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' | Where-Object Name -NotLike 'about_*') {
        $help = ConvertFrom-CommandMarkdown $file.FullName
        if (-not $help.HelpFile) { throw "$($file.Name) has no 'external help file' in its front matter." }
        if (-not $help.Synopsis) { throw "$($file.Name) has no SYNOPSIS." }
        $help
    }
    foreach ($group in $commands | Group-Object HelpFile) {
        $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
        $w = [System.Xml.XmlWriter]::Create((Join-Path $OutputPath $group.Name), $settings)
        try {
            $w.WriteStartDocument()
            $w.WriteStartElement('helpItems', 'http://msh')
            $w.WriteAttributeString('schema', 'maml')
            foreach ($help in $group.Group | Sort-Object Name) { Write-CommandMaml $w $help }
            $w.WriteEndElement()
            $w.WriteEndDocument()
        }
        finally { $w.Dispose() }
    }
    foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter 'about_*.md') {
        $text = ConvertTo-AboutText $file.FullName
        Set-Content -LiteralPath (Join-Path $OutputPath ($file.BaseName + '.help.txt')) -Value $text -Encoding utf8NoBOM
    }
}

Export-ModuleMember -Function Convert-PlatyPSMarkdownToMaml, ConvertFrom-CommandMarkdown
