# The views as a person sees them: rendered by a real pwsh in a real terminal (tmux) at 80, 120 and
# 200 columns, in English and in French, and written to a file. The terminal's own screen is read
# back line by line (capture-pane without -J, which would join wrapped lines), so a line too long for
# the window shows up as it looks: a line as wide as the window (the terminal wraps it), or a table
# row that goes on at column 0 (PowerShell cut a custom view's line at its width).

BeforeDiscovery {
    $script:noTmux = -not (Get-Command tmux -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:esc = [char]27
    $script:checks = 'Mx', 'Srv', 'OwaLogin', 'EwsLogin', 'Autodiscover', 'Certificate', 'SmtpSend', 'ImapLogin', 'MailFlow',
        'InboundSmtp', 'Spf', 'Dkim', 'Dmarc', 'Blocklist', 'MtaSts', 'AccountState', 'ProviderDiagnosis'

    # What every scenario shows: the same objects, English then French, results then a diagnosis.
    # A wrong password, so that the diagnosis has Failed checks, an "Explained by" column and a long verdict.
    $script:scenario = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:EXCHANGEDIAG_MODULE
$dns = $env:EXCHANGEDIAG_LAB_DNS
$credential = [pscredential]::new('healthy@post.lab.test', (ConvertTo-SecureString 'Not-The-Password' -AsPlainText -Force))
$mx = { Test-ExchangeMx ovh-ok.lab.test, ovh-foreign.lab.test, nomx.lab.test, nope.lab.test -Provider OvhEurope -DnsServer $dns }
$results = & $mx
[cultureinfo]::CurrentUICulture = 'fr-FR'
$resultsFr = & $mx
[cultureinfo]::CurrentUICulture = 'en-US'
$report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential $credential -DnsServer $dns -TimeoutSeconds 5
$reportFr = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential $credential -DnsServer $dns -TimeoutSeconds 5 -Culture fr-FR
function Show {
    foreach ($name in 'results', 'resultsFr', 'report', 'reportFr') {
        "=== $name"
        Get-Variable $name -ValueOnly | Out-Default
    }
    '=== end'
}
'@

    # Runs the scenario once in a pwsh inside a detached tmux session, then shows it at each width:
    # the session is resized, the pwsh clears the screen and shows the objects again, and the pane is
    # read back with its escape sequences. Returns width => lines.
    function Get-TmuxScreens([int[]] $Widths) {
        $socket = "exdiag-console-$PID"
        $script = Join-Path $TestDrive 'tmux-scenario.ps1'
        Set-Content -Path $script -Value ($scenario + @"

foreach (`$width in $($Widths -join ', ')) {
    tmux -L $socket wait-for "resized-`$width"
    Clear-Host
    "=== width `$width"
    Show
    tmux -L $socket wait-for -S "shown-`$width"
}
"@)
        $pwsh = "cd '$env:EXCHANGEDIAG_REPO' && dotnet pwsh -NoProfile -NonInteractive -File '$script'; sleep 5"
        tmux -L $socket new-session -d -x $Widths[0] -y 100 $pwsh
        try {
            $screens = @{}
            foreach ($width in $Widths) {
                tmux -L $socket resize-window -t 0 -x $width -y 100
                Start-Sleep -Milliseconds 300    # the terminal tells pwsh its new size (SIGWINCH)
                tmux -L $socket wait-for -S "resized-$width"
                timeout 120 tmux -L $socket wait-for "shown-$width"
                $capture = @(tmux -L $socket capture-pane -p -e -t 0 -S -)
                # Clearing the screen may scroll the previous rendering into the history: keep what follows this width's marker.
                $from = [array]::LastIndexOf($capture, "=== width $width")
                $screens[$width] = @(if ($from -ge 0) { $capture[($from + 1)..($capture.Count - 1)] } else { $capture })
            }
            $screens
        }
        finally {
            tmux -L $socket kill-server 2>$null
        }
    }

    # The lines of one object's rendering, between its marker and the next.
    function Get-Section([string[]] $Lines, [string] $Name) {
        $start = [array]::IndexOf($Lines, "=== $Name")
        $start | Should -BeGreaterOrEqual 0 -Because "the screen shows $Name`n$($Lines -join "`n")"
        $end = $start + 1
        while ($end -lt $Lines.Count -and $Lines[$end] -notlike '=== *') { $end++ }
        $Lines[($start + 1)..($end - 1)] | ForEach-Object { $_.TrimEnd() }
    }

    # A table as the terminal shows it: below the dashes, every line starts a row with a check's
    # name or continues one with spaces; the rest of a cut line would start at column 0.
    function Assert-Table([string[]] $Lines, [string[]] $Header, [int] $Width, [string] $Context) {
        $dashes = [array]::FindIndex([string[]]$Lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)+$' })
        $dashes | Should -BeGreaterThan 0 -Because "$Context has a table`n$($Lines -join "`n")"
        ($Lines[$dashes - 1] -split ' +') | Should -Be $Header -Because $Context
        $rows = 0
        foreach ($line in $Lines[($dashes + 1)..($Lines.Count - 1)]) {
            if ($line -eq '') { continue }
            $first = ($line -split ' ')[0]
            if ($first -in $checks) { $rows++; continue }
            $line | Should -Match '^ ' -Because "$Context at $Width columns: no table row is cut where the line ends`n$($Lines -join "`n")"
        }
        $rows | Should -BeGreaterThan 0 -Because $Context
    }
}

AfterAll {
    Reset-Lab    # the wrong-password diagnoses must not leave the account locked for the next test file
}

Describe 'The views in a terminal' -Skip:$noTmux {
    BeforeAll {
        Reset-Lab
        $script:painted = Get-TmuxScreens -Widths 80, 120, 200
        $script:screens = @{}
        foreach ($width in $painted.Keys) { $screens[$width] = @($painted[$width] | ForEach-Object { $_ -replace '\e\[[0-9;?]*[A-Za-z]', '' }) }
    }

    It 'fits <Width> columns: no line as wide as the window, no row broken' -ForEach @(
        @{ Width = 80 }, @{ Width = 120 }, @{ Width = 200 }
    ) {
        $lines = $screens[$Width]
        [array]::IndexOf($lines, '=== end') | Should -BeGreaterThan 0 -Because "the scenario ran`n$($lines -join "`n")"
        foreach ($line in $lines) {
            $line.TrimEnd().Length | Should -BeLessThan $Width -Because "PowerShell, not the terminal, must wrap: '$line'"
        }

        Assert-Table (Get-Section $lines results) 'Check', 'Target', 'Status', 'Message' $Width 'Test-ExchangeMx'
        $report = @(Get-Section $lines report | Where-Object { $_ })
        $report[0] | Should -Match '^healthy@post\.lab\.test: Failed \(\d+\.\d s\)$'
        # Below 100 columns the cause that explains a check leads its message, so that the message keeps room.
        $header = if ($Width -lt 100) { 'Check', 'Target', 'Status', 'Message' } else { 'Check', 'Target', 'Status', 'Explained', 'by', 'Message' }
        Assert-Table $report $header $Width 'Invoke-ExchangeDiagnostic'
        $headerLine = $report | Where-Object { $_ -match '^Check\s+Target' } | Select-Object -First 1
        ($Width - $headerLine.IndexOf('Message')) | Should -BeGreaterOrEqual 30 -Because "the message column keeps room at $Width columns:`n$($report -join "`n")"
        if ($Width -lt 100) { $report -join "`n" | Should -Match '\(\w+\) ' -Because 'the explaining cause leads the message' }
    }

    It 'fits <Width> columns in French too' -ForEach @(
        @{ Width = 80 }, @{ Width = 120 }, @{ Width = 200 }
    ) {
        $lines = $screens[$Width]
        Assert-Table (Get-Section $lines resultsFr) 'Vérification', 'Cible', 'État', 'Message' $Width 'Test-ExchangeMx in French'
        $reportFr = @(Get-Section $lines reportFr | Where-Object { $_ })
        $reportFr[0] | Should -Match '^healthy@post\.lab\.test: Échec \(\d+,\d s\)$'
        $header = if ($Width -lt 100) { 'Vérification', 'Cible', 'État', 'Message' } else { 'Vérification', 'Cible', 'État', 'Expliqué', 'par', 'Message' }
        Assert-Table $reportFr $header $Width 'Invoke-ExchangeDiagnostic -Culture fr-FR'
    }

    It 'shows the verdict whole, wrapped at words, under the heading at 80 columns' {
        $report = @(Get-Section $screens[80] report | Where-Object { $_ })
        $dashes = [array]::FindIndex([string[]]$report, [Predicate[string]] { param($l) $l -match '^-+( +-+)+$' })
        $verdict = $report[1..($dashes - 2)] -join ' '
        $verdict | Should -Match 'password' -Because ($report -join "`n")
        $verdict | Should -Not -Match '  '
    }

    It 'says the statuses in French in a French run, and keeps the English enum values for scripts' {
        $lines = $screens[120]
        (Get-Section $lines resultsFr) -join "`n" | Should -Match 'Réussi|Échec|Erreur'
        (Get-Section $lines resultsFr) -join "`n" | Should -Not -Match ' Passed | Failed '
        (Get-Section $lines reportFr) -join "`n" | Should -Match 'Échec'

        $result = Invoke-InCulture fr-FR { Test-ExchangeMx post.lab.test -DnsServer $dns }
        $result.Status | Should -BeOfType ([ExchangeDiag.CheckStatus])
        $result.Status -eq 'Passed' | Should -BeTrue
        $result.PSObject.TypeNames[0] | Should -Be 'ExchangeDiag.CheckResult#fr'
        ($result | Format-List | Out-String) | Should -Match 'État\s*:\s*Réussi'
        (Test-ExchangeMx post.lab.test -DnsServer $dns).PSObject.TypeNames[0] | Should -Be 'ExchangeDiag.MxCheckResult'
    }

    It 'colours the status cells through $PSStyle in a terminal, in the result table and in the diagnosis' {
        $lines = $painted[120]
        $results = (Get-Section $lines results) -join "`n"
        $results | Should -Match ([regex]::Escape($PSStyle.Foreground.Green) + 'Passed')
        $report = (Get-Section $lines report) -join "`n"
        $report | Should -Match ([regex]::Escape($PSStyle.Foreground.Red) + 'Failed')
    }
}

Describe 'Output to a file' {
    BeforeAll {
        Reset-Lab
        $script:scenarioFile = Join-Path $TestDrive 'file-scenario.ps1'
        Set-Content -Path $scenarioFile -Value ($scenario + "`nShow")
    }

    It 'writes no escape sequence of its own when the output is redirected' {
        $out = Join-Path $TestDrive 'redirected.txt'
        Push-Location $env:EXCHANGEDIAG_REPO
        try { & dotnet pwsh -NoProfile -NonInteractive -File $scenarioFile > $out 2>&1 }
        finally { Pop-Location }
        $lines = Get-Content $out
        [array]::IndexOf($lines, '=== end') | Should -BeGreaterThan 0 -Because ($lines -join "`n")
        # PowerShell's own table headers keep $PSStyle.Formatting.TableHeader (CustomTableHeaderLabel) when pwsh's output is a
        # file (PowerShell/PowerShell#20170): the module's headers and status cells must add nothing.
        foreach ($line in $lines) {
            $ours = $line.Replace($PSStyle.Formatting.TableHeader, '').Replace($PSStyle.Formatting.CustomTableHeaderLabel, '').Replace($PSStyle.Reset, '')
            $ours | Should -Not -Match $esc -Because "no colour written to a file: '$line'"
        }
        (Get-Section $lines report) -join "`n" | Should -Not -Match $esc -Because 'the diagnosis view is the module''s alone'
        (Get-Section $lines reportFr) -join "`n" | Should -Not -Match $esc
    }

    It 'writes no escape byte at all with $PSStyle.OutputRendering = PlainText' {
        $out = Join-Path $TestDrive 'plain.txt'
        Push-Location $env:EXCHANGEDIAG_REPO
        try { & dotnet pwsh -NoProfile -NonInteractive -Command "`$PSStyle.OutputRendering = 'PlainText'; & '$scenarioFile'" > $out 2>&1 }
        finally { Pop-Location }
        $text = Get-Content $out -Raw
        $text | Should -Match '=== end'
        $text | Should -Match 'Échec'
        $text.Contains($esc) | Should -BeFalse
    }
}

Describe 'Results as data: ConvertTo-Json, Export-Csv, Format-List *' {
    BeforeAll {
        Reset-Lab
        $script:result = Test-ExchangeMx ovh-foreign.lab.test -Provider OvhEurope -DnsServer $dns
        $credential = New-LabCredential healthy@post.lab.test 'Not-The-Password'
        $script:report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential $credential -DnsServer $dns -TimeoutSeconds 5
    }

    It 'writes enums as names and Duration as milliseconds in JSON, and keeps them typed for scripts' {
        $json = $result | ConvertTo-Json -Depth 5 | ConvertFrom-Json -AsHashtable
        $json.Status | Should -Be 'Failed'
        $json.Cause | Should -Be 'MxInvalid'
        $json.ExplainedBy | Should -Be 'None'
        $json.DurationMs | Should -BeOfType ([double])
        $json.DurationMs | Should -BeGreaterThan 0
        $json.Keys | Should -Not -Contain 'Duration' -Because 'a TimeSpan is 15 fields in JSON'
        $json.Keys | Should -Not -Contain 'Subject'
        $json.Steps[0].Status | Should -BeIn 'Passed', 'Warning', 'Failed', 'Error', 'Skipped'
        $json.Steps[0].Keys | Should -Contain 'DurationMs'
        $json.Steps[0].Keys | Should -Not -Contain 'Duration'

        $result.Status | Should -BeOfType ([ExchangeDiag.CheckStatus])
        $result.Status -eq 'Failed' | Should -BeTrue
        $result.Status -eq [ExchangeDiag.CheckStatus]::Failed | Should -BeTrue
        $result.Duration | Should -BeOfType ([TimeSpan])
        $result.DurationMs | Should -Be ([Math]::Round($result.Duration.TotalMilliseconds, 3))
    }

    It 'writes the same choices in CSV and Format-List *, without the stray Subject' {
        $csv = $result | ConvertTo-Csv | ConvertFrom-Csv
        $columns = $csv.PSObject.Properties.Name
        $columns | Should -Contain 'DurationMs'
        $columns | Should -Not -Contain 'Duration'
        $columns | Should -Not -Contain 'Subject'
        $csv.Status | Should -Be 'Failed'
        ($result | Format-List * | Out-String) | Should -Not -Match '(?m)^Subject\s*:'
        ($report | Format-List * | Out-String) | Should -Not -Match '(?m)^Subject\s*:'
    }

    It 'writes a diagnosis the same way, and a JSON read back still exports its durations' {
        $text = $report | ConvertTo-Json -Depth 6
        $json = $text | ConvertFrom-Json -AsHashtable
        $json.Status | Should -Be 'Failed'
        $json.Causes[0].Cause | Should -Be ([string]$report.Causes[0].Cause)
        $json.Causes[0].Cause | Should -Match '^[A-Z][A-Za-z]+$' -Because 'a cause is its name, not its number'
        $json.Results[0].Status | Should -BeIn 'Passed', 'Warning', 'Failed', 'Error', 'Skipped'
        $json.DurationMs | Should -BeGreaterThan 0
        $json.Keys | Should -Not -Contain 'Duration'
        $json.Keys | Should -Not -Contain 'Subject'

        $path = Join-Path $TestDrive 'from-convertto-json.json'
        $text | ConvertFrom-Json | Export-ExchangeDiagnosticReport -Path $path
        $exported = (Get-Content $path -Raw | ConvertFrom-Json).Reports[0]
        $exported.Duration | Should -Be $json.DurationMs
        $exported.Results[0].Duration | Should -Be $json.Results[0].DurationMs
        $exported.PSObject.Properties.Name | Should -Not -Contain 'DurationMs' -Because 'the report JSON writes Duration in milliseconds itself'

        # Clixml keeps both Duration and DurationMs: the report JSON still writes Duration once.
        $clixml = Join-Path $TestDrive 'report.clixml'
        $report | Export-Clixml -Path $clixml
        $path = Join-Path $TestDrive 'from-clixml.json'
        Import-Clixml -Path $clixml | Export-ExchangeDiagnosticReport -Path $path
        $exported = (Get-Content $path -Raw | ConvertFrom-Json).Reports[0]
        $exported.Results[0].Duration | Should -Be $json.Results[0].DurationMs
        $exported.Results[0].PSObject.Properties.Name | Should -Not -Contain 'DurationMs'
        $exported.Results[0].Steps[0].PSObject.Properties.Name | Should -Be 'Name', 'Status', 'Detail', 'Duration'
    }

    It 'shows the checks of a French diagnosis with French headers, and its Clixml export keeps each result''s own type' {
        $credential = New-LabCredential healthy@post.lab.test 'Not-The-Password'
        $french = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential $credential -DnsServer $dns -TimeoutSeconds 5 -Culture fr-FR
        $table = $french.Results | Format-Table | Out-String -Width 200
        $table | Should -Match 'Vérification\s+Cible\s+État'
        $table | Should -Match 'Échec'
        $english = $report.Results | Format-Table | Out-String -Width 200
        $english | Should -Match 'Check\s+Target\s+Status'

        $clixml = Join-Path $TestDrive 'report-fr.clixml'
        $french | Export-Clixml -Path $clixml
        $path = Join-Path $TestDrive 'from-clixml-fr.json'
        Import-Clixml -Path $clixml | Export-ExchangeDiagnosticReport -Path $path
        $exported = (Get-Content $path -Raw | ConvertFrom-Json).Reports[0]
        $exported.Results.Type | Should -Contain 'MxCheckResult'
        $exported.Results.Type | Should -Not -Match '#'
    }
}
