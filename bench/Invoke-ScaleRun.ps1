<#
.SYNOPSIS
    One streamed run for Measure-Scale.ps1 and the flat-memory test, in a process of its own:
    d1..dN.scale.test through a check cmdlet, counted as they come out; prints one JSON line with
    the time from the first input to the last result, the process's peak resident memory (VmHWM),
    the managed memory kept after the run, and the bytes allocated per domain. The names come from
    a file, one per line, as `dig -f` reads its own: d1..dN.scale.test.
#>
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Command,
    [Parameter(Mandatory)] [int] $Count,
    # The names, one per line (New-ScaleZone -NameFile), written beforehand: making them here would count in the peak.
    [Parameter(Mandatory)] [string] $NameFile,
    [Parameter(Mandatory)] [string] $Server,
    [int] $ThrottleLimit = 0
)

Import-Module $Manifest
$throttle = if ($ThrottleLimit -gt 0) { @{ ThrottleLimit = $ThrottleLimit } } else { @{} }
$script:total = 0
$script:notPassed = 0
$allocatedBefore = [GC]::GetTotalAllocatedBytes($false)
$clock = [Diagnostics.Stopwatch]::StartNew()
# ReadLines streams the file as plain strings; Get-Content would wrap each line with six note
# properties (PSPath and the like), which costs more memory than the check itself.
[System.Linq.Enumerable]::Take([System.IO.File]::ReadLines($NameFile), $Count) |
    & $Command -Provider OvhEurope -DnsServer $Server @throttle |
    ForEach-Object { $script:total++; if ($_.Status -ne 'Passed') { $script:notPassed++ } }
$clock.Stop()
$allocated = [GC]::GetTotalAllocatedBytes($false) - $allocatedBefore
$peak = [Math]::Round([int]((Get-Content /proc/self/status | Where-Object { $_ -like "VmHWM:*" }) -replace "\D", "") / 1024)
$kept = [int]([GC]::GetTotalMemory($true) / 1MB)
[pscustomobject]@{
    Seconds              = $clock.Elapsed.TotalSeconds
    Total                = $script:total
    NotPassed            = $script:notPassed
    PeakRssMB            = $peak
    ManagedMB            = $kept
    AllocatedKBPerDomain = [Math]::Round($allocated / 1KB / $Count, 1)
} | ConvertTo-Json -Compress
