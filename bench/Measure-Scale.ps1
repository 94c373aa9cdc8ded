<#
.SYNOPSIS
    Streams N domains through Test-ExchangeMx and Test-ExchangeSrv against the lab's NSD on
    loopback, beside `dig -f` on the same names, and prints domains/s, the ratio to dig and the
    peak resident memory at each N. A benchmark, not a test.
.DESCRIPTION
    The zone scale.test is written for the largest N: d1 .. dN, each with the provider's five MX
    records and its _autodiscover._tcp SRV record, so every domain is Passed with -Provider
    OvhEurope. Each ExchangeDiag run is a fresh pwsh process that reads the names from a file
    ([IO.File]::ReadLines() | Test-ExchangeMx), as dig reads its own; its time counts from the first input
    to the last result (net of process start and Import-Module), its peak memory is the process's
    VmHWM. dig runs `dig -f` sequentially (one process, one query at a time), as the issue
    measured it. Installs dig (bind9-dnsutils) when it is missing and this is root.
.EXAMPLE
    dotnet pwsh -NoProfile -Command './bench/Measure-Scale.ps1 -Count 10000, 100000, 1000000'
#>
param(
    [int[]] $Count = @(10000, 100000, 1000000),
    [string[]] $Command = @('Test-ExchangeMx', 'Test-ExchangeSrv'),
    # 0: the cmdlets' default.
    [int] $ThrottleLimit = 0,
    [switch] $SkipDig
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Get-Item ([IO.Path]::Combine($root, 'output', 'ExchangeDiag', '*', 'ExchangeDiag.psd1')) | Select-Object -First 1
if (-not $manifest) { throw 'Build the module first: dotnet pwsh -NoProfile -File ./build.ps1' }
if (-not $SkipDig -and -not (Get-Command dig -ErrorAction Ignore)) {
    if ((id -u) -ne '0') { throw 'dig is missing: apt-get install bind9-dnsutils, or run with -SkipDig.' }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get install -y -qq bind9-dnsutils | Out-Null
}

$work = Join-Path ([IO.Path]::GetTempPath()) "exchangediag-scale-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
$largest = ($Count | Measure-Object -Maximum).Maximum

Import-Module (Join-Path $root 'tests/lab/DnsLab.psm1')
$nameFile = Join-Path $work 'domains.txt'
$digFile = Join-Path $work 'dig-names.txt'
$zone = New-ScaleZone -Path (Join-Path $work 'scale.test.zone') -Count $largest -NameFile $nameFile -DigFile $digFile

$child = Join-Path $PSScriptRoot 'Invoke-ScaleRun.ps1'

# A server of its own beside the test lab's, which may be running.
$lab = Start-DnsLab -WorkDir (Join-Path $work 'nsd') -OnlyOn '127.0.0.79:5300' -ExtraZone $zone -LoadSeconds 600
try {
    $rows = foreach ($n in $Count) {
        $dig = $null
        if (-not $SkipDig) {
            $names = Join-Path $work "dig-names-$n.txt"
            & sh -c "head -n $n '$digFile' > '$names'"
            $labAddress, $labPort = $lab.Server -split ':'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            # Counted by wc, not by PowerShell: reading dig's output line by line would slow dig down.
            $answers = [int](& sh -c "dig -f '$names' @$labAddress -p $labPort +noall +answer +tries=1 +time=2 | wc -l")
            $clock.Stop()
            $dig = [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; PerSecond = $n / $clock.Elapsed.TotalSeconds; Answers = $answers }
            Write-Host ('dig -f: {0:N0} domains in {1:N2} s ({2:N0}/s), {3:N0} MX answers' -f $n, $dig.Seconds, $dig.PerSecond, $answers)
        }

        foreach ($name in $Command) {
            $json = & dotnet pwsh -NoProfile -NonInteractive -File $child -Manifest $manifest.FullName -Command $name -Count $n -Server $lab.Server -ThrottleLimit $ThrottleLimit -NameFile $nameFile
            $run = $json | Select-Object -Last 1 | ConvertFrom-Json
            $perSecond = $run.Total / $run.Seconds
            [pscustomobject]@{
                Command     = $name
                Domains     = $n
                Seconds     = [Math]::Round($run.Seconds, 2)
                'Domains/s' = [Math]::Round($perSecond)
                'x dig'     = if ($dig) { [Math]::Round($perSecond / $dig.PerSecond, 2) } else { $null }
                'Peak MB'   = $run.PeakRssMB
                'Kept MB'   = $run.ManagedMB
                'KB/domain' = $run.AllocatedKBPerDomain
                Results     = $run.Total
                NotPassed   = $run.NotPassed
            }
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200
}
finally {
    Stop-DnsLab $lab
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
