<#
.SYNOPSIS
    Prints what `Import-Module ExchangeDiag` costs a fresh PowerShell: the median of N fresh
    processes that import the module and exit, over the median of N bare ones that only exit,
    in wall-clock time and in CPU time (user + system, from /usr/bin/time where it exists), and
    the import's own time measured inside the process. A benchmark, not a test.
.DESCRIPTION
    The runs alternate (bare, import, bare, import...) so that a machine busy with something
    else weighs on both sides alike. CPU time counts every thread of the process (background
    JIT and GC included); on a machine shared with other work it is steadier than wall time.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-Import.ps1 -Count 10
#>
param(
    [int] $Count = 10,
    # Another build of the module to measure instead of output/ (a manifest path).
    [string] $Manifest
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
if (-not $Manifest) {
    $found = Get-Item ([IO.Path]::Combine($root, 'output', 'ExchangeDiag', '*', 'ExchangeDiag.psd1')) | Select-Object -First 1
    if (-not $found) { throw 'Build the module first: dotnet pwsh -NoProfile -File ./build.ps1' }
    $Manifest = $found.FullName
}

# This very pwsh (the repository's local tool), started directly: through `dotnet pwsh` the tool
# lookup would count in every run.
$pwsh = [Environment]::ProcessPath
$prefix = @()
if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
    $prefix = @([Environment]::GetCommandLineArgs()[0])
}
$time = if (Test-Path /usr/bin/time) { '/usr/bin/time' }

function Invoke-Run([string] $Script) {
    $output = Join-Path ([IO.Path]::GetTempPath()) "exchangediag-import-$PID.txt"
    $clock = [Diagnostics.Stopwatch]::StartNew()
    if ($time) {
        $text = & $time -f 'cpu %U %S' -o $output $pwsh @prefix -NoProfile -NonInteractive -Command $Script
    }
    else {
        $text = & $pwsh @prefix -NoProfile -NonInteractive -Command $Script
    }
    $clock.Stop()
    $cpu = $null
    if ($time) {
        $user, $system = ((Get-Content $output | Where-Object { $_ -like 'cpu *' }) -split ' ')[1, 2]
        $cpu = ([double]$user + [double]$system) * 1000
        Remove-Item $output -ErrorAction Ignore
    }
    [pscustomobject]@{ WallMs = $clock.Elapsed.TotalMilliseconds; CpuMs = $cpu; Inside = ($text | Select-Object -Last 1) }
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][Math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

$import = "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$Manifest'; `$c.Elapsed.TotalMilliseconds"
$bare = @(); $imported = @()
# One of each first, not counted: the disk cache and the tool's first start.
$null = Invoke-Run 'exit'; $null = Invoke-Run $import
foreach ($i in 1..$Count) {
    $bare += Invoke-Run 'exit'
    $imported += Invoke-Run $import
}

$wallBare = Get-Median $bare.WallMs
$wallImport = Get-Median $imported.WallMs
'Import-Module ExchangeDiag, median of {0} fresh processes each:' -f $Count
'  wall: {0:N0} ms over a pwsh that only exits ({1:N0} ms against {2:N0} ms)' -f ($wallImport - $wallBare), $wallImport, $wallBare
if ($time) {
    $cpuBare = Get-Median $bare.CpuMs
    $cpuImport = Get-Median $imported.CpuMs
    '  CPU:  {0:N0} ms over a pwsh that only exits ({1:N0} ms against {2:N0} ms, user + system)' -f ($cpuImport - $cpuBare), $cpuImport, $cpuBare
}
'  inside the process: {0:N0} ms' -f (Get-Median ($imported.Inside | ForEach-Object { [double]$_ }))
