<#
.SYNOPSIS
    Times Invoke-ExchangeDiagnostic on the lab's healthy mailbox, mail flow included, and on a
    failing one. A benchmark, not a test: it prints figures.
.DESCRIPTION
    Starts every lab (tests/lab/Lab.psm1), then measures in a pwsh that trusts the lab CA. The
    first diagnosis runs cold (JIT, first TLS handshakes) and is shown apart from the warm runs after it.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-Diagnosis.ps1 -Repeat 5
#>
param(
    [int] $Repeat = 5,
    # Healthy lab mailboxes (bulk1..bulkN@post.lab.test) diagnosed at once, each count in a fresh process.
    [int[]] $BulkCount = @(100, 500),
    # The counts across the process boundary of Invoke-InLab, which -File would not pass as an array.
    [string] $BulkCountList,
    [int] $ThrottleLimit = 32,
    [switch] $InLab
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Get-Item ([IO.Path]::Combine($root, 'output', 'ExchangeDiag', '*', 'ExchangeDiag.psd1')) | Select-Object -First 1
if (-not $manifest) { throw 'Build the module first: dotnet pwsh -NoProfile -File ./build.ps1' }

if (-not $InLab) {
    Import-Module (Join-Path $root 'tests/lab/Lab.psm1') -Force
    exit (Invoke-InLab -FilePath $PSCommandPath -ArgumentList '-Repeat', $Repeat, '-BulkCountList', ($BulkCount -join ';'), '-ThrottleLimit', $ThrottleLimit, '-InLab')
}

Import-Module $manifest.FullName
$dns = $env:EXCHANGEDIAG_LAB_DNS
function New-Credential([string] $User, [string] $Secret = 'Correct-Horse-1') {
    [pscredential]::new($User, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

$healthy = New-Credential healthy@post.lab.test
$clock = [Diagnostics.Stopwatch]::StartNew()
$first = Invoke-ExchangeDiagnostic -EmailAddress healthy@post.lab.test -Credential $healthy -DnsServer $dns
'first diagnosis in this process (cold: JIT, first TLS handshakes): {0:N0} ms wall clock, {1}' -f $clock.Elapsed.TotalMilliseconds, $first.Status
foreach ($i in 1..$Repeat) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $report = Invoke-ExchangeDiagnostic -EmailAddress healthy@post.lab.test -Credential $healthy -DnsServer $dns
    $clock.Stop()
    $flow = $report.Results | Where-Object Check -eq MailFlow
    $slowest = $report.Results | Sort-Object Duration -Descending | Select-Object -First 3 |
        ForEach-Object { '{0} {1:N0} ms' -f $_.Check, $_.Duration.TotalMilliseconds }
    'healthy, mail flow included: {0:N0} ms wall clock, report {1:N0} ms, {2}; message latency {3:N0} ms; slowest: {4}' -f `
        $clock.Elapsed.TotalMilliseconds, $report.Duration.TotalMilliseconds, $report.Status, $flow.MessageLatency.TotalMilliseconds, ($slowest -join ', ')
}

foreach ($i in 1..$Repeat) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $report = Invoke-ExchangeDiagnostic -EmailAddress spammer@post.lab.test -Credential (New-Credential spammer@post.lab.test) -DnsServer $dns
    $clock.Stop()
    'blocked for spam: {0:N0} ms wall clock, first cause {1}' -f $clock.Elapsed.TotalMilliseconds, $report.Causes[0].Cause
}

# Many mailboxes at once: every lab account, four at a time.
$mailboxes = 'healthy', 'spammer', 'expired', 'locked', 'overquota' | ForEach-Object {
    [pscustomobject]@{ EmailAddress = "$_@post.lab.test"; Credential = New-Credential "$_@post.lab.test" }
}
$clock = [Diagnostics.Stopwatch]::StartNew()
$reports = $mailboxes | Invoke-ExchangeDiagnostic -DnsServer $dns -ThrottleLimit 4
$clock.Stop()
'{0} mailboxes, -ThrottleLimit 4: {1:N0} ms wall clock ({2})' -f $reports.Count, $clock.Elapsed.TotalMilliseconds, (($reports | ForEach-Object { "$($_.EmailAddress.Split('@')[0])=$($_.Status)" }) -join ', ')

# Hundreds of healthy mailboxes, mail flow included: the time, the peak memory, and the cost per
# mailbox, which must not grow with their number.
if ($BulkCountList) { $BulkCount = $BulkCountList -split ';' | ForEach-Object { [int]$_ } }
foreach ($count in $BulkCount) {
    $json = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Invoke-DiagnosisRun.ps1') -Manifest $manifest.FullName -Count $count -ThrottleLimit $ThrottleLimit
    $run = $json | Select-Object -Last 1 | ConvertFrom-Json
    '{0} healthy mailboxes, -ThrottleLimit {1}: {2:N1} s wall clock ({3:N0} ms per mailbox), peak {4:N0} MB, slowest report {5:N0} ms; {6}' -f `
        $count, $ThrottleLimit, $run.Seconds, ($run.Seconds * 1000 / $count), $run.PeakRssMB, $run.SlowestMs, $run.Statuses
}
