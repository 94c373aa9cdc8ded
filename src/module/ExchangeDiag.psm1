# Loads the binary module. On PowerShell 7 the cmdlets and their dependencies (DnsClient, MailKit...)
# live in an AssemblyLoadContext of their own (see ExchangeDiag.LoadContext), so other modules'
# versions of those libraries cannot clash with ours. Windows PowerShell 5.1 loads them directly.

$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core

if ($PSEdition -eq 'Core') {
    $bin = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0')
    if (-not ('ExchangeDiag.LoadContext.ModuleLoadContext' -as [type])) {
        Add-Type -Path ([System.IO.Path]::Combine($bin, 'ExchangeDiag.LoadContext.dll'))
    }
    $binary = [ExchangeDiag.LoadContext.ModuleLoadContext]::LoadModule($bin)
}
else {
    $binary = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net472', 'ExchangeDiag.dll'))
}

$inner = & $importModule -Assembly $binary -PassThru

# PowerShell does not add the cmdlets of an assembly imported from a script module to that module
# when it reuses a cached import (PowerShell issue 20710, seen on Import-Module -Force), so they
# are added here; the manifest's CmdletsToExport then decides what is public.
$addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
foreach ($cmdlet in $inner.ExportedCmdlets.Values) {
    $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
}

if ($PSEdition -eq 'Core') {
    # PowerShell resolves type literals only among the default context's assemblies. Accelerators
    # make [ExchangeDiag.CheckStatus] and the result types usable in scripts all the same.
    $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
    $core = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($binary).Assemblies |
        Where-Object { $_.GetName().Name -eq 'ExchangeDiag.Core' }
    $publicTypes = $core.GetExportedTypes() | Where-Object Namespace -eq 'ExchangeDiag'
    foreach ($type in $publicTypes) {
        $null = $accelerators::Remove($type.FullName)
        $accelerators::Add($type.FullName, $type)
    }
    $ExecutionContext.SessionState.Module.OnRemove = {
        foreach ($type in $publicTypes) { $null = $accelerators::Remove($type.FullName) }
    }.GetNewClosure()
}
