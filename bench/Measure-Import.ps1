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
    Every import follows a bare run because PowerShell replays, on a background thread, the
    methods the previous process of the same kind compiled (its startup profile under
    ~/.cache/powershell): an import that followed another build's import would inherit that
    build's methods. So the run's processes keep that profile in a cache folder of their own (an
    XDG_CACHE_HOME / LOCALAPPDATA under the temp folder): another pwsh on the machine, or another
    PowerShell measured with -Pwsh, cannot write it between a bare run and an import. Several
    manifests are measured in the same rounds (bare, first, bare, second...), which is how to
    compare two builds on a shared machine. -FreshProfile gives every
    process an empty cache folder instead, so none replays another's methods: the work of a first
    run, the same in every round. -Warm runs every process twice and measures the second, which
    replays a profile of its own kind: a session that imports the module every day.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-Import.ps1 -Count 10
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-Import.ps1 -Count 20 -Manifest /tmp/old/ExchangeDiag/0.1.0/ExchangeDiag.psd1, ./output/ExchangeDiag/0.1.0/ExchangeDiag.psd1
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-Import.ps1 -Count 15 -Pwsh /tmp/pwsh-r2r/pwsh.dll
#>
param(
    [int] $Count = 10,
    # Other builds of the module to measure instead of output/ (manifest paths); with several, the
    # rounds alternate between them. With -File, separate them with commas in one argument.
    [string[]] $Manifest,
    # Every process without PowerShell's startup profile (the run's cache folder emptied before each).
    [switch] $FreshProfile,
    # Every measured process after an unmeasured one of the same kind (bare after bare, import after import).
    [switch] $Warm,
    # The PowerShell to measure instead of this one: an executable (pwsh), or a pwsh.dll that dotnet runs.
    [string] $Pwsh
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$Manifest = @($Manifest | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object { (Resolve-Path $_).Path })
if (-not $Manifest) {
    $found = Get-Item ([IO.Path]::Combine($root, 'output', 'ExchangeDiag', '*', 'ExchangeDiag.psd1')) | Select-Object -First 1
    if (-not $found) { throw 'Build the module first: dotnet pwsh -NoProfile -File ./build.ps1' }
    $Manifest = @($found.FullName)
}

# This very pwsh (the repository's local tool) unless -Pwsh names another, started directly: through
# `dotnet pwsh` the tool lookup would count in every run.
if ($Pwsh) {
    $path = (Resolve-Path $Pwsh).Path
    if ([IO.Path]::GetExtension($path) -eq '.dll') {
        $executable = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        $prefix = @($path)
    }
    else {
        $executable = $path
        $prefix = @()
    }
}
else {
    $executable = [Environment]::ProcessPath
    $prefix = @()
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') {
        $prefix = @([Environment]::GetCommandLineArgs()[0])
    }
}
$time = if (Test-Path /usr/bin/time) { '/usr/bin/time' }

$cache = Join-Path ([IO.Path]::GetTempPath()) "exchangediag-import-cache-$PID"
Remove-Item $cache -Recurse -Force -ErrorAction Ignore
$savedCache = $env:XDG_CACHE_HOME, $env:LOCALAPPDATA
$env:XDG_CACHE_HOME = $env:LOCALAPPDATA = (New-Item -ItemType Directory -Path $cache).FullName

function Invoke-Run([string] $Script) {
    $output = Join-Path ([IO.Path]::GetTempPath()) "exchangediag-import-$PID.txt"
    if ($FreshProfile) {
        Get-ChildItem $cache -Force | Remove-Item -Recurse -Force
    }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    if ($time) {
        $text = & $time -f 'cpu %U %S' -o $output $executable @prefix -NoProfile -NonInteractive -Command $Script
    }
    else {
        $text = & $executable @prefix -NoProfile -NonInteractive -Command $Script
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

function Get-ImportScript([string] $Path) {
    "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$Path'; `$c.Elapsed.TotalMilliseconds"
}

try {
    $bare = @(); $imported = @{}
    foreach ($path in $Manifest) { $imported[$path] = @() }
    # One of each first, not counted: the disk cache and the tool's first start.
    foreach ($path in $Manifest) { $null = Invoke-Run 'exit'; $null = Invoke-Run (Get-ImportScript $path) }
    foreach ($i in 1..$Count) {
        foreach ($path in $Manifest) {
            if ($Warm) { $null = Invoke-Run 'exit' }
            $bare += Invoke-Run 'exit'
            if ($Warm) { $null = Invoke-Run (Get-ImportScript $path) }
            $imported[$path] += Invoke-Run (Get-ImportScript $path)
        }
    }

    $wallBare = Get-Median $bare.WallMs
    $cpuBare = if ($time) { Get-Median $bare.CpuMs }
    if ($Pwsh) { 'PowerShell: {0}' -f ((@($executable) + $prefix) -join ' ') }
    foreach ($path in $Manifest) {
        $runs = $imported[$path]
        $wallImport = Get-Median $runs.WallMs
        if ($Manifest.Count -gt 1) { $path }
        'Import-Module ExchangeDiag, median of {0} fresh processes each:' -f $Count
        '  wall: {0:N0} ms over a pwsh that only exits ({1:N0} ms against {2:N0} ms)' -f ($wallImport - $wallBare), $wallImport, $wallBare
        if ($time) {
            $cpuImport = Get-Median $runs.CpuMs
            '  CPU:  {0:N0} ms over a pwsh that only exits ({1:N0} ms against {2:N0} ms, user + system)' -f ($cpuImport - $cpuBare), $cpuImport, $cpuBare
        }
        '  inside the process: {0:N0} ms' -f (Get-Median ($runs.Inside | ForEach-Object { [double]$_ }))
    }
}
finally {
    $env:XDG_CACHE_HOME, $env:LOCALAPPDATA = $savedCache
    Remove-Item $cache -Recurse -Force -ErrorAction Ignore
}
