# Turns the help sources under docs/<culture>/ into what Get-Help reads: MAML for the cmdlets
# (ExchangeDiag.dll-Help.xml) and about_*.help.txt for the topics. The sources follow the layout
# platyPS writes (schema 2.0.0), so the project can switch to platyPS when it is available.

Set-StrictMode -Version Latest

$script:MamlNamespaces = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Split-MarkdownSection {
    # Splits text into (heading, body) pairs at lines that start with the given heading marker.
    param([string[]] $Lines, [string] $Marker)

    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith("$Marker ")) {
            $current = [pscustomobject]@{ Heading = $line.Substring($Marker.Length + 1).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $sections.Add($current)
        }
        elseif ($current) {
            $current.Lines.Add($line)
        }
    }
    $sections
}

function Get-Paragraphs {
    # Prose paragraphs of a section body, without code fences; line breaks inside a paragraph become spaces.
    param([string[]] $Lines)

    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in @($Lines) + '') {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { continue }
        if ($line.Trim() -eq '') {
            if ($buffer.Count) { $paragraphs.Add(($buffer -join ' ')); $buffer.Clear() }
        }
        else {
            $buffer.Add($line.Trim())
        }
    }
    , $paragraphs.ToArray()
}

function Get-FencedBlocks {
    param([string[]] $Lines)

    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null
    foreach ($line in $Lines) {
        if ($line -match '^```(\w*)') {
            if ($null -eq $current) {
                $current = [pscustomobject]@{ Language = $Matches[1]; Lines = [System.Collections.Generic.List[string]]::new() }
            }
            else {
                $blocks.Add($current); $current = $null
            }
        }
        elseif ($current) {
            $current.Lines.Add($line)
        }
    }
    $blocks
}

