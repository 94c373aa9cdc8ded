# Get-Help on the built module, in every culture the module ships help for.

BeforeDiscovery {
    $moduleDir = Split-Path $env:EXCHANGEDIAG_MODULE -Parent
    $cmdlets = (Import-PowerShellDataFile $env:EXCHANGEDIAG_MODULE).CmdletsToExport
    $cultures = foreach ($dir in Get-ChildItem $moduleDir -Directory | Where-Object Name -match '^[a-z]{2}-[A-Z]{2}$') {
        @{ Culture = $dir.Name; Cmdlets = $cmdlets }
    }
}

Describe 'Help in <Culture>' -ForEach $cultures {
    BeforeAll {
        # A fresh process per culture: Get-Help caches what it has read.
        $script = @"
[cultureinfo]::CurrentUICulture = '$Culture'
Import-Module '$env:EXCHANGEDIAG_MODULE'
`$help = foreach (`$name in '$($Cmdlets -join "','")') {
    `$h = Get-Help `$name -Full
    `$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    [pscustomobject]@{
        Name        = `$name
        Synopsis    = `$h.Synopsis
        Description = (`$h.Description.Text -join ' ')
        Parameters  = @(`$h.Parameters.Parameter | Where-Object { `$_ } | ForEach-Object { [pscustomobject]@{ Name = `$_.Name; Description = (`$_.Description.Text -join ' ') } })
        Real        = @((Get-Command `$name).Parameters.Keys | Where-Object { `$_ -notin `$common })
        Examples    = @(`$h.Examples.Example).Count
        Outputs     = (`$h.ReturnValues.ReturnValue.Type.Name -join ',')
        Links       = @(`$h.RelatedLinks.NavigationLink.LinkText)
        HelpUri     = (Get-Command `$name).HelpUri
        OnlineUri   = @(`$h.RelatedLinks.NavigationLink | Where-Object { `$_.Uri } | ForEach-Object Uri)[0]
        TimeoutHelp = @(`$h.Parameters.Parameter | Where-Object Name -eq TimeoutSeconds | ForEach-Object DefaultValue)[0]
        TimeoutCode = if ((Get-Command `$name).Parameters.ContainsKey('TimeoutSeconds')) { [Activator]::CreateInstance((Get-Command `$name).ImplementingType).TimeoutSeconds }
    }
}
[pscustomobject]@{ Help = `$help; About = (Get-Help about_ExchangeDiag | Out-String) } | ConvertTo-Json -Depth 5
"@
        Push-Location $env:EXCHANGEDIAG_REPO
        try { $json = & dotnet pwsh -NoProfile -NonInteractive -Command $script }
        finally { Pop-Location }
        $script:shown = $json | Out-String | ConvertFrom-Json
        $docs = Join-Path $env:EXCHANGEDIAG_REPO "docs/$Culture"
    }

    It '<_> has a synopsis, a description, outputs and related links' -ForEach $Cmdlets {
        $help = $shown.Help | Where-Object Name -eq $_
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\w+-Exchange\w+ \[' -Because 'a synopsis made up by PowerShell from the syntax means no help was found'
        $help.Description | Should -Not -BeNullOrEmpty
        # A result or report type, a written file, the session a Connect- cmdlet keeps, or None for a Disconnect- cmdlet.
        $help.Outputs | Should -Match '^(ExchangeDiag\.\w+|System\.IO\.FileInfo|None)'
        $help.Links | Should -Not -BeNullOrEmpty
    }

    It '<_> describes exactly the real parameters, each one' -ForEach $Cmdlets {
        $help = $shown.Help | Where-Object Name -eq $_
        @($help.Parameters.Name | Sort-Object) | Should -Be @($help.Real | Sort-Object)
        foreach ($parameter in $help.Parameters) {
            $parameter.Description | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }

    It '<_> has at least two examples' -ForEach $Cmdlets {
        ($shown.Help | Where-Object Name -eq $_).Examples | Should -BeGreaterOrEqual 2
    }

    It '<_> links online to its own page of the repository docs' -ForEach $Cmdlets {
        # Get-Help -Online opens the help's first related link, else the cmdlet's HelpUri: both must be
        # the cmdlet's own page, one that exists (the English page for HelpUri, this culture's in the help).
        $help = $shown.Help | Where-Object Name -eq $_
        $base = 'https://github.com/exchangediag/ExchangeDiag/blob/main/'
        $help.HelpUri | Should -Be "${base}docs/en-US/$_.md"
        $help.OnlineUri | Should -Be "${base}docs/$Culture/$_.md"
        Join-Path $env:EXCHANGEDIAG_REPO $help.HelpUri.Substring($base.Length) | Should -Exist
        Join-Path $env:EXCHANGEDIAG_REPO $help.OnlineUri.Substring($base.Length) | Should -Exist
        $base.TrimEnd('/') | Should -BeLike ((Import-PowerShellDataFile $env:EXCHANGEDIAG_MODULE).PrivateData.PSData.ProjectUri + '/blob/main')
    }

    It '<_> documents the -TimeoutSeconds default the code has, as the README table does' -ForEach $Cmdlets {
        $help = $shown.Help | Where-Object Name -eq $_
        if ($null -eq $help.TimeoutCode) { return }
        "$($help.TimeoutHelp)" | Should -Be "$($help.TimeoutCode)"
        $readme = Get-Content (Join-Path $env:EXCHANGEDIAG_REPO 'README.md') -Raw -Encoding utf8
        $row = [regex]::Matches($readme, '(?m)^\|[^\n]*`' + [regex]::Escape($_) + '`[^\n]*\|\s*(\d+)\s*\|') | Select-Object -First 1
        $row | Should -Not -BeNullOrEmpty -Because "the README's -TimeoutSeconds table names $_"
        $row.Groups[1].Value | Should -Be "$($help.TimeoutCode)"
    }

    It 'lists every cmdlet under SEE ALSO of about_ExchangeDiag, and documents Should -BeHealthyMailbox' {
        $seeAlso = ($shown.About -split 'SEE ALSO|VOIR AUSSI')[-1]
        foreach ($name in $Cmdlets) { $seeAlso | Should -Match "\b$name\b" }
        $shown.About | Should -Match 'Should -BeHealthyMailbox'
        $shown.About | Should -Match 'AllowWarning'
    }

    It '<_> shows the text of this culture' -ForEach $Cmdlets {
        $source = Get-Content (Join-Path $docs "$_.md") -Encoding utf8
        $synopsis = $source[([array]::IndexOf($source, '## SYNOPSIS') + 1)]
        ($shown.Help | Where-Object Name -eq $_).Synopsis | Should -Be $synopsis
    }

    It 'shows about_ExchangeDiag with the causes and their remediation' {
        $shown.About | Should -Match 'about_ExchangeDiag'
        $shown.About | Should -Match 'MxInvalid'
        $shown.About | Should -Match 'DnsUnavailable'
        $firstHeading = (Get-Content (Join-Path $docs 'about_ExchangeDiag.md') -Encoding utf8 | Where-Object { $_ -like '## *' } | Select-Object -First 1).Substring(3)
        $shown.About | Should -Match ([regex]::Escape($firstHeading.ToUpperInvariant()))
    }
}

Describe 'Help cultures' {
    It 'ships English and French' {
        $moduleDir = Split-Path $env:EXCHANGEDIAG_MODULE -Parent
        Join-Path $moduleDir 'en-US/ExchangeDiag.dll-Help.xml' | Should -Exist
        Join-Path $moduleDir 'fr-FR/ExchangeDiag.dll-Help.xml' | Should -Exist
        Join-Path $moduleDir 'fr-FR/about_ExchangeDiag.help.txt' | Should -Exist
    }
}
