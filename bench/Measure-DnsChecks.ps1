<#
.SYNOPSIS
    Prints how long the built module takes to import, and to check 1,000 domains through the
    pipeline against the lab's DNS server (NSD on loopback). A benchmark, not a test.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-DnsChecks.ps1
#>
param(
    [int] $Domains = 1000,
    [int] $Repeat = 3,
    [int] $ThrottleLimit = 32
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Get-Item ([IO.Path]::Combine($root, 'output', 'ExchangeDiag', '*', 'ExchangeDiag.psd1')) | Select-Object -First 1
if (-not $manifest) { throw 'Build the module first: dotnet pwsh -NoProfile -File ./build.ps1' }

Import-Module (Join-Path $root 'tests/lab/DnsLab.psm1')
$lab = Start-DnsLab
try {
    Push-Location $root
    $imports = foreach ($i in 1..$Repeat) {
        $ms = & dotnet pwsh -NoProfile -NonInteractive -Command "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$($manifest.FullName)'; `$c.Elapsed.TotalMilliseconds"
        [double]$ms
    }
    Pop-Location
    Write-Output ('Import-Module: {0:N0} ms median of {1} fresh processes ({2})' -f (($imports | Sort-Object)[[Math]::Floor($imports.Count / 2)]), $Repeat, (($imports | ForEach-Object { '{0:N0}' -f $_ }) -join ', '))

    Import-Module $manifest.FullName
    $names = 1..$Domains | ForEach-Object { 'bench{0:D4}.lab.test' -f (($_ - 1) % 1000 + 1) }
    foreach ($command in 'Test-ExchangeMx', 'Test-ExchangeSrv') {
        foreach ($run in 1..$Repeat) {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $results = $names | & $command -Provider OvhEurope -DnsServer $lab.Server -ThrottleLimit $ThrottleLimit
            $clock.Stop()
            $byStatus = ($results | Group-Object Status | ForEach-Object { "$($_.Name) $($_.Count)" }) -join ', '
            Write-Output ('{0}: {1} domains in {2:N2} s ({3:N0} domains/s), run {4}; {5}' -f $command, $results.Count, $clock.Elapsed.TotalSeconds, ($results.Count / $clock.Elapsed.TotalSeconds), $run, $byStatus)
        }
    }
}
finally {
    Stop-DnsLab $lab
}
