# The converter from platyPS-style markdown to MAML and about topics (src/help/HelpConverter.psm1).

BeforeAll {
    Import-Module (Join-Path $env:EXCHANGEDIAG_REPO 'src/help/HelpConverter.psm1') -Force
    $script:sample = Join-Path $TestDrive 'Test-Sample.md'
    Set-Content -Path $sample -Encoding utf8 -Value @'
---
external help file: Sample.dll-Help.xml
schema: 2.0.0
---

# Test-Sample

## SYNOPSIS
Checks a sample.

## SYNTAX

```
Test-Sample [-Name] <String[]> [-Quiet]
```

## DESCRIPTION
First paragraph
on two lines.

Second paragraph.

## EXAMPLES

### Example 1: One
```powershell
PS C:\> Test-Sample -Name a
## not a heading inside code
```

Remark of one.

### Example 2: Two
```powershell
Test-Sample b -Quiet
```

## PARAMETERS

### -Name
The names.

```yaml
Type: String[]
Parameter Sets: (All)
Aliases: Id

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByPropertyName, ByValue)
Accept wildcard characters: False
```

### -Quiet
Only a boolean.

```yaml
Type: SwitchParameter
Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String[]
Names.

## OUTPUTS

### Sample.Result
A result.

## NOTES
A note.

## RELATED LINKS

[Other-Command](Other-Command.md)

[A site](https://example.org/page)
'@
}

Describe 'ConvertFrom-HelpMarkdown' {
    BeforeAll { $script:parsed = ConvertFrom-HelpMarkdown -Path $sample }

    It 'reads name, synopsis and description paragraphs' {
        $parsed.Name | Should -Be 'Test-Sample'
        $parsed.Synopsis | Should -Be 'Checks a sample.'
        $parsed.Description | Should -Be @('First paragraph on two lines.', 'Second paragraph.')
    }

    It 'reads parameters with their yaml facts, leaving out CommonParameters' {
        $parsed.Parameters.Name | Should -Be @('Name', 'Quiet')
        $name = $parsed.Parameters[0]
        $name.Type | Should -Be 'String[]'
        $name.Aliases | Should -Be 'Id'
        $name.Required | Should -BeTrue
        $name.Position | Should -Be '0'
        $name.PipelineInput | Should -Be 'True (ByPropertyName, ByValue)'
        $name.Description | Should -Be @('The names.')
    }

    It 'reads examples: code, and remarks outside the code; a ## line inside code is not a section' {
        $parsed.Examples.Count | Should -Be 2
        $parsed.Examples[0].Title | Should -Be 'Example 1: One'
        $parsed.Examples[0].Code | Should -Be "PS C:\> Test-Sample -Name a`n## not a heading inside code"
        $parsed.Examples[0].Remarks | Should -Be @('Remark of one.')
    }

    It 'reads inputs, outputs, notes and links (relative links keep their text, web links their address)' {
        $parsed.Inputs.Type | Should -Be 'System.String[]'
        $parsed.Outputs.Type | Should -Be 'Sample.Result'
        $parsed.Notes | Should -Be @('A note.')
        $parsed.Links.Text | Should -Be @('Other-Command', 'A site')
        $parsed.Links.Uri | Should -Be @('', 'https://example.org/page')
    }

    It 'refuses a file without a required section' {
        $broken = Join-Path $TestDrive 'Test-Broken.md'
        Set-Content -Path $broken -Value "# Test-Broken`n`n## SYNOPSIS`nx`n"
        { ConvertFrom-HelpMarkdown -Path $broken } | Should -Throw '*DESCRIPTION*'
    }
}

Describe 'ConvertTo-MamlHelp' {
    BeforeAll {
        [xml] $script:maml = ConvertTo-MamlHelp -Command (ConvertFrom-HelpMarkdown -Path $sample)
        $script:ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    }

    It 'writes one command with verb, noun and synopsis' {
        $maml.SelectSingleNode('//command:details/command:verb', $ns).InnerText | Should -Be 'Test'
        $maml.SelectSingleNode('//command:details/command:noun', $ns).InnerText | Should -Be 'Sample'
        $maml.SelectSingleNode('//command:details/maml:description/maml:para', $ns).InnerText | Should -Be 'Checks a sample.'
    }

    It 'writes each parameter with its attributes; a switch has no value' {
        $name = $maml.SelectSingleNode("//command:parameters/command:parameter[maml:name='Name']", $ns)
        $name.required | Should -Be 'true'
        $name.pipelineInput | Should -Be 'True (ByPropertyName, ByValue)'
        $name.position | Should -Be '0'
        $name.aliases | Should -Be 'Id'
        $name.SelectSingleNode('command:parameterValue', $ns).InnerText | Should -Be 'String[]'
        $quiet = $maml.SelectSingleNode("//command:parameters/command:parameter[maml:name='Quiet']", $ns)
        $quiet.SelectSingleNode('command:parameterValue', $ns) | Should -BeNullOrEmpty
    }

    It 'writes one syntax line per parameter set, with the parameters of (All) in each' {
        $twoSets = Join-Path $TestDrive 'Test-Sets.md'
        $text = (Get-Content $sample -Raw).Replace('# Test-Sample', '# Test-Sets').Replace("Type: String[]`nParameter Sets: (All)", "Type: String[]`nParameter Sets: ByName")
        $text = $text.Replace("### -Quiet", "### -Id`nAn id.`n`n``````yaml`nType: Int32`nParameter Sets: ById`nRequired: True`nPosition: Named`nDefault value: None`nAccept pipeline input: False`nAccept wildcard characters: False`n```````n`n### -Quiet")
        Set-Content -Path $twoSets -Value $text -Encoding utf8
        [xml] $doc = ConvertTo-MamlHelp -Command (ConvertFrom-HelpMarkdown -Path $twoSets)
        $items = $doc.SelectNodes('//command:syntaxItem', $ns)
        $items.Count | Should -Be 2
        @($items[0].SelectNodes('command:parameter/maml:name', $ns).InnerText) | Should -Be @('Name', 'Quiet')
        @($items[1].SelectNodes('command:parameter/maml:name', $ns).InnerText) | Should -Be @('Id', 'Quiet')
    }

    It 'writes the examples and related links' {
        $maml.SelectNodes('//command:example', $ns).Count | Should -Be 2
        $maml.SelectSingleNode('//command:example/dev:code', $ns).InnerText | Should -Match 'Test-Sample -Name a'
        $maml.SelectNodes('//maml:navigationLink/maml:linkText', $ns).InnerText | Should -Be @('Other-Command', 'A site')
    }
}

Describe 'ConvertTo-AboutHelpText' {
    It 'writes TOPIC, headings in capitals, indented prose and code' {
        $about = Join-Path $TestDrive 'about_Sample.md'
        Set-Content -Path $about -Encoding utf8 -Value "# about_Sample`n`n## Short description`nSays `Hi`.`n- item`n  continued`n`n``````powershell`nGet-Sample`n```````n"
        $text = ConvertTo-AboutHelpText -Path $about
        $lines = $text -split '\r?\n'
        $lines[0..1] | Should -Be @('TOPIC', '    about_Sample')
        $lines | Should -Contain 'SHORT DESCRIPTION'
        $lines | Should -Contain '    Says Hi.'
        $lines | Should -Contain '      continued'
        $lines | Should -Contain '        Get-Sample'
    }
}
