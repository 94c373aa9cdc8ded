# Shared by the report tests: dot-source it in BeforeAll, after importing the module.

# A DiagnosticReport built without Invoke-ExchangeDiagnostic. Its constructor and setters are
# internal (only the diagnosis makes reports), so reflection stands in for the diagnosis here;
# -Results takes real results from the Test-* cmdlets, or makes two small ones.
function New-TestReport {
    param(
        [string] $EmailAddress = 'healthy@lab.test',
        [ExchangeDiag.CheckStatus] $Status = 'Failed',
        [string] $Verdict = 'The password is wrong: every protocol refused it.',
        [string] $Remediation = 'Reset the mailbox password in the control panel, then update it on every device.',
        [object[]] $Results
    )

    $nonPublic = [Reflection.BindingFlags]'Instance, NonPublic, Public'
    $report = [ExchangeDiag.DiagnosticReport].GetConstructor($nonPublic, $null, [type[]]@([string], [string]), $null).Invoke(@($EmailAddress, ($EmailAddress -split '@')[1]))
    $set = { param($target, $name, $value) $target.GetType().GetProperty($name).SetValue($target, $value) }
    & $set $report 'Status' $Status
    & $set $report 'Verdict' $Verdict
    & $set $report 'StartTime' ([DateTimeOffset]::Now)
    & $set $report 'Duration' ([TimeSpan]::FromMilliseconds(1234))
    & $set $report 'ModuleVersion' '0.1.0'
    & $set $report 'Culture' 'en-US'

    if ($Status -ne 'Passed') {
        $cause = [ExchangeDiag.RootCause].GetConstructor($nonPublic, $null, [type[]]@([ExchangeDiag.DiagnosticCause], [string], [string]), $null).
            Invoke(@([ExchangeDiag.DiagnosticCause]::WrongPassword, 'Every protocol refused the credential.', $Remediation))
        Add-ToSummaryList $cause.Evidence 'OwaLogin: the server answered reason=2 (invalid credentials).'
        Add-ToSummaryList $report.Causes $cause
    }

    if (-not $Results) {
        $mx = [ExchangeDiag.MxCheckResult].GetConstructor($nonPublic, $null, [type[]]@([string]), $null).Invoke(@('lab.test'))
        $conclude = [ExchangeDiag.CheckResult].GetMethod('Conclude', $nonPublic)
        $addStep = [ExchangeDiag.CheckResult].GetMethod('AddStep', $nonPublic)
        $null = $addStep.Invoke($mx, @('MX lab.test', [ExchangeDiag.CheckStatus]::Passed, 'PASSED-STEP-DETAIL mx0.mail.ovh.net', [TimeSpan]::FromMilliseconds(8)))
        $null = $conclude.Invoke($mx, @([ExchangeDiag.CheckStatus]::Passed, [ExchangeDiag.DiagnosticCause]::None, 'lab.test has the OVHcloud MX records.', $null))
        $owa = [ExchangeDiag.OwaLoginResult].GetConstructor($nonPublic, $null, [type[]]@([string]), $null).Invoke(@('https://ex4.lab.test/owa/'))
        $null = $addStep.Invoke($owa, @('POST /owa/auth.owa', [ExchangeDiag.CheckStatus]::Failed, '302 to /owa/auth/logon.aspx?reason=2', [TimeSpan]::FromMilliseconds(120)))
        $null = $conclude.Invoke($owa, @([ExchangeDiag.CheckStatus]::Failed, [ExchangeDiag.DiagnosticCause]::WebmailAuthFailed, 'Webmail refused the credential <script>alert(1)</script>.', 'Check the password.'))
        $Results = $mx, $owa
    }
    foreach ($result in $Results) { Add-ToSummaryList $report.Results $result }
    $report
}

function Add-ToSummaryList($List, $Item) {
    # Cmdlet output comes wrapped in a PSObject; reflection needs the result itself.
    $null = $List.GetType().GetMethod('Add', [Reflection.BindingFlags]'Instance, NonPublic').Invoke($List, @($Item.psobject.BaseObject))
}

# Debian's Chromium and pdftotext, installed by the test run when missing (as the mail lab does).
function Initialize-Chromium {
    Import-Module (Join-Path $env:EXCHANGEDIAG_REPO 'tests/lab/DebianPackages.psm1')
    Install-DebianPackage -Package chromium, poppler-utils -Path /usr/bin/chromium, /usr/bin/pdftotext
}

# Runs headless Chromium on a local file with a time limit and its own throwaway profile.
function Invoke-Chromium([string] $Html, [string[]] $Arguments) {
    $profileDir = Join-Path ([IO.Path]::GetTempPath()) "exdiag-chromium-$([guid]::NewGuid())"
    try {
        $all = @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
            "--user-data-dir=$profileDir", '--hide-scrollbars') + $Arguments + @([Uri]::new([IO.Path]::GetFullPath($Html)).AbsoluteUri)
        $process = Start-Process -FilePath /usr/bin/chromium -ArgumentList $all -PassThru -RedirectStandardError (Join-Path $TestDrive 'chromium.err') -RedirectStandardOutput (Join-Path $TestDrive 'chromium.out')
        if (-not $process.WaitForExit(90000)) {
            $process.Kill($true)
            throw "Chromium did not finish within 90 s: $(Get-Content (Join-Path $TestDrive 'chromium.err') -Raw)"
        }
    }
    finally {
        Remove-Item $profileDir -Recurse -Force -ErrorAction Ignore
    }
}

# The text a reader sees on the printed page: Chromium prints to PDF, pdftotext reads it back.
function Get-PrintedText([string] $Html) {
    $pdf = Join-Path $TestDrive "$([IO.Path]::GetFileNameWithoutExtension($Html)).pdf"
    Invoke-Chromium $Html @('--no-pdf-header-footer', "--print-to-pdf=$pdf")
    if (-not (Test-Path $pdf)) { throw "Chromium wrote no PDF: $(Get-Content (Join-Path $TestDrive 'chromium.err') -Raw)" }
    & pdftotext -layout $pdf - | Out-String
}

function Save-Screenshot([string] $Html, [string] $Png, [string] $Size = '1100,1400') {
    Invoke-Chromium $Html @("--window-size=$Size", "--screenshot=$Png")
    if (-not (Test-Path $Png)) { throw "Chromium wrote no screenshot: $(Get-Content (Join-Path $TestDrive 'chromium.err') -Raw)" }
}
