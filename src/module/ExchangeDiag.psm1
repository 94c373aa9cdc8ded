# Loads the binary module. On PowerShell 7 the cmdlets and their dependencies (DnsClient, MailKit...)
# live in an AssemblyLoadContext of their own (see ExchangeDiag.LoadContext), so other modules'
# versions of those libraries cannot clash with ours. Windows PowerShell 5.1 loads them directly.

if ($PSEdition -eq 'Core') {
    $bin = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0')
    if (-not ('ExchangeDiag.LoadContext.ModuleLoadContext' -as [type])) {
        # LoadFrom, not Add-Type -Path, which first loads machinery of its own. Only once: a copy
        # from another folder would fail to load here, before LoadModule can say why.
        $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($bin, 'ExchangeDiag.LoadContext.dll'))
    }
    $binary = [ExchangeDiag.LoadContext.ModuleLoadContext]::LoadModule($bin)
}
else {
    $binary = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net472', 'ExchangeDiag.dll'))
}

# Module-qualified: a proxy Import-Module function of the user's cannot stand in.
$inner = Microsoft.PowerShell.Core\Import-Module -Assembly $binary -PassThru

if ($PSEdition -eq 'Core') {
    # The cmdlets join this module, the result types become type literals, and Should -BeHealthyMailbox
    # is registered when Pester is loaded, in C# (ModuleSetup): faster than script. ModuleSetup remembers
    # the names it registered: a closure here (GetNewClosure) would copy the module's scope.
    [ExchangeDiag.LoadContext.ModuleSetup]::Complete($ExecutionContext.SessionState.Module, $inner, $binary)
    $ExecutionContext.SessionState.Module.OnRemove = { [ExchangeDiag.LoadContext.ModuleSetup]::Remove() }
}
else {
    # PowerShell does not add the cmdlets of an assembly imported from a script module to that module
    # when it reuses a cached import (PowerShell issue 20710, seen on Import-Module -Force), so they
    # are added here; the manifest's CmdletsToExport then decides what is public.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $inner.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
    # Should -BeHealthyMailbox when Pester is loaded (ModuleSetup does it in C# on PowerShell 7).
    if (Microsoft.PowerShell.Core\Get-Module -Name Pester) {
        $null = & ([System.IO.Path]::Combine($PSScriptRoot, 'ExchangeDiag.Pester.ps1'))
    }
}

# Names the cmdlets had before they were made consistent (Diagnostic, not Diagnosis; Ovh at the end of
# the noun, as in Connect-ExchangeDiagOvh): scripts written for them keep working. The manifest's
# AliasesToExport lists the same names. Set through the alias drive, not Set-Alias: the first Set-Alias of a
# session imports the whole Microsoft.PowerShell.Utility module, about 100 ms of a bare pwsh's import.
${alias:Invoke-OvhExchangeDiagnosis} = 'Invoke-ExchangeDiagnosticOvh'
