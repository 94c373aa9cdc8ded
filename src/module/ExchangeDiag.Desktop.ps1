# Windows PowerShell 5.1 loads the binary module directly (no AssemblyLoadContext there), dot-sourced
# by ExchangeDiag.psm1 into the module's scope; PowerShell 7 never compiles this file.

$binary = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net472', 'ExchangeDiag.dll'))

# Module-qualified: a proxy Import-Module function of the user's cannot stand in.
$inner = Microsoft.PowerShell.Core\Import-Module -Assembly $binary -PassThru

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

# Names the cmdlets had before they were made consistent (Diagnostic, not Diagnosis; Ovh at the end of
# the noun, as in Connect-ExchangeDiagOvh): scripts written for them keep working. The manifest's
# AliasesToExport lists the same names; on PowerShell 7 the cmdlet class declares it ([Alias]). Set
# through the alias drive, not Set-Alias: the first Set-Alias of a session imports the whole
# Microsoft.PowerShell.Utility module.
${alias:Invoke-OvhExchangeDiagnosis} = 'Invoke-ExchangeDiagnosticOvh'
