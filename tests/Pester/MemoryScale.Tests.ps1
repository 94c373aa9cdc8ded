# Memory flat in the input: ten times the domains may not cost more than 30 MB more peak memory.
# Each run is a fresh process (bench/Invoke-ScaleRun.ps1), so its peak resident memory is its own;
# the zone is served by a second NSD beside the test lab's, on 127.0.0.79:5300.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../lab/DnsLab.psm1')
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "exchangediag-memory-$PID"
    $null = New-Item -ItemType Directory -Path $work -Force
    $script:nameFile = Join-Path $work 'domains.txt'
    $zone = New-ScaleZone -Path (Join-Path $work 'scale.test.zone') -Count 200000 -NameFile $nameFile
    $script:scaleLab = Start-DnsLab -WorkDir (Join-Path $work 'nsd') -OnlyOn '127.0.0.79:5300' -ExtraZone $zone -LoadSeconds 120
    $script:runner = Join-Path $PSScriptRoot '../../bench/Invoke-ScaleRun.ps1'

    function Invoke-ScaleRun([string] $Command, [int] $Count) {
        $json = & dotnet pwsh -NoProfile -NonInteractive -File $runner -Manifest $env:EXCHANGEDIAG_MODULE -Command $Command -Count $Count -Server $scaleLab.Server -NameFile $nameFile
        $run = $json | Select-Object -Last 1 | ConvertFrom-Json
        Write-Host ('      {0} {1:N0} domains: {2:N1} s, peak {3} MB, kept {4} MB, {5} KB allocated per domain' -f $Command, $Count, $run.Seconds, $run.PeakRssMB, $run.ManagedMB, $run.AllocatedKBPerDomain)
        $run
    }
}

AfterAll {
    if ($scaleLab) { Stop-DnsLab $scaleLab }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'Memory over a long pipeline' {
    It '<_> keeps its peak memory flat from 20,000 to 200,000 domains, every one Passed' -ForEach 'Test-ExchangeMx', 'Test-ExchangeSrv' {
        $small = Invoke-ScaleRun $_ 20000
        $large = Invoke-ScaleRun $_ 200000

        $small.Total | Should -Be 20000
        $large.Total | Should -Be 200000
        $large.NotPassed | Should -Be 0 -Because 'no answer may be lost at scale'
        $large.PeakRssMB | Should -BeLessOrEqual ($small.PeakRssMB + 30) -Because "the peak at 200,000 domains was $($large.PeakRssMB) MB against $($small.PeakRssMB) MB at 20,000"
    }
}