function ConvertFrom-HelpMarkdown {
    <#
    .SYNOPSIS
        Reads one platyPS-style cmdlet markdown file into an object.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [string] $Path)

    process {
        $lines = (Get-Content -Path $Path -Encoding utf8) -replace "`r$", ''
        $name = ($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1) -replace '^# ', ''
        if (-not $name) { throw "$Path has no '# <command name>' heading." }

        $sections = @{}
        foreach ($section in Split-MarkdownSection -Lines $lines -Marker '##') { $sections[$section.Heading] = $section.Lines.ToArray() }
        foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
            if (-not $sections.ContainsKey($required)) { throw "$Path has no '## $required' section." }
        }

        $parameters = foreach ($section in Split-MarkdownSection -Lines $sections['PARAMETERS'] -Marker '###') {
            if ($section.Heading -eq 'CommonParameters') { continue }
            $yaml = @{}
            $block = Get-FencedBlocks -Lines $section.Lines | Where-Object Language -eq 'yaml' | Select-Object -First 1
            if (-not $block) { throw "$Path, parameter $($section.Heading): no yaml block." }
            foreach ($line in $block.Lines) {
                if ($line -match '^([\w ]+):\s*(.*)$') { $yaml[$Matches[1].Trim()] = $Matches[2].Trim() }
            }
            [pscustomobject]@{
                Name          = $section.Heading.TrimStart('-')
                Description   = Get-Paragraphs -Lines $section.Lines
                Type          = $yaml['Type']
                Aliases       = $yaml['Aliases']
                Required      = $yaml['Required'] -eq 'True'
                Position      = if ($yaml['Position']) { $yaml['Position'] } else { 'Named' }
                DefaultValue  = if ($yaml['Default value']) { $yaml['Default value'] } else { 'None' }
                PipelineInput = if ($yaml['Accept pipeline input']) { $yaml['Accept pipeline input'] } else { 'False' }
                Globbing      = $yaml['Accept wildcard characters'] -eq 'True'
                ParameterSets = @(if ($yaml['Parameter Sets']) { $yaml['Parameter Sets'] -split ',' | ForEach-Object Trim } else { '(All)' })
            }
        }

        $examples = foreach ($section in Split-MarkdownSection -Lines $sections['EXAMPLES'] -Marker '###') {
            $code = (Get-FencedBlocks -Lines $section.Lines | ForEach-Object { $_.Lines -join "`n" }) -join "`n`n"
            [pscustomobject]@{ Title = $section.Heading; Code = $code; Remarks = Get-Paragraphs -Lines $section.Lines }
        }

        $typeSection = {
            param([string] $Heading)
            if (-not $sections.ContainsKey($Heading)) { return }
            foreach ($section in Split-MarkdownSection -Lines $sections[$Heading] -Marker '###') {
                [pscustomobject]@{ Type = $section.Heading; Description = Get-Paragraphs -Lines $section.Lines }
            }
        }

        # platyPS's 'online version:' front matter is the first related link, as platyPS writes it:
        # Get-Help -Online opens the first link's URI.
        $online = foreach ($line in $lines | Select-Object -First 10) {
            if ($line -match '^online version:\s*(\S+)') { $Matches[1]; break }
        }
        $links = @(if ($online) {
            [pscustomobject]@{ Text = 'Online Version:'; Uri = $online }
        }) + @(if ($sections.ContainsKey('RELATED LINKS')) {
            foreach ($match in [regex]::Matches(($sections['RELATED LINKS'] -join "`n"), '\[([^\]]+)\]\(([^)]*)\)')) {
                $uri = $match.Groups[2].Value
                [pscustomobject]@{ Text = $match.Groups[1].Value; Uri = if ($uri -match '^https?://') { $uri } else { '' } }
            }
        })

        [pscustomobject]@{
            Name        = $name.Trim()
            Synopsis    = (Get-Paragraphs -Lines $sections['SYNOPSIS']) -join ' '
            Description = Get-Paragraphs -Lines $sections['DESCRIPTION']
            Parameters  = @($parameters)
            Examples    = @($examples)
            Inputs      = @(& $typeSection 'INPUTS')
            Outputs     = @(& $typeSection 'OUTPUTS')
            Notes       = if ($sections.ContainsKey('NOTES')) { Get-Paragraphs -Lines $sections['NOTES'] } else { @() }
            Links       = @($links)
        }
    }
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Writes the MAML document Get-Help reads for binary cmdlets, from ConvertFrom-HelpMarkdown objects.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [object[]] $Command)

    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $stream = [System.IO.MemoryStream]::new()
    $w = [System.Xml.XmlWriter]::Create($stream, $settings)
    $ns = $script:MamlNamespaces

    $paragraphs = {
        param([string] $Element, [string[]] $Text)
        $w.WriteStartElement('maml', $Element, $ns.maml)
        foreach ($para in $Text) { $w.WriteElementString('maml', 'para', $ns.maml, $para) }
        $w.WriteEndElement()
    }
    $parameterElement = {
        param($p)
        $w.WriteStartElement('command', 'parameter', $ns.command)
        $w.WriteAttributeString('required', $p.Required.ToString().ToLowerInvariant())
        $w.WriteAttributeString('variableLength', ($p.Type -like '*`[`]').ToString().ToLowerInvariant())
        $w.WriteAttributeString('globbing', $p.Globbing.ToString().ToLowerInvariant())
        $w.WriteAttributeString('pipelineInput', $p.PipelineInput)
        $w.WriteAttributeString('position', $p.Position.ToLowerInvariant())
        $w.WriteAttributeString('aliases', $(if ($p.Aliases) { $p.Aliases } else { 'none' }))
        $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
        & $paragraphs 'description' $p.Description
        if ($p.Type -ne 'SwitchParameter') {
            $w.WriteStartElement('command', 'parameterValue', $ns.command)
            $w.WriteAttributeString('required', 'true')
            $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($p.Type)
            $w.WriteEndElement()
        }
        $w.WriteStartElement('dev', 'type', $ns.dev)
        $w.WriteElementString('maml', 'name', $ns.maml, $p.Type)
        $w.WriteEndElement()
        $w.WriteElementString('dev', 'defaultValue', $ns.dev, $p.DefaultValue)
        $w.WriteEndElement()
    }
    $typeList = {
        param([string] $ListElement, [string] $ItemElement, [object[]] $Items)
        $w.WriteStartElement('command', $ListElement, $ns.command)
        foreach ($item in $Items) {
            $w.WriteStartElement('command', $ItemElement, $ns.command)
            $w.WriteStartElement('dev', 'type', $ns.dev)
            $w.WriteElementString('maml', 'name', $ns.maml, $item.Type)
            $w.WriteEndElement()
            & $paragraphs 'description' $item.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartDocument()
    $w.WriteStartElement('helpItems', 'http://msh')
    $w.WriteAttributeString('schema', 'maml')
    foreach ($cmd in $Command) {
        $verb, $noun = $cmd.Name -split '-', 2
        $w.WriteStartElement('command', 'command', $ns.command)
        $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
        $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

        $w.WriteStartElement('command', 'details', $ns.command)
        $w.WriteElementString('command', 'name', $ns.command, $cmd.Name)
        $w.WriteElementString('command', 'verb', $ns.command, $verb)
        $w.WriteElementString('command', 'noun', $ns.command, $noun)
        & $paragraphs 'description' @($cmd.Synopsis)
        $w.WriteEndElement()

        & $paragraphs 'description' $cmd.Description

        # One syntax line per parameter set; parameters of '(All)' belong to every line.
        $w.WriteStartElement('command', 'syntax', $ns.command)
        # Enumerated explicitly: strict mode refuses member enumeration on a cmdlet without parameters.
        $setNames = @($cmd.Parameters | ForEach-Object { $_.ParameterSets } | Where-Object { $_ -ne '(All)' } | Select-Object -Unique)
        if (-not $setNames) { $setNames = @('(All)') }
        foreach ($set in $setNames) {
            $w.WriteStartElement('command', 'syntaxItem', $ns.command)
            $w.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
            foreach ($p in $cmd.Parameters | Where-Object { $_.ParameterSets -contains $set -or $_.ParameterSets -contains '(All)' }) { & $parameterElement $p }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'parameters', $ns.command)
        foreach ($p in $cmd.Parameters) { & $parameterElement $p }
        $w.WriteEndElement()

        & $typeList 'inputTypes' 'inputType' $cmd.Inputs
        & $typeList 'returnValues' 'returnValue' $cmd.Outputs

        $w.WriteStartElement('maml', 'alertSet', $ns.maml)
        $w.WriteStartElement('maml', 'alert', $ns.maml)
        foreach ($para in $cmd.Notes) { $w.WriteElementString('maml', 'para', $ns.maml, $para) }
        $w.WriteEndElement()
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'examples', $ns.command)
        foreach ($example in $cmd.Examples) {
            $w.WriteStartElement('command', 'example', $ns.command)
            $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $($example.Title) --------------------------")
            $w.WriteElementString('dev', 'code', $ns.dev, $example.Code)
            $w.WriteStartElement('dev', 'remarks', $ns.dev)
            foreach ($para in $example.Remarks) { $w.WriteElementString('maml', 'para', $ns.maml, $para) }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'relatedLinks', $ns.command)
        foreach ($link in $cmd.Links) {
            $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
            $w.WriteElementString('maml', 'linkText', $ns.maml, $link.Text)
            $w.WriteElementString('maml', 'uri', $ns.maml, $link.Uri)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndDocument()
    $w.Flush()
    [System.Text.Encoding]::UTF8.GetString($stream.ToArray())
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
        Turns an about_*.md topic into the plain text Get-Help shows: headings in capitals,
        prose indented by four spaces, code by eight.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Path)

    $lines = (Get-Content -Path $Path -Encoding utf8) -replace "`r$", ''
    $out = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in $lines) {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { $out.Add(('        ' + $line).TrimEnd()); continue }
        if ($line -match '^# (.+)$') { $out.Add('TOPIC'); $out.Add('    ' + $Matches[1].Trim()); continue }
        if ($line -match '^#{2,} (.+)$') { $out.Add(''); $out.Add($Matches[1].Trim().ToUpperInvariant()); continue }
        if ($line.Trim() -eq '') { if ($out.Count -and $out[$out.Count - 1] -ne '') { $out.Add('') }; continue }
        # Leading spaces stay: a list item's continuation lines keep their hanging indent.
        $out.Add('    ' + ($line.TrimEnd() -replace '`([^`]+)`', '$1'))
    }
    ($out -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

function Build-ModuleHelp {
    <#
    .SYNOPSIS
        Writes <culture>/ExchangeDiag.dll-Help.xml and about_*.help.txt into the built module for
        every culture folder (such as en-US) under the docs folder; other folders (images) are not help.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [Parameter(Mandatory)] [string] $ModulePath,
        [string] $HelpFileName = 'ExchangeDiag.dll-Help.xml'
    )

    foreach ($cultureDir in Get-ChildItem -Path $DocsPath -Directory | Where-Object Name -Match '^[a-z]{2,3}-[A-Z]{2}$') {
        $target = Join-Path $ModulePath $cultureDir.Name
        $null = New-Item -ItemType Directory -Path $target -Force
        $commands = Get-ChildItem -Path $cultureDir.FullName -Filter '*-*.md' | ForEach-Object { ConvertFrom-HelpMarkdown -Path $_.FullName }
        if (-not $commands) { throw "$($cultureDir.FullName) has no cmdlet help." }
        Set-Content -Path (Join-Path $target $HelpFileName) -Value (ConvertTo-MamlHelp -Command $commands) -Encoding utf8 -NoNewline
        foreach ($about in Get-ChildItem -Path $cultureDir.FullName -Filter 'about_*.md') {
            Set-Content -Path (Join-Path $target ($about.BaseName + '.help.txt')) -Value (ConvertTo-AboutHelpText -Path $about.FullName) -Encoding utf8 -NoNewline
        }
    }
}

Export-ModuleMember -Function ConvertFrom-HelpMarkdown, ConvertTo-MamlHelp, ConvertTo-AboutHelpText, Build-ModuleHelp
