# Registers Should -BeHealthyMailbox with every Pester 5 or later loaded in this session. The module
# runs it at import when Pester is loaded, and its cmdlets run it once Pester is loaded after the
# module (PesterOperator.cs): an infrastructure test calls Invoke-ExchangeDiagnostic before it
# asserts on the report. Running it again is harmless: Pester ignores an operator registered twice
# with the same test, and an operator of that name with another test (a copy of the old example's)
# is left as it is.

$test = {
    # A report is healthy when its Status is Passed (Warning too with -AllowWarning). Works on live
    # and deserialized reports (Import-Clixml, Start-Job, ConvertFrom-Json of the JSON export).
    # Pipeline-free and with .NET calls only: it runs in whatever session state registered it.
    param($ActualValue, [switch] $Negate, [string] $Because, [switch] $AllowWarning, $CallerSessionState)

    # Several reports come as an array (the operator supports array input); the first one's culture words the message.
    $reports = @($ActualValue)
    $first = if ($reports.Count) { $reports[0] }
    $french = "$(if ($null -ne $first -and $first.PSObject.Properties['Culture']) { $first.Culture })".StartsWith('fr')
    $t = if ($french) {
        @{
            NotReport = "Un rapport d'Invoke-ExchangeDiagnostic était attendu, mais reçu : {0}"
            Expected  = 'Attendu : {0} en bon état{1}, mais son diagnostic est {2} : {3}'
            ExpectedNot = 'Attendu : {0} pas en bon état{1}, mais son diagnostic est {2} : {3}'
            Because   = ', car {0}'
            Cause     = '  cause {0} : {1} Marche à suivre : {2}'
            Check     = '  vérification {0} {1} : {2}{3} - {4}'
            Warning   = '  (-AllowWarning accepte un rapport en Avertissement)'
            # The status words of the French views (ExchangeDiag.Format.ps1xml).
            Status    = @{ Passed = 'Réussi'; Warning = 'Avertissement'; Failed = 'Échec'; Error = 'Erreur'; Skipped = 'Non testé' }
        }
    }
    else {
        @{
            NotReport = 'Expected a report of Invoke-ExchangeDiagnostic, but got: {0}'
            Expected  = 'Expected {0} to be healthy{1}, but its diagnosis is {2}: {3}'
            ExpectedNot = 'Expected {0} not to be healthy{1}, but its diagnosis is {2}: {3}'
            Because   = ' because {0}'
            Cause     = '  cause {0}: {1} Remediation: {2}'
            Check     = '  check {0} {1}: {2}{3} - {4}'
            Warning   = '  (-AllowWarning accepts a Warning report)'
            Status    = @{}
        }
    }
    $because = if ($Because) { [string]::Format($t.Because, $Because.Trim().TrimEnd('.')) } else { '' }
    # A status as the reader's language writes it; the English name when there is no word for it.
    $word = { param($Status) if ($t.Status.ContainsKey("$Status")) { $t.Status["$Status"] } else { "$Status" } }

    $lines = [System.Collections.Generic.List[string]]::new()
    $succeeded = $reports.Count -gt 0
    foreach ($report in $reports) {
        if ($null -eq $report -or -not $report.PSObject.Properties['Status'] -or -not $report.PSObject.Properties['Causes'] -or
            -not $report.PSObject.Properties['EmailAddress']) {
            $shown = if ($null -eq $report) { '$null' } else { "$($report.GetType().FullName) '$report'" }
            return [pscustomobject]@{ Succeeded = $false; FailureMessage = [string]::Format($t.NotReport, $shown) }
        }

        $status = "$($report.Status)"
        $healthy = $status -eq 'Passed' -or ($AllowWarning -and $status -eq 'Warning')
        if ($Negate) { $healthy = -not $healthy }
        if ($healthy) { continue }

        $succeeded = $false
        $lines.Add([string]::Format($(if ($Negate) { $t.ExpectedNot } else { $t.Expected }), $report.EmailAddress, $because, (& $word $status), $report.Verdict))
        if ($Negate) { continue }
        foreach ($cause in @($report.Causes)) {
            if ($null -ne $cause) { $lines.Add([string]::Format($t.Cause, $cause.Cause, $cause.Message, $cause.Remediation)) }
        }
        foreach ($result in @($report.Results)) {
            if ($null -eq $result -or "$($result.Status)" -notin 'Warning', 'Failed', 'Error') { continue }
            $cause = if ("$($result.Cause)" -and "$($result.Cause)" -ne 'None') { " ($($result.Cause))" } else { '' }
            $lines.Add([string]::Format($t.Check, $result.Check, $result.Target, (& $word $result.Status), $cause, $result.Message))
        }
        if ($status -eq 'Warning') { $lines.Add($t.Warning) }
    }

    [pscustomobject]@{ Succeeded = $succeeded; FailureMessage = [string]::Join([Environment]::NewLine, $lines) }
}

# Says whether a Pester 5 was found in this session, so that a runspace where Pester is not imported
# yet (its assembly loaded by another runspace) is asked again at the next cmdlet (PesterOperator.cs).
$found = $false
foreach ($pester in @(Microsoft.PowerShell.Core\Get-Module -Name Pester)) {
    if ($pester.Version.Major -lt 5) { continue }
    $found = $true
    try {
        & $pester.ExportedCommands['Add-ShouldOperator'] -Name BeHealthyMailbox -Test $test -SupportsArrayInput -ErrorAction Stop
    }
    catch {
        # Another test under that name (a user's own), or Pester's limit of 32 operators: theirs stays.
        Microsoft.PowerShell.Utility\Write-Verbose "Should -BeHealthyMailbox was not registered with Pester $($pester.Version): $($_.Exception.Message)"
    }
}
$found
