<#
.SYNOPSIS
    Runs the Pester tests against a built module, with the DNS lab up, and writes the counts.
.DESCRIPTION
    build.ps1 -Task Test runs this in a fresh pwsh process, so that the module under test is
    imported into a clean session. The lab's addresses reach the tests through environment
    variables; the summary file holds the pass and fail counts for build.ps1 to add up.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string[]] $Path = (Join-Path $PSScriptRoot 'Pester')
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module ([IO.Path]::Combine($root, '.tools', 'packages', 'pester', '5.7.1', 'tools', 'Pester.psd1')) -Force
Import-Module (Join-Path $PSScriptRoot 'lab/DnsLab.psm1') -Force

$lab = Start-DnsLab
try {
    $env:EXCHANGEDIAG_MODULE = (Resolve-Path $ModuleManifest).Path
    $env:EXCHANGEDIAG_REPO = $root
    $env:EXCHANGEDIAG_LAB_DNS = $lab.Server
    $env:EXCHANGEDIAG_LAB_DNS_V6 = $lab.ServerV6
    $env:EXCHANGEDIAG_LAB_DNS_PORT53 = $lab.ServerDefaultPort

    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    @{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $SummaryPath
}
finally {
    Stop-DnsLab $lab
}
