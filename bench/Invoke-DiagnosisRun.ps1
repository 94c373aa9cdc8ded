<#
.SYNOPSIS
    One run for Measure-Diagnosis.ps1, in a process of its own so that its peak memory is its own:
    bulk1..bulkN@post.lab.test (healthy lab mailboxes) through Invoke-ExchangeDiagnostic, mail flow
    included. Prints one JSON line: wall time, peak resident memory (VmHWM), the reports' statuses
    and the slowest report. Needs the lab's environment (Invoke-InLab).
#>
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [int] $Count,
    [int] $ThrottleLimit = 32
)

Import-Module $Manifest
$password = ConvertTo-SecureString 'Correct-Horse-1' -AsPlainText -Force
$mailboxes = 1..$Count | ForEach-Object {
    [pscustomobject]@{ EmailAddress = "bulk$_@post.lab.test"; Credential = [pscredential]::new("bulk$_@post.lab.test", $password) }
}
$statuses = @{}
$slowest = [timespan]::Zero
$clock = [Diagnostics.Stopwatch]::StartNew()
$mailboxes | Invoke-ExchangeDiagnostic -DnsServer $env:EXCHANGEDIAG_LAB_DNS -ThrottleLimit $ThrottleLimit | ForEach-Object {
    $statuses[$_.Status.ToString()] = 1 + [int]$statuses[$_.Status.ToString()]
    if ($_.Duration -gt $slowest) { $slowest = $_.Duration }
}
$clock.Stop()
$peak = [Math]::Round([int]((Get-Content /proc/self/status | Where-Object { $_ -like "VmHWM:*" }) -replace "\D", "") / 1024)
[pscustomobject]@{
    Seconds   = $clock.Elapsed.TotalSeconds
    PeakRssMB = $peak
    Statuses  = ($statuses.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Value)" }) -join ', '
    SlowestMs = [int]$slowest.TotalMilliseconds
} | ConvertTo-Json -Compress
